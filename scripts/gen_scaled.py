#!/usr/bin/env python3
"""Writes a scaled benchmark instance with the shared generator (../shared/bench/gen_instance.py):
the same rules and distributions, with its room list repeated and more sessions and speakers.

Usage: scripts/gen_scaled.py --sessions 1200 --rooms 60 [--proposals 4000 --select 1000] [--seed 20250623] --out FILE
(--rooms must be a multiple of 20, the generator's room list)."""
import argparse
import importlib.util
import json
import os

here = os.path.dirname(os.path.abspath(__file__))
path = os.environ.get("IGF_BENCH_DIR", os.path.join(here, "..", "..", "shared", "bench"))
spec = importlib.util.spec_from_file_location("gen_instance", os.path.join(path, "gen_instance.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

ap = argparse.ArgumentParser()
ap.add_argument("--sessions", type=int, required=True)
ap.add_argument("--rooms", type=int, required=True)
ap.add_argument("--seed", type=int, default=20250623)
ap.add_argument("--proposals", type=int, default=400, help="proposals of the selection part")
ap.add_argument("--select", type=int, default=100, help="how many to select; quotas scale with it")
ap.add_argument("--out", required=True)
a = ap.parse_args()
copies = a.rooms // len(gen.ROOMS)
if copies * len(gen.ROOMS) != a.rooms:
    raise SystemExit(f"--rooms must be a multiple of {len(gen.ROOMS)}")
base = list(gen.ROOMS)
gen.ROOMS = [(n if k == 0 else f"{n} ({k + 1})", c, h) for k in range(copies) for (n, c, h) in base]
speakers = a.sessions * 520 // 300
inst = gen.build(a.seed, n_sessions=a.sessions, n_speakers=speakers, n_proposals=a.proposals)
k = a.select / 100
sel = inst["selection"]
sel["select_count"] = a.select
sel["theme_quota_max"] = round(sel["theme_quota_max"] * k)
sel["region_min"] = {r: round(v * k) for r, v in sel["region_min"].items()}
sel["stakeholder_min"] = {g: round(v * k) for g, v in sel["stakeholder_min"].items()}
sel["max_per_organisation"] = round(sel["max_per_organisation"] * k)
with open(a.out, "w") as f:
    json.dump(inst, f, indent=1)
print(f"wrote {a.out}: {inst['meta']['counts']}")
