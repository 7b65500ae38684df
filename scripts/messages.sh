#!/usr/bin/env bash
# Refresh English catalogues (msgids are Indonesian, the first language): new strings are added with an
# empty msgstr to fill in, strings no longer used are dropped. Serialised with flock so two people (or
# helpers) refreshing at once do not overwrite each other.
#   scripts/messages.sh turnout risk      # apps with their own locale/
#   scripts/messages.sh project           # sinergi/locale: core, areas, accounts, atlas, templates, settings
#   scripts/messages.sh all
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ADMIN="$ROOT/.venv/bin/django-admin"
# Our makemessages (core) refuses fuzzy matches; settings are needed to find it.
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-sinergi.settings} SINERGI_DEMO=${SINERGI_DEMO:-1}
OPTS=(-l en --no-obsolete --no-wrap --add-location=file -e html -e txt -e py)
apps_with_locale() { for d in sinergi/*/locale; do basename "$(dirname "$d")"; done; }
targets=("$@")
[ "${1:-}" = all ] && targets=(project $(apps_with_locale))
for target in "${targets[@]}"; do
  if [ "$target" = project ]; then
    ignores=(); for app in $(apps_with_locale); do ignores+=(--ignore "$app/*"); done
    (cd sinergi && flock /tmp/sinergi-po.lock "$ADMIN" makemessages "${OPTS[@]}" "${ignores[@]}" --ignore "tests/*" --ignore "*/tests/*")
  else
    (cd "sinergi/$target" && flock /tmp/sinergi-po.lock "$ADMIN" makemessages "${OPTS[@]}" --ignore "tests/*")
  fi
done
