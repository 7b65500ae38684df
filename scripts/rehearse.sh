#!/usr/bin/env bash
# The production topology of deploy/ rehearsed on this machine (loopback, no systemd):
#   nginx -> two gunicorn app instances -> PgBouncer (transaction mode) -> PostgreSQL, plus two workers,
# a voting-day burst with an app instance and a worker killed, throttles, /readyz, a backup/restore drill.
# Installs nginx and PgBouncer from Debian when missing, starts PostgreSQL (scripts/ensure-system.sh),
# and runs scripts/rehearse.py (options: --help). Exits non-zero when any check fails. About 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages)"
  as_root apt-get update -qq
  # Debian starts the packaged services through invoke-rc.d; the rehearsal runs its own copies.
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v pg_dump >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql-client >/dev/null; }
pg_isready -q -h 127.0.0.1 -p 5432 || bash scripts/ensure-system.sh

exec .venv/bin/python scripts/rehearse.py "$@"
