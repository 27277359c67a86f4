#!/usr/bin/env bash
# Checks the calendar feeds with five independent readers: Python's icalendar (times
# through zoneinfo) and vobject, ical.js (the parser of Mozilla's calendar), node-ical,
# and khal (Debian's package) as a subscriber in two zones other than the venue's; and
# schedule.json with Python's jsonschema against
# ../shared/schemas/c3voc-schedule.schema.json, and schedule.xml with libxml2's xmllint
# against ../shared/schemas/c3voc-schedule.xml.xsd (apt-get install libxml2-utils). Starts the service on a throwaway
# SQLite database with the demo (summer in Oslo), adds meetings across the end of
# summer time (a session at 02:30, an hour that comes twice) and across its start (a
# session over the hour that never happens), solves and publishes them over the API,
# then compares every event's start and end in the feeds with the API's UTC times; then
# does the same for the meetings of its own on a throwaway PostgreSQL cluster. Tools are
# installed once into a cache folder (PyPI and npm, pinned); khal and PostgreSQL come
# from the system (apt-get install khal postgresql).
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
command -v xmllint >/dev/null || { echo "xmllint is missing: apt-get install libxml2-utils" >&2; exit 1; }
cargo build --quiet
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
# Every reader on every feed written into DIR, against the API's times beside it.
read_all() {
  for f in "$1"/*.ics; do
    PYTHONPATH="$dir/py" python3 scripts/check_feeds_vobject.py "$f" "${f%.ics}.json"
    NODE_PATH="$dir/node_modules" node scripts/check_feeds.js "$f" "${f%.ics}.json"
    NODE_PATH="$dir/node_modules" node scripts/check_feeds_node_ical.js "$f" "${f%.ics}.json"
    for zone in America/Los_Angeles Asia/Kathmandu; do
      python3 scripts/check_feeds_khal.py "$f" "${f%.ics}.json" "$zone"
    done
  done
}
echo "== on SQLite, with the demo"
start_demo_server debug
PYTHONPATH="$dir/py" python3 scripts/check_feeds.py "$port" "$work"
read_all "$work"
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true

echo "== on PostgreSQL, the meetings of our own"
# shellcheck source=scripts/pg-throwaway.sh
. scripts/pg-throwaway.sh
start_pg
pgwork=$(mktemp -d /tmp/igf-pg-feeds.XXXXXX)
secret="check feeds password"
IGF_DATABASE_URL="$TEST_DATABASE_URL" IGF_PASSWORD="$secret" IGF_LOG=warn target/debug/igf-scheduler \
  users add --email feeds@example.org --name "Feeds Check" --role secretariat >/dev/null
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
IGF_DATABASE_URL="$TEST_DATABASE_URL" IGF_JWT_SECRET=8c3f1a9e6b2d47f0a5c8e1b3d9f6a2c7 IGF_LOG=warn \
  target/debug/igf-scheduler serve --bind "127.0.0.1:$pgport" >"$pgwork/log" 2>&1 &
pgserver=$!
trap 'kill $pgserver 2>/dev/null; wait $pgserver 2>/dev/null; stop_pg; rm -rf "$pgwork"' EXIT
for _ in $(seq 1 300); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$pgport/health')" 2>/dev/null && break
  kill -0 "$pgserver" 2>/dev/null || { cat "$pgwork/log" >&2; exit 1; }
  sleep 0.2
done
PYTHONPATH="$dir/py" python3 scripts/check_feeds.py "$pgport" "$pgwork" feeds@example.org "$secret"
read_all "$pgwork"
