#!/usr/bin/env bash
# make check: the fast gate before the suite. Style, migrations in step with the models, the
# deployment checklist with production settings, and the type checker on the core package, whose
# error count may only go down (scripts/mypy-baseline.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"

echo "== ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .

# No database is needed for these two: an address nobody listens on keeps manage.py from
# starting the local PostgreSQL (makemigrations only warns that it cannot check the history).
export DATABASE_URL="postgres://check@127.0.0.1:9/none"
export SECRET_KEY="check-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
echo "== makemigrations --check"
"$VENV/bin/python" -W ignore manage.py makemigrations --check --dry-run
echo "== check --deploy (production settings)"
DEBUG=0 ALLOWED_HOSTS=tksk.example.go.id CSRF_TRUSTED_ORIGINS=https://tksk.example.go.id \
    "$VENV/bin/python" manage.py check --deploy --fail-level WARNING

echo "== mypy (tksk/)"
baseline=$(cat scripts/mypy-baseline.txt)
set +e
out=$("$VENV/bin/mypy" 2>&1)
set -e
found=$(sed -n 's/^Found \([0-9]*\) errors\? in.*/\1/p' <<<"$out")
found=${found:-0}
if grep -q "^Success" <<<"$out"; then found=0; fi
if ! grep -qE "^(Success|Found [0-9]+ errors? in)" <<<"$out"; then
    echo "$out"; echo "mypy did not run" >&2; exit 1
fi
if (( found > baseline )); then
    echo "$out"
    echo "mypy: $found errors, the baseline allows $baseline. Fix the new ones." >&2
    exit 1
fi
echo "mypy: $found errors (baseline $baseline)"
if (( found < baseline )); then
    echo "Fewer than the baseline: lower scripts/mypy-baseline.txt to $found."
fi
