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
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
start_demo_server debug
PYTHONPATH="$dir/py" python3 scripts/check_feeds.py "$port" "$work"
for f in "$work"/*.ics; do
  NODE_PATH="$dir/node_modules" node scripts/check_feeds.js "$f" "${f%.ics}.json"
done
