#!/usr/bin/env bash
# Webhooks as a receiver sees them: tests/webhooks/webhooks.py runs a local receiver
# that verifies every delivery with the standardwebhooks package (PyPI, installed into
# a tools folder on first use), against a debug build on a throwaway SQLite database:
# retries after a 500 and a timeout, a redelivery, an endpoint disabled after repeated
# failures, and private or plain-http addresses refused.
#
# Usage: scripts/test-webhooks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${IGF_TOOLS_DIR:-${TMPDIR:-/tmp}/igf-scheduler-tools}
mkdir -p "$dir"
if [ ! -d "$dir/hooks/standardwebhooks" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$dir/hooks" \
    --break-system-packages standardwebhooks==1.1.0 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --target "$dir/hooks" standardwebhooks==1.1.0
fi
cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PYTHONPATH="$dir/hooks" python3 tests/webhooks/webhooks.py target/debug/igf-scheduler "$work"
