#!/usr/bin/env bash
# Checks the calendar feeds with two independent parsers, Python's icalendar (times
# through zoneinfo) and ical.js (the parser of Mozilla's calendar), and schedule.json
# with Python's jsonschema against ../shared/schemas/c3voc-schedule.schema.json.
# Starts the service on a throwaway SQLite database with the demo (summer in Oslo),
# adds a meeting that crosses the end of daylight time in October, solves and
# publishes it over the API, then compares every event's start and end in the feeds
# with the API's UTC times. Tools are installed once into a cache folder (PyPI and
# npm, pinned).
#
# Usage: scripts/check-feeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${IGF_TOOLS_DIR:-${TMPDIR:-/tmp}/igf-scheduler-tools}
mkdir -p "$dir"
py_pkgs=(icalendar==6.1.0 'jsonschema[format-nongpl]==4.26.0')
if [ ! -d "$dir/py/icalendar" ] || [ ! -d "$dir/py/jsonschema" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$dir/py" \
    --break-system-packages "${py_pkgs[@]}" 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --target "$dir/py" "${py_pkgs[@]}"
fi
if [ ! -d "$dir/node_modules/ical.js" ]; then
  (cd "$dir" && npm install --silent --no-audit --no-fund ical.js@2.2.1 >/dev/null)
fi
cargo build --quiet
work=$(mktemp -d /tmp/igf-feeds.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
IGF_DATABASE_URL="$work/igf.db" IGF_LOG=warn target/debug/igf-scheduler serve --demo --bind "127.0.0.1:$port" >"$work/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/health')" 2>/dev/null && break
  sleep 0.2
done
PYTHONPATH="$dir/py" python3 scripts/check_feeds.py "$port" "$work"
for f in "$work"/*.ics; do
  NODE_PATH="$dir/node_modules" node scripts/check_feeds.js "$f" "${f%.ics}.json"
done
