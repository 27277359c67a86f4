#!/usr/bin/env bash
# Benchmarks the programme feed over loopback with wrk: requests per second and p99
# latency of a 300-session programme.ics (plain, gzip, and conditional 304), of
# schedule.json, and the server's memory. Starts a release build on a throwaway SQLite
# database with the demo, publishes a 300-session meeting through the API
# (scripts/feeds_fixture.py), then runs each case RUNS times and prints medians. The
# anchor is pretalx at 3.8 requests/s for a 300-event feed on this machine kind.
#
# Usage: scripts/bench-feeds.sh   (env: RUNS=3 SECONDS_PER_RUN=15 CONNECTIONS=64)
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
secs=${SECONDS_PER_RUN:-15}
conns=${CONNECTIONS:-64}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
cargo build --release --quiet
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
start_demo_server release
meeting=$(python3 scripts/feeds_fixture.py "$port" 300)
base="http://127.0.0.1:$port/api/v1/meetings/$meeting"
size=$(curl -s "$base/programme.ics" | wc -c)
gz=$(curl -s -H 'Accept-Encoding: gzip' "$base/programme.ics" | wc -c)
events=$(curl -s "$base/programme.ics" | grep -c '^BEGIN:VEVENT')
etag=$(curl -s -I "$base/programme.ics" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
rss() { awk '/^'"$1"':/{print $2}' "/proc/$server/status"; }
rss_before=$(rss VmRSS)
echo "programme.ics: $events events, $size bytes ($gz gzip); wrk -t2 -c$conns -d${secs}s, $runs runs, medians"
echo
echo "| case | requests/s | p50 | p99 | × pretalx (3.8/s) |"
echo "| --- | --- | --- | --- | --- |"
to_ms() { # wrk latency like 1.23ms, 456.00us, 1.02s
  python3 -c "import sys,re; v=sys.argv[1]; n=float(re.match(r'[0-9.]+',v).group()); u=v[len(re.match(r'[0-9.]+',v).group()):]; print(round(n*{'us':0.001,'ms':1,'s':1000}[u],2))" "$1"
}
bench() {
  local name=$1 url=$2; shift 2
  local out rps=() p50=() p99=()
  curl -s -o /dev/null "$@" "$url" # renders it once, as the first subscriber would
  for _ in $(seq 1 "$runs"); do
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url")
    if echo "$out" | grep -q 'Non-2xx'; then
      # 304s are the expected answer of the conditional case; anything else is an error.
      [ "$name" = "programme.ics, If-None-Match (304)" ] || { echo "$out" >&2; exit 1; }
    fi
    rps+=("$(echo "$out" | awk '/^Requests\/sec/{print $2}')")
    p50+=("$(to_ms "$(echo "$out" | awk '$1=="50%"{print $2}')")")
    p99+=("$(to_ms "$(echo "$out" | awk '$1=="99%"{print $2}')")")
  done
  python3 - "$name" "${rps[*]}" "${p50[*]}" "${p99[*]}" <<'PY'
import statistics as st, sys
name, rps, p50, p99 = sys.argv[1], *[[float(x) for x in a.split()] for a in sys.argv[2:]]
m = st.median(rps)
print(f"| {name} | {m:,.0f} ({min(rps):,.0f}–{max(rps):,.0f}) | {st.median(p50)} ms | {st.median(p99)} ms | {m / 3.8:,.0f} |")
PY
}
bench "programme.ics" "$base/programme.ics"
bench "programme.ics, gzip" "$base/programme.ics" -H 'Accept-Encoding: gzip'
bench "programme.ics, If-None-Match (304)" "$base/programme.ics" -H "If-None-Match: $etag"
bench "programme.ics?day= (one day)" "$base/programme.ics?day=2027-12-07"
bench "schedule.json" "$base/schedule.json"
bench "schedule.json, gzip" "$base/schedule.json" -H 'Accept-Encoding: gzip'
echo
echo "server memory: VmRSS $((rss_before / 1024)) MiB before the load, $(( $(rss VmRSS) / 1024 )) MiB after, peak (VmHWM) $(( $(rss VmHWM) / 1024 )) MiB"
