#!/usr/bin/env bash
# Does a database made by an earlier IPEX migrate to this one with nothing lost?
#
#   scripts/check-migration.sh [OLD_COMMIT]      (default: the commit named in OLD below)
#
# With the code of OLD_COMMIT (a temporary git worktree), it sets up the two demo nodes of
# `make demo-federation` (China and Russia, partnered, records shared both ways and pulled,
# so each has exchange cursors, change logs, replicas and alerts), then migrates both
# databases with this checkout's code and compares, table by table, the number of rows and a
# digest of their content (over the columns the table had before: a column a migration adds
# is listed, and a column it drops or a value it changes counts as a loss); the exchange
# cursors; and runs `ipex audit verify` on each.
# Tables a migration may legitimately change (the migration ledger, content types,
# permissions) are listed but not counted as a loss. Exit status 0 only when nothing else
# changed and both audit chains verify.
#
#   IPEX_CHECK_DATABASE_URL   a PostgreSQL server URL without database name
#                             (postgres://postgres@127.0.0.1:5432): the two nodes use fresh
#                             databases ipex_check_cn / ipex_check_ru there instead of SQLite
set -euo pipefail
cd "$(dirname "$0")/.."
HERE=$PWD
OLD=${1:-5c579dd}
PY=${PYTHON:-$HERE/.venv/bin/python}
IPEX_BIN=${IPEX:-$HERE/.venv/bin/ipex}
WORK=$(mktemp -d)
cleanup() { git -C "$HERE" worktree remove --force "$WORK/old" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

git -C "$HERE" worktree add --detach -q "$WORK/old" "$OLD"
echo "== demo nodes made by $(git -C "$HERE" log --oneline -1 "$OLD" | cut -c1-72)"
if [ -n "${IPEX_CHECK_DATABASE_URL:-}" ]; then
  for name in cn ru; do
    PGOPTIONS=--client-min-messages=warning psql "${IPEX_CHECK_DATABASE_URL}/postgres" -qc "DROP DATABASE IF EXISTS ipex_check_$name" \
      -c "CREATE DATABASE ipex_check_$name" >/dev/null
  done
  export IPEX_CN_DATABASE_URL="${IPEX_CHECK_DATABASE_URL}/ipex_check_cn"
  export IPEX_RU_DATABASE_URL="${IPEX_CHECK_DATABASE_URL}/ipex_check_ru"
fi
(
  cd "$WORK/old"
  PYTHONPATH="$WORK/old/src" IPEX="$IPEX_BIN" IPEX_DEMO_SETUP_ONLY=1 \
    IPEX_FEDERATION_DIR="$WORK/nodes" IPEX_CN_PORT=18600 IPEX_RU_PORT=18601 \
    bash scripts/demo-federation.sh >"$WORK/setup.log" 2>&1
) || { cat "$WORK/setup.log"; exit 1; }

node() {  # node cn|ru SRC COMMAND...: run python with that node's database and that code
  local name=$1 src=$2 url; shift 2
  if [ "$name" = cn ]; then url=${IPEX_CN_DATABASE_URL:-}; else url=${IPEX_RU_DATABASE_URL:-}; fi
  env -u DATABASE_URL ${url:+DATABASE_URL=$url} PYTHONPATH="$src" IPEX_DEBUG=true \
    IPEX_DATA_DIR="$WORK/nodes/$name" DJANGO_SETTINGS_MODULE=ipex.settings "$PY" "$@"
}

cat >"$WORK/snapshot.py" <<'EOF'
"""Print {table: [rows, digest, columns]} and the exchange cursors of the configured database.

Given the snapshot taken before the migration, a table's digest is taken over the columns it
had then, so a column a migration adds (and fills) does not hide whether the old ones kept.
"""
import hashlib
import json
import sys

import django

django.setup()
from django.db import connection  # noqa: E402

before = json.load(open(sys.argv[1])) if len(sys.argv) > 1 else {}
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f'SELECT * FROM "{table}"')
        columns = [c[0] for c in cursor.description]
        kept = before[table][2] if table in before else columns
        rows = sorted(
            json.dumps(
                {c: v for c, v in zip(columns, row) if c in kept}, sort_keys=True, default=str
            )
            for row in cursor.fetchall()
        )
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
        out[table] = [len(rows), digest, columns]
    cursor.execute('SELECT partner_id, cursor FROM "exchange_syncstate" ORDER BY 1')
    out["@cursors"] = cursor.fetchall()
json.dump(out, sys.stdout)
EOF

cat >"$WORK/compare.py" <<'EOF'
import json
import sys

EXPECTED = {"django_migrations", "django_content_type", "auth_permission"}
before, after = (json.load(open(p)) for p in sys.argv[2:4])
name, lost = sys.argv[1], 0
tables = [t for t in before if not t.startswith("@")]
print(f"{name}: {len(tables)} tables, {sum(before[t][0] for t in tables)} rows before;",
      f"cursors before {before['@cursors']} after {after['@cursors']}")
for table in tables:
    if table not in after:
        print(f"  LOST TABLE {table} ({before[table][0]} rows)")
        lost += 1
    elif before[table][:2] != after[table][:2]:
        note = "expected" if table in EXPECTED else "CHANGED"
        lost += table not in EXPECTED
        print(f"  {note}: {table} rows {before[table][0]} -> {after[table][0]}",
              "(content differs)" if before[table][0] == after[table][0] else "")
    else:
        added = [c for c in after[table][2] if c not in before[table][2]]
        if added:
            print(f"  kept: {table}, its {before[table][0]} rows unchanged in every column it",
                  f"had; columns added: {', '.join(added)}")
if before["@cursors"] != after["@cursors"]:
    print("  CURSORS CHANGED")
    lost += 1
sys.exit(1 if lost else 0)
EOF

status=0
for name in cn ru; do
  node $name "$WORK/old/src" "$WORK/snapshot.py" >"$WORK/$name.before.json"
  node $name "$HERE/src" -m ipex migrate --noinput -v0
  node $name "$HERE/src" -m ipex showmigrations --plan | grep -c '\[X\]' | sed "s/^/$name: migrations applied: /"
  node $name "$HERE/src" "$WORK/snapshot.py" "$WORK/$name.before.json" >"$WORK/$name.after.json"
  "$PY" "$WORK/compare.py" "$name" "$WORK/$name.before.json" "$WORK/$name.after.json" || status=1
  node $name "$HERE/src" -m ipex audit verify || status=1
done
[ $status = 0 ] && echo "OK: every record, audit entry and exchange cursor kept" || echo "FAILED"
exit $status
