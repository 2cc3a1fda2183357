#!/usr/bin/env bash
# Checks the Debian packages the test suite needs; as root on Debian it installs missing ones,
# otherwise it names them and exits non-zero.
# Env: NEED_POSTGRES=1 also requires the PostgreSQL server binaries (for a throwaway cluster);
# NEED_TEST_TOOLS=0 leaves out Chromium and poppler (what the app itself needs, e.g. make bench);
# NEED_BROWSER=0 leaves out Chromium only (make test-fast runs no browser test).
set -euo pipefail

missing=()
need() { # need PACKAGE FILE: PACKAGE is missing unless FILE exists
    if [ ! -e "$2" ] && [[ " ${missing[*]-} " != *" $1 "* ]]; then
        missing+=("$1")
    fi
}

if [ "${NEED_TEST_TOOLS:-1}" = 1 ]; then # the browser and PDF reader of the tests only
    if [ "${NEED_BROWSER:-1}" = 1 ]; then
        need chromium /usr/bin/chromium
    fi
    need poppler-utils /usr/bin/pdftotext
    need poppler-utils /usr/bin/pdftoppm
fi
need fonts-dejavu-core /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
# WeasyPrint renders PDFs with Pango (a shared library, found through the linker cache).
if ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then
    missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
if [ "${NEED_POSTGRES:-0}" = 1 ] && ! command -v pg_ctl >/dev/null \
    && ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
    missing+=(postgresql)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing missing system packages: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $install_cmd
else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get update && sudo $install_cmd" >&2
    exit 1
fi
