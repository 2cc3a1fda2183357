#!/usr/bin/env bash
# Try the production set-up of deploy/ on this machine, on loopback only, and stop by itself:
# nginx with deploy/nginx/tksk.conf (self-signed certificate) in front of gunicorn started with
# the exact ExecStart line of deploy/tksk-web.service, one worker started with the ExecStart line
# of deploy/tksk-worker@.service, production settings (DEBUG=0) from deploy/tksk.env.example.
# Checks: /healthz over HTTP, HTTP -> HTTPS redirect, the login page over HTTPS with its security
# headers, a static file with its cache header, a login, a job run by the worker.
#
#   deploy/try_local.sh                  # DATABASE_URL, else the project-local PostgreSQL
#
# Needs nginx and openssl (apt-get install nginx openssl). Paths: /opt/tksk -> this checkout;
# ports 80/443/8000 -> free loopback ports; the host name stays tksk.example.go.id (curl --resolve).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
HOST=tksk.example.go.id

for tool in nginx openssl curl; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HTTP_PORT=$(free_port); HTTPS_PORT=$(free_port); APP_PORT=$(free_port)

TMP="$(mktemp -d /tmp/tksk-deploy-XXXXXX)"
chmod 755 "$TMP"
pids=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [ -f "$TMP/nginx.pid" ]; then kill "$(cat "$TMP/nginx.pid")" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db_url="${DATABASE_URL:-}"
if [ -z "$db_url" ]; then
    db_url="$("$PY" -m tksk.localdb url)"
fi

# The environment file of the units, with what a loopback trial must change.
set -a
# shellcheck disable=SC1091
. deploy/tksk.env.example
DATABASE_URL="$db_url"
SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
ALLOWED_HOSTS="$HOST"
CSRF_TRUSTED_ORIGINS="https://$HOST:$HTTPS_PORT"
MEDIA_ROOT="$TMP/media"
GUNICORN_WORKERS=2
set +a
export SECRET_KEY ALLOWED_HOSTS CSRF_TRUSTED_ORIGINS
mkdir -p "$MEDIA_ROOT"

echo "== migrate, demo accounts, collectstatic (DEBUG=$DEBUG)"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_wilayah >/dev/null
"$PY" manage.py seed_demo >/dev/null
"$PY" manage.py collectstatic --noinput -v0
echo "== manage.py check --deploy (no security warning allowed)"
"$PY" manage.py check --deploy >"$TMP/check.log" 2>&1 || true
sed 's/^/   /' "$TMP/check.log" | cut -c1-160
if grep -q '(security\.' "$TMP/check.log"; then echo "security warnings above" >&2; exit 1; fi

echo "== gunicorn: ExecStart of deploy/tksk-web.service"
exec_start="$(sed -n 's/^ExecStart=//p' deploy/tksk-web.service)"
exec_start="${exec_start//\/opt\/tksk/$ROOT}"
exec_start="${exec_start//127.0.0.1:8000/127.0.0.1:$APP_PORT}"
exec_start="${exec_start//\$\{GUNICORN_WORKERS\}/$GUNICORN_WORKERS}"
echo "   $exec_start"
# shellcheck disable=SC2086
$exec_start >"$TMP/gunicorn.log" 2>&1 &
pids+=($!)

echo "== worker: ExecStart of deploy/tksk-worker@.service (instance 1)"
worker_start="$(sed -n 's/^ExecStart=//p' deploy/tksk-worker@.service)"
worker_start="${worker_start//\/opt\/tksk/$ROOT}"
worker_start="${worker_start//%H/$(hostname)}"
worker_start="${worker_start//%i/1}"
echo "   $worker_start"
# shellcheck disable=SC2086
$worker_start >"$TMP/worker.log" 2>&1 &
pids+=($!)

echo "== nginx: deploy/nginx/tksk.conf on 127.0.0.1:$HTTP_PORT and :$HTTPS_PORT"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$HOST" \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
# shellcheck disable=SC2016  # $host and $request_uri are nginx variables
sed -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#" \
    -e '/listen \[::\]/d' \
    -e "s#/etc/letsencrypt/live/$HOST/fullchain.pem#$TMP/cert.pem#" \
    -e "s#/etc/letsencrypt/live/$HOST/privkey.pem#$TMP/key.pem#" \
    -e "s#/opt/tksk#$ROOT#g" \
    -e "s#server 127.0.0.1:8000;#server 127.0.0.1:$APP_PORT;#" \
    -e 's#return 301 https://$host$request_uri;#return 301 https://$host:'"$HTTPS_PORT"'$request_uri;#' \
    deploy/nginx/tksk.conf >"$TMP/tksk.conf"
