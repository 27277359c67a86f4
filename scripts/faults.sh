#!/usr/bin/env bash
# Runs the SIGKILL fault test (tests/api/faults.rs) ROUNDS times with different kill
# delays for the burst of writes and the publish, on SQLite (or on the server named
# by TEST_DATABASE_URL). Every round must find the published schedule intact, the job
# resumed, every acknowledged write whole and nothing half-written.
#
# Usage: scripts/faults.sh   (env: ROUNDS=6)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-6}
cargo test --test api --no-run --quiet
for i in $(seq 1 "$rounds"); do
  burst=$(( (i * 97) % 400 + 20 ))
  publish=$(( (i * 13) % 40 ))
  echo "== round $i: kill $burst ms into the burst, $publish ms after the publish is sent"
  IGF_FAULT_BURST_MS=$burst IGF_FAULT_PUBLISH_MS=$publish \
    cargo test --quiet --test api faults -- --nocapture 2>&1 | grep -E 'burst:|publish killed|test result|panicked'
done
