#!/usr/bin/env bash
# npm run bench: baselines need PostgreSQL (and PostGIS for point-in-grid). Uses DATABASE_URL when
# set; otherwise starts a throwaway PostgreSQL when its binaries are installed; otherwise runs
# without, and the baseline rows say why they are empty.
set -euo pipefail
cd "$(dirname "$0")/.."
run=(node --expose-gc --import tsx bench/run.ts "$@")
if [ -n "${DATABASE_URL:-}" ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exec "${run[@]}"
fi
# Baselines run with fsync on, as the embedded store runs with synchronous=FULL.
SHANZHI_PG_FSYNC=on exec bash scripts/with-postgres.sh "${run[@]}"
