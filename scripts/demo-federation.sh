#!/usr/bin/env bash
# make demo-federation: two IPEX nodes on 127.0.0.1 — China on port 8000 and Russia on 8001,
# each with its own database under var/federation/ — partnered, with demo records shared
# both ways. Ctrl-C stops both.
#
#   IPEX_CN_PORT / IPEX_RU_PORT   ports (default 8000 / 8001)
#   IPEX_FEDERATION_DIR           data directory (default var/federation)
#   IPEX_DEMO_SETUP_ONLY=1        set up and stop (the process-level tests use this)
#   IPEX_DEMO_UNSHARED_CASE=1     leave the CN case to be shared by hand
#   IPEX_CN_DATABASE_URL / IPEX_RU_DATABASE_URL   PostgreSQL databases instead of SQLite
set -euo pipefail
cd "$(dirname "$0")/.."
IPEX=${IPEX:-.venv/bin/ipex}
CN_PORT=${IPEX_CN_PORT:-8000}
RU_PORT=${IPEX_RU_PORT:-8001}
DIR=${IPEX_FEDERATION_DIR:-var/federation}
mkdir -p "$DIR/cn" "$DIR/ru"

node() {  # node cn|ru COMMAND...: run an ipex command as that node (its own database:
  # embedded SQLite in its directory, or IPEX_CN_DATABASE_URL / IPEX_RU_DATABASE_URL).
  # NODE_EXEC=exec, for a command run in the background: the background job becomes the
  # ipex process itself, so that stopping it stops ipex (not only the shell around it).
  local name=$1 port url; shift
  if [ "$name" = cn ]; then port=$CN_PORT url=${IPEX_CN_DATABASE_URL:-}
  else port=$RU_PORT url=${IPEX_RU_DATABASE_URL:-}; fi
  ${NODE_EXEC:-} env -u DATABASE_URL ${url:+DATABASE_URL=$url} IPEX_DEBUG=true IPEX_DATA_DIR="$DIR/$name" \
    IPEX_BASE_URL="http://127.0.0.1:$port" IPEX_ALLOWED_HOSTS=127.0.0.1,localhost "$IPEX" "$@"
}

for name in cn ru; do
  node $name migrate --noinput -v0
done
node cn node init --name "China national node (demo)" >/dev/null
node ru node init --name "Russia federal node (demo)" >/dev/null
node cn demo >"$DIR/cn/demo.log" && head -3 "$DIR/cn/demo.log"
node ru demo --country RU >"$DIR/ru/demo.log" && head -1 "$DIR/ru/demo.log"

PIDS=()
stop() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
serve() {  # serve cn|ru PORT: the web server, its task worker and the periodic pull
  local name=$1 port=$2
  NODE_EXEC=exec node "$name" runserver "127.0.0.1:$port" --noreload >"$DIR/$name/server.log" 2>&1 &
  PIDS+=($!)
  if [ -z "${IPEX_DEMO_SETUP_ONLY:-}" ]; then
    NODE_EXEC=exec node "$name" db_worker --no-reload >"$DIR/$name/worker.log" 2>&1 &
    PIDS+=($!)
  fi
}
serve cn "$CN_PORT"
serve ru "$RU_PORT"
PYTHON=$(dirname "$IPEX")/python
for port in "$CN_PORT" "$RU_PORT"; do  # wait until both answer
  "$PYTHON" - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/federation/v1/node", timeout=2)
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit(f"the node on port {sys.argv[1]} did not start")
PY
done

CN_KEY=$(node cn node show --key)
RU_KEY=$(node ru node show --key)
node cn partner add --url "http://127.0.0.1:$RU_PORT" --key "$RU_KEY"
node ru partner add --url "http://127.0.0.1:$CN_PORT" --key "$CN_KEY"
node cn sync >/dev/null
node ru sync >/dev/null
if [ -n "${IPEX_DEMO_UNSHARED_CASE:-}" ]; then
  node cn demo-exchange --country CN --unshared-case
else
  node cn demo-exchange --country CN
fi
node cn border demo-exchange --country CN
node ru demo-exchange --country RU
node cn demo-joint-operation --country CN
node ru demo-joint-operation --country RU
node ru sync
node ru border demo-exchange --country RU
node cn sync

if [ -n "${IPEX_DEMO_SETUP_ONLY:-}" ]; then
  trap - EXIT
  stop
  exit 0
fi
cat <<TEXT

Two partnered IPEX nodes are running (password for every demo login: Demo-IPEX-2013):
  China   http://127.0.0.1:$CN_PORT/   e.g. liaison@mps.demo (shares the case), officer@gdpsd.demo
  Russia  http://127.0.0.1:$RU_PORT/   e.g. officer@fcs.demo (answers the request), officer@mvd.demo
Joint CN–RU operation against disc exports: on RU, officer@fcs.demo links the seizure
RU-FCS-DEMO-0001 on the operation's page (Cooperation); on CN, liaison@mps.demo sees the
combined figure rise after the doorbell.
Each node pulls from the other every 30 s and at once when the other rings (doorbell).
Ctrl-C stops both.
TEXT
NODE_EXEC=exec node cn sync --every 30 >"$DIR/cn/sync.log" 2>&1 &
PIDS+=($!)
NODE_EXEC=exec node ru sync --every 30 >"$DIR/ru/sync.log" 2>&1 &
PIDS+=($!)
wait
