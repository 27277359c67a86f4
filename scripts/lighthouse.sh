#!/usr/bin/env bash
# Lighthouse scores of the public pages: performance, accessibility and best-practices
# (0-100) of the programme, one day of it (?day= the first day), the grid of that day, a
# session page, the transparency report and now-and-next, with Lighthouse's desktop and
# mobile presets, in Debian's chromium (headless). Beside them the bytes each page
# moves: Lighthouse's total-byte-weight (the page and all it loads) and the HTML
# document alone over the wire with gzip. Starts a release build on a throwaway SQLite
# database with the demo; the browser runs in the venue's zone, so the page's zone
# script does not move it to ?tz= (a visitor elsewhere loads the page twice: the script
# replaces it with ?tz=). Lighthouse (npm, pinned) is installed once into a tools
# folder; at run time nothing is fetched but from the local service (the browser
# resolves no other host). Prints the failing audits of every score under 100. Exits
# non-zero if a score of a gating preset (GATE) is under 95, or if a day of the
# programme is over 100 KiB over the wire (its HTML with gzip, every day; and
# Lighthouse's total-byte-weight of the first day).
#
# Usage: scripts/lighthouse.sh   (env: PRESETS="desktop mobile" GATE="desktop mobile";
#        IGF_NO_BUILD=1 uses target/release/igf-scheduler as it is, without cargo build)
# Needs chromium (Debian: apt-get install chromium) and node with npm.
set -euo pipefail
cd "$(dirname "$0")/.."
presets=${PRESETS:-desktop mobile}
gate=${GATE:-desktop mobile}
dir=${IGF_TOOLS_DIR:-${TMPDIR:-/tmp}/igf-scheduler-tools}
mkdir -p "$dir"
# Lighthouse 12.8.2 is the last line for node 18-20 (13.x needs node >= 22.19).
lighthouse_version=12.8.2
export CHROME_PATH=/usr/bin/chromium
[ -x "$CHROME_PATH" ] || { echo "$CHROME_PATH is missing: apt-get install chromium" >&2; exit 2; }
command -v npm >/dev/null || { echo "npm is missing" >&2; exit 2; }
lh="$dir/npm-lighthouse/node_modules/.bin/lighthouse"
if [ ! -x "$lh" ] || [ "$("$lh" --version)" != "$lighthouse_version" ]; then
  npm install --silent --no-audit --no-fund --prefix "$dir/npm-lighthouse" \
    "lighthouse@$lighthouse_version" >/dev/null
fi
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
build_release
start_demo_server release
site="http://127.0.0.1:$port"
# The demo's meeting with a published programme, its zone, first day, days and a session.
read -r meeting zone day1 sid days < <(python3 - "$site" <<'PY'
import json, sys, urllib.request
site = sys.argv[1]
items = json.load(urllib.request.urlopen(site + "/api/v1/meetings"))["items"]
m = next(m["id"] for m in items if "call open" not in m["name"])
p = json.load(urllib.request.urlopen(f"{site}/api/v1/meetings/{m}/programme"))
days = sorted({s["day"] for s in p["sessions"]})
# The session with the most people (the fullest page), the earliest among them.
full = min(p["sessions"], key=lambda s: (-len(s["people"]), s["starts_at_utc"], s["session_id"]))
print(m, p["timezone"], days[0], full["session_id"], ",".join(days))
PY
)
pages=(
  "programme|/meetings/$meeting"
  "one day ($day1)|/meetings/$meeting?day=$day1"
  "grid ($day1)|/meetings/$meeting?view=grid&day=$day1"
  "session $sid|/meetings/$meeting/sessions/$sid"
  "transparency report|/meetings/$meeting/report"
  "now and next|/meetings/$meeting/now"
)
wire() { curl -s -H 'Accept-Encoding: gzip' "$site$1" | wc -c; }
plain() { curl -s "$site$1" | wc -c; }
# Every day of the programme, HTML with gzip.
: >"$work/days.tsv"
for d in ${days//,/ }; do
  printf '%s\t%s\t%s\n' "$d" "$(wire "/meetings/$meeting?day=$d")" "$(plain "/meetings/$meeting?day=$d")" >>"$work/days.tsv"
done
# Only the local service resolves: nothing else can be fetched at run time.
flags="--headless=new --no-sandbox --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'"
runs=()
for preset in $presets; do
  case $preset in
    desktop) preset_arg=(--preset=desktop) ;;
    mobile) preset_arg=() ;; # Lighthouse's default: a mobile phone on a throttled line
    *) echo "unknown preset $preset (desktop, mobile)" >&2; exit 2 ;;
  esac
  for i in "${!pages[@]}"; do
    name=${pages[$i]%%|*}
    path=${pages[$i]#*|}
    out="$work/lh-$preset-$i.json"
    # The page's script moves a browser outside the venue's zone to ?tz=; the venue's
    # zone keeps Lighthouse on the page asked for.
    TZ=$zone "$lh" "$site$path" "${preset_arg[@]}" --chrome-flags="$flags" \
      --only-categories=performance,accessibility,best-practices \
      --output=json --output-path="$out" --quiet --no-enable-error-reporting \
      2>"$work/lh-$preset-$i.log" || { cat "$work/lh-$preset-$i.log" >&2; exit 1; }
    runs+=("$preset|$name|$path|$(wire "$path")|$(plain "$path")|$out")
  done
done
echo "Lighthouse $lighthouse_version, $("$CHROME_PATH" --version 2>/dev/null), browser zone $zone, meeting $meeting"
python3 scripts/lighthouse_report.py "$gate" "$work/days.tsv" "${runs[@]}"
