#!/usr/bin/env bash
# Benchmarks the public pages over loopback with wrk: requests per second, p50 and p99
# of the demo's programme page already rendered (plain and gzip), the same answered 304
# to If-None-Match, one day of it, the grid of that day and a session page; then the
# cost of a first render after a change: signed in as the demo's secretariat it edits a
# session's title (which bumps the meeting's feed revision) and times the first GET of
# each page after it, FIRST_RENDERS times (scripts/bench_pages.py). Starts a release
# build on a throwaway SQLite database with the demo, runs each wrk case RUNS times and
# prints medians beside the goal: at least 1,000 requests/s for an already rendered page
# on this 2-core machine, p99 under 20 ms.
#
# Usage: scripts/bench-pages.sh   (env: RUNS=3 SECONDS_PER_RUN=10 CONNECTIONS=64
#        FIRST_RENDERS=20; IGF_NO_BUILD=1 uses target/release/igf-scheduler as it is)
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
secs=${SECONDS_PER_RUN:-10}
conns=${CONNECTIONS:-64}
firsts=${FIRST_RENDERS:-20}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
build_release
start_demo_server release
site="http://127.0.0.1:$port"
# The demo's meeting with a published programme, and its session with the most people
# (the fullest session page); the day and grid are that session's day.
read -r meeting sid day < <(python3 - "$site" <<'PY'
import json, sys, urllib.request
site = sys.argv[1]
items = json.load(urllib.request.urlopen(site + "/api/v1/meetings"))["items"]
m = next(m["id"] for m in items if "call open" not in m["name"])
p = json.load(urllib.request.urlopen(f"{site}/api/v1/meetings/{m}/programme"))
s = min(p["sessions"], key=lambda s: (-len(s["people"]), s["starts_at_utc"], s["session_id"]))
print(m, s["session_id"], s["day"])
PY
)
programme="/meetings/$meeting"
one_day="/meetings/$meeting?day=$day"
grid="/meetings/$meeting?view=grid&day=$day"
session="/meetings/$meeting/sessions/$sid"
size() { curl -s "$@" | wc -c; }
etag=$(curl -s -I "$site$programme" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
sessions=$(curl -s "$site/api/v1/meetings/$meeting/programme" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sessions"]))')
rss() { awk '/^'"$1"':/{print $2}' "/proc/$server/status"; }
rss_before=$(rss VmRSS)
echo "meeting $meeting, $sessions sessions: programme page $(size "$site$programme") bytes" \
  "($(size -H 'Accept-Encoding: gzip' "$site$programme") gzip); wrk -t2 -c$conns -d${secs}s, $runs runs, medians"
echo "goal: >= 1,000 requests/s for an already rendered page on this $(nproc)-core machine, p99 < 20 ms"
echo
echo "| case | requests/s | p50 | p99 | goal |"
echo "| --- | --- | --- | --- | --- |"
to_ms() { # wrk latency like 1.23ms, 456.00us, 1.02s
  python3 -c "import sys,re; v=sys.argv[1]; n=float(re.match(r'[0-9.]+',v).group()); u=v[len(re.match(r'[0-9.]+',v).group()):]; print(round(n*{'us':0.001,'ms':1,'s':1000,'m':60000}[u],2))" "$1"
}
bench() {
  local name=$1 url=$2 expect=$3; shift 3
  local out rps=() p50=() p99=()
  local code # renders it once, as the first visitor would
  code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url")
  [ "$code" = "$expect" ] || { echo "$name: $url answered $code, not $expect" >&2; exit 1; }
  for _ in $(seq 1 "$runs"); do
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url")
    # 304s are the expected answer of the conditional case; anything else is an error.
    if echo "$out" | grep -q 'Socket errors' || { echo "$out" | grep -q 'Non-2xx' && [ "$expect" != 304 ]; }; then
      echo "$out" >&2
      exit 1
    fi
    rps+=("$(echo "$out" | awk '/^Requests\/sec/{print $2}')")
    p50+=("$(to_ms "$(echo "$out" | awk '$1=="50%"{print $2}')")")
    p99+=("$(to_ms "$(echo "$out" | awk '$1=="99%"{print $2}')")")
  done
  python3 - "$name" "${rps[*]}" "${p50[*]}" "${p99[*]}" <<'PY'
import statistics as st, sys
name, rps, p50, p99 = sys.argv[1], *[[float(x) for x in a.split()] for a in sys.argv[2:]]
m, p = st.median(rps), st.median(p99)
goal = "met" if m >= 1000 and p < 20 else "NOT met: " + ", ".join(
    x for x in (m < 1000 and f"{m:,.0f}/s < 1,000/s", p >= 20 and f"p99 {p} ms >= 20 ms") if x)
print(f"| {name} | {m:,.0f} ({min(rps):,.0f}–{max(rps):,.0f}) | {st.median(p50)} ms | {p} ms | {goal} |")
PY
}
bench "programme page" "$site$programme" 200
bench "programme page, gzip" "$site$programme" 200 -H 'Accept-Encoding: gzip'
bench "programme page, If-None-Match (304)" "$site$programme" 304 -H "If-None-Match: $etag"
bench "one day (?day=$day), gzip" "$site$one_day" 200 -H 'Accept-Encoding: gzip'
bench "grid (?view=grid&day=$day), gzip" "$site$grid" 200 -H 'Accept-Encoding: gzip'
bench "session page ($sid), gzip" "$site$session" 200 -H 'Accept-Encoding: gzip'
rss_after=$(rss VmRSS)
echo
echo "first render after a change (session $sid's title edited, then the first GET with gzip), $firsts times:"
echo
echo "| page | median | max | the same GET again (rendered), median |"
echo "| --- | --- | --- | --- |"
python3 scripts/bench_pages.py "$port" "$firsts" "$sid" \
  "$programme" "programme page" "$one_day" "one day" "$grid" "grid" "$session" "session page"
echo
echo "server memory: VmRSS $((rss_before / 1024)) MiB before the load, $((rss_after / 1024)) MiB after, peak (VmHWM) $(( $(rss VmHWM) / 1024 )) MiB"
