#!/usr/bin/env bash
# `make run`: database, schema, reference + demo data, background worker, then the dev server.
# Env: PORT (default 8000), DEMO_HOUSEHOLDS, DEBUG (default 1), DATABASE_URL (default: local DB).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT="${PORT:-8000}"
# This is the development server: debug mode (and its dev-only secret key) unless told otherwise.
export DEBUG="${DEBUG:-1}"

if [ -z "${DATABASE_URL:-}" ]; then
    "$PY" -m tksk.localdb start
    DATABASE_URL="$("$PY" -m tksk.localdb url)"
    export DATABASE_URL
fi

"$PY" manage.py migrate --noinput
"$PY" manage.py load_wilayah
"$PY" manage.py load_peta
# A modest demo set; the second run finds it there and adds nothing.
"$PY" manage.py seed_demo --households "${DEMO_HOUSEHOLDS:-2000}"
"$PY" manage.py collectstatic --noinput -v0

# Worker and server run in the background so that a signal to this script (Ctrl-C, SIGTERM)
# interrupts `wait` at once; the EXIT trap then stops both, however the server ended.
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$PY" manage.py db_worker &
pids+=($!)

cat <<MSG

  Sistem Informasi TKSK: http://127.0.0.1:${PORT}/
  Demo logins (password Demo-Kalteng-2026):
    admin, dinsos.prov, dinsos.palangkaraya, dinsos.kapuas,
    tksk.pahandut, tksk.jekanraya, tksk.selat
  Stop with Ctrl-C; \`make stop\` then stops the local database.

MSG

"$PY" manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
wait "${pids[1]}"
