#!/usr/bin/env bash
# Bounded cost per request: what a client can make the service do cheaply, at once,
# and the server's memory after each wave (goal: peak under 150 MiB whatever clients
# send). Starts a release build on a throwaway SQLite database with the limits per
# address raised (so that every registration really hashes a password), then:
# 64 and 128 concurrent registrations, 128 concurrent wrong sign-ins, four 2.4 MB
# proposals with 480,000 bad `sdgs` each, four with 5,000 bad people, 64 agendas.
# Prints a table of statuses, body sizes, times and VmRSS/VmHWM (from /proc).
#
# Usage: scripts/bench-abuse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d /tmp/igf-abuse.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
db="$work/igf.db"
pw="abuse-bench-password"
IGF_PASSWORD="$pw" IGF_LOG=warn target/release/igf-scheduler --database-url "$db" \
  users add --email sec@abuse.test --name "Secretariat" --role secretariat >/dev/null
IGF_DATABASE_URL="$db" IGF_LOG=warn IGF_BODY_LIMIT_BYTES=4194304 \
  IGF_REGISTRATIONS_PER_ADDRESS_HOUR=100000 IGF_AGENDAS_PER_ADDRESS_HOUR=100000 \
  IGF_LOGIN_FAILURES_PER_ADDRESS=100000 \
  target/release/igf-scheduler serve --bind "127.0.0.1:$port" >"$work/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.1
done
python3 scripts/bench_abuse.py "$port" "$server" sec@abuse.test "$pw"
