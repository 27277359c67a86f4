"""Prints scripts/lighthouse.sh's table from Lighthouse's JSON reports, the audits that
cost points, and exits 1 when the goal is not met.

Usage: lighthouse_report.py "GATE PRESETS" DAYS_TSV RUN...  where RUN is
preset|page name|path|HTML bytes with gzip|HTML bytes plain|report.json
and DAYS_TSV has lines: day, HTML bytes with gzip, HTML bytes plain.
"""
import json
import sys

CATEGORIES = ["performance", "accessibility", "best-practices"]
MIN_SCORE = 95
MAX_DAY_BYTES = 100 * 1024


def kib(n):
    return f"{n / 1024:,.1f} KiB"


def item_text(item):
    """One line about one item of an audit's details."""
    parts = []
    node = item.get("node") or {}
    for key in ("url", "sourceLocation", "description", "label"):
        v = item.get(key)
        if isinstance(v, str) and v:
            parts.append(v)
        elif isinstance(v, dict) and v.get("url"):
            parts.append(v["url"])
    if node.get("snippet"):
        parts.append(node["snippet"])
    if node.get("explanation"):
        parts.append(node["explanation"].replace("\n", " "))
    return ": ".join(parts)[:300]


def main():
    gate, days_tsv, runs = sys.argv[1].split(), sys.argv[2], sys.argv[3:]
    ok = True
    rows, losses, audits = [], [], {}
    for run in runs:
        preset, name, path, gz, plain, report = run.split("|")
        r = json.load(open(report))
        scores = {c: r["categories"][c]["score"] for c in CATEGORIES}
        shown = {c: "n/a" if s is None else round(s * 100) for c, s in scores.items()}
        weight = r["audits"]["total-byte-weight"].get("numericValue") or 0
        rows.append((name, preset, shown, weight, int(gz), int(plain)))
        if preset in gate and any(s == "n/a" or s < MIN_SCORE for s in shown.values()):
            ok = False
        if path.split("?")[-1].startswith("day=") and weight > MAX_DAY_BYTES:
            ok = False
        final = r.get("finalDisplayedUrl") or r.get("finalUrl")
        if final and not final.endswith(path):
            losses.append(f"{preset} · {name}: Lighthouse ended on {final}")
        for warning in r.get("runWarnings", []):
            losses.append(f"{preset} · {name}: warning: {warning}")
        for c in CATEGORIES:
            if shown[c] == 100:
                continue
            for ref in r["categories"][c]["auditRefs"]:
                a = r["audits"][ref["id"]]
                if ref.get("weight", 0) == 0 or a.get("score") is None or a["score"] >= 1:
                    continue
                line = f"{c}: {a['id']} (score {a['score']:.2f}) — {a['title']}"
                if a.get("displayValue"):
                    line += f" — {a['displayValue']}"
                items = (a.get("details") or {}).get("items") or []
                for it in items[:5]:
                    text = item_text(it)
                    if text:
                        line += f"\n    {text}"
                if len(items) > 5:
                    line += f"\n    … and {len(items) - 5} more"
                # The same loss on several pages is told once, with the pages.
                audits.setdefault(line, []).append(f"{preset} · {name} ({c} {shown[c]})")
    print()
    print("| page | preset | performance | accessibility | best-practices "
          "| total-byte-weight (Lighthouse) | HTML over the wire (gzip) | HTML plain |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, preset, shown, weight, gz, plain in rows:
        print(f"| {name} | {preset} | {shown['performance']} | {shown['accessibility']} "
              f"| {shown['best-practices']} | {kib(weight)} | {kib(gz)} | {kib(plain)} |")
    days = [line.split("\t") for line in open(days_tsv).read().split("\n") if line]
    if days:
        biggest = max(days, key=lambda d: int(d[1]))
        print()
        print("every day of the programme, HTML over the wire with gzip (plain): "
              + ", ".join(f"{d} {kib(int(g))} ({kib(int(p))})" for d, g, p in days))
        if int(biggest[1]) > MAX_DAY_BYTES:
            ok = False
    print()
    for line, where in audits.items():
        losses.append(f"{line.split(chr(10))[0]}\n    on: {', '.join(where)}"
                      + "".join("\n" + x for x in line.split("\n")[1:]))
    if losses:
        print("audits that cost points (score < 1, weighted), and Lighthouse's warnings:")
        for line in losses:
            print("- " + line)
    else:
        print("no audit cost a point")
    print()
    print(f"goal: every score >= {MIN_SCORE} ({' and '.join(gate)}), a day of the programme "
          f"<= {kib(MAX_DAY_BYTES)} over the wire: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
