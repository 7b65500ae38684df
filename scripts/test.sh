#!/usr/bin/env bash
# The whole suite: lint, SQLite, then PostgreSQL. Installs Chromium and PostgreSQL when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${SINERGI_PG_URL:-postgres://postgres@127.0.0.1:5432/test}

bash scripts/ensure-system.sh

echo "== ruff and mypy"
$BIN/ruff check sinergi benchmarks
$BIN/mypy sinergi

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/python -m pytest -q "$@"

echo "== tests on PostgreSQL ($PG_URL)"
DATABASE_URL=$PG_URL $BIN/python -m pytest -q "$@"
