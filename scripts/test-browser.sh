#!/usr/bin/env bash
# The browser journeys in tests/browser/ (an attendee's programme, then the working
# pages of a proposer and an evaluator) against a debug build with the demo, in
# Debian's chromium over chromium-driver (apt-get install chromium chromium-driver),
# with selenium and icalendar (PyPI) and axe-core (npm) installed into a tools folder on first use.
# Screenshots go to target/screenshots/. Exits non-zero on any failed check.
#
# Usage: scripts/test-browser.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${IGF_TOOLS_DIR:-${TMPDIR:-/tmp}/igf-scheduler-tools}
mkdir -p "$dir"
for bin in /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$bin" ] || { echo "$bin is missing: apt-get install chromium chromium-driver" >&2; exit 1; }
done
if [ ! -d "$dir/sel/selenium" ] || [ ! -d "$dir/sel/icalendar" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$dir/sel" \
    selenium==4.38.0 icalendar==6.1.0
fi
if [ ! -f "$dir/npm-axe/node_modules/axe-core/axe.min.js" ]; then
  npm install --silent --no-audit --no-fund --prefix "$dir/npm-axe" axe-core@4.14.1 >/dev/null
fi
cargo build --quiet
# shellcheck source=scripts/demo-server.sh
. scripts/demo-server.sh
start_demo_server debug
# The demo's meeting with a published programme.
meeting=$(python3 -c "
import json, urllib.request
items = json.load(urllib.request.urlopen('http://127.0.0.1:$port/api/v1/meetings'))['items']
print(next(m['id'] for m in items if 'call open' not in m['name']))")
# selenium is told where the browser and driver are; nothing is downloaded.
export SE_OFFLINE=true
PYTHONPATH="$dir/sel" python3 tests/browser/programme.py "http://127.0.0.1:$port" "$meeting" \
  "$dir/npm-axe/node_modules/axe-core/axe.min.js" target/screenshots
PYTHONPATH="$dir/sel" python3 tests/browser/desk.py "http://127.0.0.1:$port" \
  "$dir/npm-axe/node_modules/axe-core/axe.min.js" target/screenshots
