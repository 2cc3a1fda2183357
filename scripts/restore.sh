#!/usr/bin/env bash
# `make restore FILE=...`: replaces the project database's contents with a pg_dump -Fc file.
# Stop `make run` first so no connection holds locks on the tables being replaced. Objects
# that are not in the dump (say, tables of newer migrations) stay; for an exact copy of the
# dump in the local database, run `make clean-db` first.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg_tools.sh
source scripts/pg_tools.sh

file="${1:-}"
if [ -z "$file" ] || [ ! -f "$file" ]; then
    echo "usage: make restore FILE=var/backups/tksk-YYYYmmdd-HHMMSS.dump" >&2
    [ -n "$file" ] && echo "no such file: $file" >&2
    exit 2
fi
# One transaction: a failed restore leaves the old data untouched.
"$(pg_tool pg_restore)" --clean --if-exists --no-owner --single-transaction \
    --dbname="$(db_url)" "$file"
echo "Restored $file"
