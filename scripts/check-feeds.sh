#!/usr/bin/env bash
# Checks the calendar feeds with five independent readers: Python's icalendar (times
# through zoneinfo) and vobject, ical.js (the parser of Mozilla's calendar), node-ical,
# and khal (Debian's package) as a subscriber in two zones other than the venue's; and
# schedule.json with Python's jsonschema against
# ../shared/schemas/c3voc-schedule.schema.json. Starts the service on a throwaway
# SQLite database with the demo (summer in Oslo), adds meetings across the end of
# summer time (a session at 02:30, an hour that comes twice) and across its start (a
# session over the hour that never happens), solves and publishes them over the API,
# then compares every event's start and end in the feeds with the API's UTC times.
# Tools are installed once into a cache folder (PyPI and npm, pinned); khal comes from
# the system (apt-get install khal).
#
# Usage: scripts/check-feeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${IGF_TOOLS_DIR:-${TMPDIR:-/tmp}/igf-scheduler-tools}
mkdir -p "$dir"
py_pkgs=(icalendar==6.1.0 'jsonschema[format-nongpl]==4.26.0' vobject==0.9.9)
if [ ! -d "$dir/py/icalendar" ] || [ ! -d "$dir/py/jsonschema" ] || [ ! -d "$dir/py/vobject" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$dir/py" \
    --break-system-packages "${py_pkgs[@]}" 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --target "$dir/py" "${py_pkgs[@]}"
fi
if [ ! -d "$dir/node_modules/ical.js" ] || [ ! -d "$dir/node_modules/node-ical" ]; then
  (cd "$dir" && npm install --silent --no-audit --no-fund ical.js@2.2.1 node-ical@0.20.1 >/dev/null)
fi
command -v khal >/dev/null || { echo "khal is missing: apt-get install khal" >&2; exit 1; }
cargo build --quiet
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
start_demo_server debug
PYTHONPATH="$dir/py" python3 scripts/check_feeds.py "$port" "$work"
for f in "$work"/*.ics; do
  PYTHONPATH="$dir/py" python3 scripts/check_feeds_vobject.py "$f" "${f%.ics}.json"
  NODE_PATH="$dir/node_modules" node scripts/check_feeds.js "$f" "${f%.ics}.json"
  NODE_PATH="$dir/node_modules" node scripts/check_feeds_node_ical.js "$f" "${f%.ics}.json"
  for zone in America/Los_Angeles Asia/Kathmandu; do
    python3 scripts/check_feeds_khal.py "$f" "${f%.ics}.json" "$zone"
  done
done
