# shellcheck shell=bash
# Sourced by backup.sh and restore.sh (run from the project root).

PYTHON="${PYTHON:-python3}"

# The project database URL: DATABASE_URL, else the local cluster's (started if needed).
db_url() {
    if [ -n "${DATABASE_URL:-}" ]; then
        echo "$DATABASE_URL"
    else
        "$PYTHON" -m tksk.localdb url
    fi
}

# pg_dump/pg_restore from the local server's own bin dir, so the versions match; for a
# DATABASE_URL server, or if that fails, whatever is on PATH (Debian's wrapper picks the newest).
pg_tool() {
    local dir
    if [ -z "${DATABASE_URL:-}" ] && dir="$("$PYTHON" -m tksk.localdb bindir 2>/dev/null)"; then
        echo "$dir/$1"
    else
        echo "$1"
    fi
}
