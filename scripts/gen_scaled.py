#!/usr/bin/env python3
"""Writes a scaled benchmark instance with the shared generator (../shared/bench/gen_instance.py):
the same rules and distributions, with its room list repeated and more sessions and speakers.

Usage: scripts/gen_scaled.py --sessions 1200 --rooms 60 [--seed 20250623] --out FILE
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
ap.add_argument("--out", required=True)
a = ap.parse_args()
copies = a.rooms // len(gen.ROOMS)
if copies * len(gen.ROOMS) != a.rooms:
    raise SystemExit(f"--rooms must be a multiple of {len(gen.ROOMS)}")
base = list(gen.ROOMS)
gen.ROOMS = [(n if k == 0 else f"{n} ({k + 1})", c, h) for k in range(copies) for (n, c, h) in base]
speakers = a.sessions * 520 // 300
inst = gen.build(a.seed, n_sessions=a.sessions, n_speakers=speakers)
with open(a.out, "w") as f:
    json.dump(inst, f, indent=1)
print(f"wrote {a.out}: {inst['meta']['counts']}")
