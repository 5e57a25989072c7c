#!/usr/bin/env bash
# make demo-production: IPEX as the production profile runs it (operator guide, sections 7-9),
# on 127.0.0.1 — PostgreSQL (a database of its own, created if missing, the demo loaded),
# gunicorn with several web workers, TWO `ipex db_worker` task workers, /healthz, /readyz and
# /metrics. It waits until /readyz says ready, prints where everything is; Ctrl-C stops all.
#
#   IPEX_PRODUCTION_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/ipex_demo_production
#   IPEX_PRODUCTION_PORT          gunicorn's port (default 8000)
#   IPEX_PRODUCTION_WEB_WORKERS   gunicorn worker processes (default 2)
#   IPEX_PRODUCTION_DIR           IPEX_DATA_DIR, keys, logs (default var/production)
#   IPEX_DEMO_CHECK_ONLY=1        start, wait for /readyz, show it and /metrics, stop
#   IPEX_PRODUCTION_NO_DEMO=1     do not load the demo (tests/core/test_demo_production.py)
#
# Differences from a real node, for a demo on one machine without TLS: cookies are not
# marked Secure and HTTP is not redirected to HTTPS (IPEX_SECURE_COOKIES / IPEX_SSL_REDIRECT
# off, HSTS off); there is no reverse proxy in front of gunicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
IPEX=${IPEX:-.venv/bin/ipex}
BIN=$(dirname "$IPEX")
PORT=${IPEX_PRODUCTION_PORT:-8000}
WEB_WORKERS=${IPEX_PRODUCTION_WEB_WORKERS:-2}
TASK_WORKERS=2
DIR=${IPEX_PRODUCTION_DIR:-var/production}
mkdir -p "$DIR/log"
DIR=$(cd "$DIR" && pwd)

# Secrets made once and kept in files, as /etc/ipex/ would hold them (mode 0600).
secret() {  # secret FILE: a random secret in FILE, created if missing
  [ -s "$1" ] || (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(40))' >"$1")
}
secret "$DIR/secret-key"
secret "$DIR/metrics-token"

export DATABASE_URL=${IPEX_PRODUCTION_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ipex_demo_production}
export IPEX_DEBUG=false
export IPEX_SECRET_KEY_FILE="$DIR/secret-key"
export IPEX_METRICS_TOKEN_FILE="$DIR/metrics-token"
export IPEX_ALLOWED_HOSTS=127.0.0.1,localhost
export IPEX_BASE_URL="http://127.0.0.1:$PORT"
export IPEX_DATA_DIR="$DIR"
export IPEX_SECURE_COOKIES=false IPEX_SSL_REDIRECT=false IPEX_HSTS_SECONDS=0
# Every gunicorn worker's request counters in one place (ipex.gunicorn_conf clears it).
export PROMETHEUS_MULTIPROC_DIR="$DIR/metrics"
unset IPEX_DATA_DIR_FILE DATABASE_URL_FILE IPEX_SECRET_KEY IPEX_METRICS_TOKEN

# The database, created if missing (on the PostgreSQL server the URL names).
"$BIN/python" - <<'PY'
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
server = urlunsplit(url._replace(path="/postgres"))
with psycopg.connect(server, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created the database {name}.")
PY
"$IPEX" migrate --noinput -v0
"$IPEX" node init --name "China national node (production demo)" >/dev/null
"$IPEX" collectstatic --noinput -v0
if [ -z "${IPEX_PRODUCTION_NO_DEMO:-}" ]; then
  "$IPEX" demo >"$DIR/demo.log" && head -3 "$DIR/demo.log"  # idempotent
fi

PIDS=()
stop() {
  trap - EXIT INT TERM
  [ ${#PIDS[@]} -eq 0 ] || kill -TERM "${PIDS[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM
"$BIN/gunicorn" -c python:ipex.gunicorn_conf ipex.wsgi:application \
  --workers "$WEB_WORKERS" --bind "127.0.0.1:$PORT" >"$DIR/log/gunicorn.log" 2>&1 &
PIDS+=($!)
for n in $(seq "$TASK_WORKERS"); do
  "$IPEX" db_worker --worker-id "production-$n" >"$DIR/log/worker-$n.log" 2>&1 &
  PIDS+=($!)
done

# Ready when the database answers, migrations are applied and a worker's heartbeat is in.
"$BIN/python" - "$PORT" <<'PY'
import sys, time, urllib.error, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/readyz"
for _ in range(120):
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            print(f"GET /readyz: {answer.status} {answer.read().decode()}")
            break
    except (urllib.error.HTTPError, OSError):
        time.sleep(0.5)
else:
    sys.exit(f"IPEX did not become ready at {url}; see the logs under var/production/log/")
PY

if [ -n "${IPEX_DEMO_CHECK_ONLY:-}" ]; then
  # /readyz is ready once one worker's heartbeat is in; the check waits for every one (the
  # others may start later on a busy machine), then shows the metrics.
  "$BIN/python" - "$PORT" "$DIR/metrics-token" "$TASK_WORKERS" <<'PY'
import pathlib, sys, time, urllib.request
token = pathlib.Path(sys.argv[2]).read_text().strip()
request = urllib.request.Request(
    f"http://127.0.0.1:{sys.argv[1]}/metrics", headers={"Authorization": f"Bearer {token}"}
)
for _ in range(120):
    with urllib.request.urlopen(request, timeout=10) as answer:
        lines = [line for line in answer.read().decode().splitlines() if line.startswith("ipex_")]
    if f"ipex_task_workers {float(sys.argv[3])}" in lines:
        break
    time.sleep(0.5)
print("\n".join(lines))
PY
  exit 0
fi
cat <<TEXT

IPEX runs in the production profile at http://127.0.0.1:$PORT/ (password for every demo login:
Demo-IPEX-2013, e.g. supervisor@ncac.demo):
  database      $DATABASE_URL
  web           gunicorn, $WEB_WORKERS workers (log: $DIR/log/gunicorn.log)
  task workers  production-1, production-2 (logs: $DIR/log/worker-*.log)
  liveness      curl http://127.0.0.1:$PORT/healthz
  readiness     curl http://127.0.0.1:$PORT/readyz
  metrics       curl -H "Authorization: Bearer \$(cat $DIR/metrics-token)" http://127.0.0.1:$PORT/metrics
Ctrl-C stops gunicorn and both workers.
TEXT
wait
