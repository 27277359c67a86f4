#!/usr/bin/env bash
# Benchmarks the scheduling solver on the shared public instance and on scaled ones
# (600 sessions in 40 rooms, 1,200 in 60, and a tight 1,200 in 40), and on the public
# instance's logistics variant (`gen_instance.py --logistics`: interpretation booths and
# teams, captioners and online channels), under the
# benchmark's objective (same-theme clashes, what ../shared/bench/check_solution.py
# scores) and under the product's full objective. Every solution is re-scored by the
# shared checker. Prints a Markdown table of medians over the seeds.
#
# Usage: scripts/bench-solver.sh [SECONDS=30] [SEEDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-30}
seeds=${2:-3}
bench=../shared/bench
work=$(mktemp -d /tmp/igf-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=target/release/igf-scheduler
python3 "$bench/gen_instance.py" --seed 20250623 --out "$work/public.json" >/dev/null
python3 "$bench/gen_instance.py" --seed 20250623 --logistics --out "$work/logistics.json" >/dev/null
python3 scripts/gen_scaled.py --sessions 600 --rooms 40 --out "$work/s600r40.json" >/dev/null
python3 scripts/gen_scaled.py --sessions 1200 --rooms 60 --out "$work/s1200r60.json" >/dev/null
python3 scripts/gen_scaled.py --sessions 1200 --rooms 40 --out "$work/s1200r40.json" >/dev/null

echo "| instance | objective | first feasible (ms) | search cost @1 s | @2 s | @10 s | @30 s | final soft, all rules | bound | shared checker (hard, clashes) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for inst in public logistics s600r40 s1200r60 s1200r40; do
  for objective in benchmark full; do
    rows=()
    for seed in $(seq 1 "$seeds"); do
      out="$work/$inst-$objective-$seed"
      summary=$("$bin" solve --instance "$work/$inst.json" --time-limit "$limit" --seed "$seed" \
        --objective "$objective" --out "$out.sol.json" --trace "$out.trace.json")
      checked=$(python3 "$bench/check_solution.py" "$work/$inst.json" "$out.sol.json")
      rows+=("$(python3 - "$summary" "$checked" "$out.trace.json" "$limit" <<'PY'
import json, sys
summary, checked, trace, limit = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.load(open(sys.argv[3])), float(sys.argv[4])
def best_at(sec):
    if sec > limit:
        return None
    pts = [p for p in trace if p["ms"] <= sec * 1000 and p["hard"] == 0]
    return pts[-1]["soft"] if pts else None
print(json.dumps({"ff": summary["first_feasible_ms"], "b1": best_at(1), "b2": best_at(2), "b10": best_at(10),
                  "b30": best_at(30), "bl": summary["soft"], "bound": summary["lower_bound"],
                  "check": [checked["hard_total"], checked["soft_theme_clashes"]]}))
PY
)")
    done
    python3 - "$inst" "$objective" "${rows[@]}" <<'PY'
import json, statistics, sys
inst, objective, rows = sys.argv[1], sys.argv[2], [json.loads(r) for r in sys.argv[3:]]
def med(k):
    v = [r[k] for r in rows if r[k] is not None]
    return statistics.median(v) if v else "-"
checks = sorted({tuple(r["check"]) for r in rows})
print(f"| {inst} | {objective} | {med('ff')} | {med('b1')} | {med('b2')} | {med('b10')} | {med('b30')} | {med('bl')} | {rows[0]['bound'] or '-'} | {checks} |")
PY
  done
done
