#!/usr/bin/env bash
# Throughput and p99 of concurrent writers: CLIENTS proposers at once each create,
# edit (EDITS times, with If-Match) and submit a proposal, on a release build with the
# demo, on SQLite, then on a throwaway PostgreSQL cluster with one instance and with
# two instances on the same database (skip PostgreSQL with IGF_SKIP_POSTGRES=1). Fails
# on any 5xx, lock error or write that does not read back (from the other instance).
#
# Usage: scripts/bench-writes.sh   (env: CLIENTS=200 EDITS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-200}
edits=${EDITS:-5}
cargo build --release --quiet
# Every client registers from this one address.
export IGF_REGISTRATIONS_PER_ADDRESS_HOUR=100000
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
work=$(mktemp -d /tmp/igf-demo.XXXXXX)
servers=()
trap 'kill "${servers[@]}" 2>/dev/null; wait "${servers[@]}" 2>/dev/null; rm -rf "$work"; stop_pg' EXIT
start_instance() { # sets $port; the first one seeds the demo
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  IGF_DATABASE_URL="$TEST_DATABASE_URL" IGF_JWT_SECRET=5b0e9d2c7a41f3e8b6d05c9a1f7e2d4b IGF_LOG=warn \
    target/release/igf-scheduler serve --demo --bind "127.0.0.1:$port" >"$work/log.${#servers[@]}" 2>&1 &
  servers+=($!)
  for _ in $(seq 1 300); do
    curl -sf "127.0.0.1:$port/health" >/dev/null && return 0
    sleep 0.2
  done
  echo "instance ${#servers[@]} did not answer /health" >&2
  cat "$work/log.$((${#servers[@]} - 1))" >&2
  return 1
}
echo "== PostgreSQL, one instance"
start_instance
first=$port
python3 scripts/bench_writes.py "$first" "$clients" "$edits" one
echo "== PostgreSQL, two instances on the same database (clients alternate)"
start_instance
python3 scripts/bench_writes.py "$first,$port" "$clients" "$edits" two
