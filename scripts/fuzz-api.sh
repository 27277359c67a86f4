#!/usr/bin/env bash
# Fuzzes the API against api-spec/openapi.yaml with schemathesis, once per role (no
# token, a proposer, an evaluator, the secretariat), on a throwaway SQLite database
# with the demo. Checks: no 5xx, and every status code, content type, header and body
# as the spec says. Signing out everywhere is left out: it would end the role's token
# for the rest of the run (tests/api/limits.rs covers it). Each request may take a
# minute, not schemathesis' 10 s: this is a debug build on a shared machine, and the
# assignment recomputes when the other worker's writes change the meeting under it.
# Speed is measured by the benchmarks, not here. Exits non-zero on any failure; prints the test cases per role.
#
# Usage: scripts/fuzz-api.sh            (EXAMPLES=5 per operation and phase; CI)
#        EXAMPLES=50 SEED=7 scripts/fuzz-api.sh   (longer, locally)
#        ROLES=secretariat PHASES=stateful CHECKS=not_a_server_error FUZZ_LOGS=/tmp/fuzz \
#          scripts/fuzz-api.sh                    (one role, phase or check; whole logs kept)
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${EXAMPLES:-5}
seed=${SEED:-1}
dir=${IGF_TOOLS_DIR:-${TMPDIR:-/tmp}/igf-scheduler-tools}
mkdir -p "$dir"
if [ ! -d "$dir/st/schemathesis" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$dir/st" \
    --break-system-packages schemathesis==4.32.5 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --target "$dir/st" schemathesis==4.32.5
fi
# CPython 3.11's ast.parse is not safe from two threads at once ("AST constructor
# recursion depth mismatch", fixed in 3.12); hypothesis parses lambdas to describe
# strategies, and --workers 2 runs two threads, so the wrapper lets one parse at a time.
st() {
  PYTHONPATH="$dir/st" python3 -c '
import ast, sys, threading
parse, lock = ast.parse, threading.Lock()
def one_at_a_time(*args, **kwargs):
    with lock:
        return parse(*args, **kwargs)
ast.parse = one_at_a_time
from schemathesis.cli import schemathesis
sys.argv[0] = "schemathesis"
sys.exit(schemathesis())' "$@"
}
cargo build --quiet
# The demo's limit of 20 registrations per address and hour would answer most of the
# fuzzer's registrations with 429 and leave the logic behind them untested.
export IGF_REGISTRATIONS_PER_ADDRESS_HOUR=100000
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
start_demo_server debug
api="http://127.0.0.1:$port/api/v1"
token() { # email password
  curl -sf -X POST -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" "$api/auth/login" |
    python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])'
}
curl -sf -X POST -H 'content-type: application/json' \
  -d '{"email":"fuzz@example.org","name":"Fuzz Proposer","password":"fuzz password 1"}' "$api/auth/register" >/dev/null
declare -A tokens=(
  [anonymous]=""
  [proposer]=$(token fuzz@example.org "fuzz password 1")
  [evaluator]=$(token mag01@demo.igf.test igf-demo-password)
  [secretariat]=$(token secretariat@demo.igf.test igf-demo-password)
)
status=0
summary=""
for role in ${ROLES:-anonymous proposer evaluator secretariat}; do
  args=(--config-file api-spec/schemathesis.toml run api-spec/openapi.yaml --url "http://127.0.0.1:$port" --max-examples "$examples"
    --seed "$seed" --phases "${PHASES:-examples,coverage,fuzzing,stateful}" --workers 2 --no-color
    --exclude-operation-id signOut --request-timeout 60 --max-response-time 60 --checks "${CHECKS:-all}")
  if [ -n "${tokens[$role]}" ]; then
    args+=(-H "Authorization: Bearer ${tokens[$role]}")
  fi
  echo "== schemathesis as $role"
  if st "${args[@]}" >"$work/$role.log" 2>&1; then rc=0; else rc=$?; fi
  if [ -n "${FUZZ_LOGS:-}" ]; then mkdir -p "$FUZZ_LOGS" && cp "$work/$role.log" "$FUZZ_LOGS/"; fi
  line=$(grep -E '^ *[0-9]+ generated' "$work/$role.log" | tail -1 | sed 's/^ *//')
  if [ "$rc" != 0 ]; then
    status=1
    if grep -q FAILURES "$work/$role.log"; then
      awk '/FAILURES/ { on = 1 } on && n++ < 400' "$work/$role.log"
    elif grep -q ' ERRORS ' "$work/$role.log"; then
      # Errors that are not failures (a request that could not be made or read).
      awk '/ ERRORS / { on = 1 } on && n++ < 150' "$work/$role.log"
    else
      # No failure section: warnings or a server that stopped answering.
      tail -60 "$work/$role.log"
    fi
    if ! kill -0 "$server" 2>/dev/null; then
      echo "the service is no longer running; the end of its log:"
      tail -30 "$work/log"
    fi
  fi
  summary+="| $role | ${line:-no summary} | exit $rc |"$'\n'
done
echo
echo "| role | test cases | result |"
echo "| --- | --- | --- |"
printf '%s' "$summary"
if grep -q 'panicked' "$work/log"; then
  echo "the service panicked:" >&2
  grep -A5 panicked "$work/log" >&2
  status=1
fi
exit $status