cat >"$TMP/nginx.conf" <<CONF
user $(id -un);
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log $TMP/nginx-access.log;
    client_body_temp_path $TMP/body;
    proxy_temp_path $TMP/proxy;
    fastcgi_temp_path $TMP/fastcgi;
    uwsgi_temp_path $TMP/uwsgi;
    scgi_temp_path $TMP/scgi;
    include $TMP/tksk.conf;
}
CONF
nginx -t -c "$TMP/nginx.conf" -p "$TMP" 2>&1 | sed 's/^/   /'
nginx -c "$TMP/nginx.conf" -p "$TMP"

CURL=(curl -sS --max-time 20 --resolve "$HOST:$HTTP_PORT:127.0.0.1"
    --resolve "$HOST:$HTTPS_PORT:127.0.0.1" --cacert "$TMP/cert.pem")
HTTPS="https://$HOST:$HTTPS_PORT"
for _ in $(seq 1 60); do
    "${CURL[@]}" -o /dev/null "http://$HOST:$HTTP_PORT/healthz" 2>/dev/null && break
    sleep 1
done

fail=0
check() { # check WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "   ok   $1: $3"; else echo "   FAIL $1: $3 (expected $2)"; fail=1; fi
}
echo "== requests through nginx"
check "GET http://…/healthz" 200 "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "http://$HOST:$HTTP_PORT/healthz")"
check "GET http://…/accounts/login/ redirects to HTTPS" "301 $HTTPS/accounts/login/" \
    "$("${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://$HOST:$HTTP_PORT/accounts/login/")"
"${CURL[@]}" -D "$TMP/h" -c "$TMP/jar" -o "$TMP/login.html" "$HTTPS/accounts/login/"
check "GET https://…/accounts/login/" 200 "$(head -1 "$TMP/h" | awk '{print $2}')"
check "  Strict-Transport-Security" yes "$(grep -qi '^strict-transport-security: max-age=31536000' "$TMP/h" && echo yes || echo no)"
check "  Content-Security-Policy" yes "$(grep -qi "^content-security-policy: .*default-src 'self'" "$TMP/h" && echo yes || echo no)"
check "  csrftoken cookie Secure" yes "$(grep -i '^set-cookie: csrftoken' "$TMP/h" | grep -qi secure && echo yes || echo no)"
css="$(grep -o '/static/[^"]*\.css' "$TMP/login.html" | head -1)"
"${CURL[@]}" -D "$TMP/hs" -o /dev/null "$HTTPS$css"
check "GET $css (hashed name, from nginx)" 200 "$(head -1 "$TMP/hs" | awk '{print $2}')"
check "  Cache-Control immutable" yes "$(grep -qi '^cache-control: .*immutable' "$TMP/hs" && echo yes || echo no)"
token="$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$TMP/login.html" | sed 's/.*value="//; s/"$//')"
check "POST https://…/accounts/login/ (dinsos.prov)" 302 "$("${CURL[@]}" -b "$TMP/jar" -c "$TMP/jar" \
    -o /dev/null -w '%{http_code}' -e "$HTTPS/accounts/login/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=dinsos.prov" \
    --data-urlencode "password=Demo-Kalteng-2026" "$HTTPS/accounts/login/")"
check "GET https://…/laporan/ logged in (province dashboard)" 200 \
    "$("${CURL[@]}" -b "$TMP/jar" -o /dev/null -w '%{http_code}' "$HTTPS/laporan/")"

echo "== a job for the worker (tksk.tasks.catat_kerja)"
job="$("$PY" manage.py shell -v 0 -c 'from tksk.tasks import catat_kerja; print(catat_kerja.enqueue(label="deploy-try").id)')"
status=""
for _ in $(seq 1 30); do
    status="$("$PY" manage.py shell -v 0 -c "from django_tasks_db.models import DBTaskResult as R; print(R.objects.get(id='$job').status)")"
    [ "$status" = SUCCESSFUL ] && break
    sleep 1
done
check "job $job" SUCCESSFUL "$status"

echo "== gunicorn log (last lines)"
tail -3 "$TMP/gunicorn.log" | sed 's/^/   /'
[ "$fail" = 0 ] && echo "ALL OK" || echo "SOME CHECKS FAILED"
exit "$fail"
