#!/usr/bin/env bash
# Throughput and p99 of concurrent writers: CLIENTS proposers at once each create,
# edit (EDITS times, with If-Match) and submit a proposal, on a release build with the
# demo, on SQLite and then on a throwaway PostgreSQL cluster (skip it with
# IGF_SKIP_POSTGRES=1). Fails on any 5xx, lock error or write that does not read back.
#
# Usage: scripts/bench-writes.sh   (env: CLIENTS=200 EDITS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-200}
edits=${EDITS:-5}
cargo build --release --quiet
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
echo "== SQLite"
start_demo_server release
python3 scripts/bench_writes.py "$port" "$clients" "$edits"
kill "$server"; wait "$server" 2>/dev/null || true; rm -rf "$work"
if [ "${IGF_SKIP_POSTGRES:-}" = 1 ]; then exit 0; fi
# shellcheck source=scripts/pg-throwaway.sh
. scripts/pg-throwaway.sh
start_pg
echo "== PostgreSQL"
work=$(mktemp -d /tmp/igf-demo.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
IGF_DATABASE_URL="$TEST_DATABASE_URL" IGF_JWT_SECRET=5b0e9d2c7a41f3e8b6d05c9a1f7e2d4b IGF_LOG=warn \
  target/release/igf-scheduler serve --demo --bind "127.0.0.1:$port" >"$work/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"; stop_pg' EXIT
for _ in $(seq 1 300); do
  curl -sf "127.0.0.1:$port/health" >/dev/null && break
  sleep 0.2
done
python3 scripts/bench_writes.py "$port" "$clients" "$edits"
