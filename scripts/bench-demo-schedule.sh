#!/usr/bin/env bash
# Solve times on the demo meeting, through the running service: starts a release
# build on a throwaway SQLite database with the demo, then over HTTP queues solves
# with several time limits (each re-run SEEDS times), a repair after cancelling a
# session, and prints a Markdown table of medians: first feasible schedule, final
# hard and soft score, moves tried, wall time of the job as the API reports it.
#
# Usage: scripts/bench-demo-schedule.sh [LIMITS="5 10 30"] [SEEDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
limits=${1:-"5 10 30"}
seeds=${2:-3}
cargo build --release --quiet
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
start_demo_server release
python3 - "$port" "$limits" "$seeds" <<'PY'
import statistics, sys, time
sys.path.insert(0, "scripts")
from igf_api import Api

port, limits, seeds = sys.argv[1], [float(x) for x in sys.argv[2].split()], int(sys.argv[3])
api = Api(port)
api.login("secretariat@demo.igf.test", "igf-demo-password")
meeting = 1

def call(method, path, body=None):
    return api.call(method, path, body)

def run(body):
    job = call("POST", f"/meetings/{meeting}/schedules", body)
    while job["status"] in ("queued", "running"):
        time.sleep(0.2)
        job = call("GET", f"/schedule-jobs/{job['id']}")
    assert job["status"] == "succeeded", job
    v = call("GET", f"/schedules/{job['version_id']}")
    return job, v

sessions = len(call("GET", f"/meetings/{meeting}/programme")["sessions"])
print(f"demo meeting: {sessions} sessions, 20 rooms, 36 slots\n")
print("| run | time limit s | job wall s (median) | first feasible ms | hard | soft (median, min-max) | moves tried | sessions moved |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
def row(name, limit, results):
    walls = [r[0] for r in results]
    soft = [r[1]["soft"] for r in results]
    ff = [r[1]["stats"].get("first_feasible_ms") for r in results]
    mv = [r[1]["stats"]["moves"] for r in results]
    moved = [len(r[1]["stats"].get("moves_from_previous", [])) for r in results]
    hard = max(r[1]["hard"] for r in results)
    print(f"| {name} | {limit:g} | {statistics.median(walls):.1f} | {statistics.median([x for x in ff if x is not None] or [0]):.0f} | {hard} | {statistics.median(soft):.0f} ({min(soft)}-{max(soft)}) | {statistics.median(mv):.0f} | {statistics.median(moved):.0f} |")

def timed(body):
    t = time.time()
    job, v = run(body)
    return (time.time() - t, v)

for limit in limits:
    row("solve", limit, [timed({"time_limit_seconds": limit, "seed": s}) for s in range(1, seeds + 1)])
# Publish the last solve, cancel one workshop, repair.
last = call("GET", f"/meetings/{meeting}/schedules")["items"][0]["id"]
call("POST", f"/schedules/{last}/publish", {})
prog = call("GET", f"/meetings/{meeting}/programme")
victim = next(s for s in prog["sessions"] if s["session_type"] == "workshop")["session_id"]
call("PATCH", f"/sessions/{victim}", {"status": "cancelled"})
row("repair after a cancellation", 5, [timed({"kind": "repair", "time_limit_seconds": 5, "seed": s}) for s in range(1, seeds + 1)])
PY
