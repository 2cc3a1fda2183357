#!/usr/bin/env bash
# `make backup`: pg_dump (custom format) of the project database into var/backups/.
# Uses DATABASE_URL if set, else the local cluster (started if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg_tools.sh
source scripts/pg_tools.sh

mkdir -p var/backups
out="var/backups/tksk-$(date +%Y%m%d-%H%M%S).dump"
"$(pg_tool pg_dump)" --format=custom --file="$out" --dbname="$(db_url)"
echo "Backup written to $out ($(du -h "$out" | cut -f1))"
