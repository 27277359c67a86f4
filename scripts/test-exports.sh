#!/usr/bin/env bash
# The committee's exports read back by independent readers: tests/exports/exports.py
# loads the demo into a debug build on a throwaway SQLite database and compares every
# export, as CSV (Python's csv module) and as XLSX (openpyxl, PyPI, installed into a
# tools folder on first use), with the API's own lists, as each role.
#
# Usage: scripts/test-exports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${IGF_TOOLS_DIR:-${TMPDIR:-/tmp}/igf-scheduler-tools}
mkdir -p "$dir"
if [ ! -d "$dir/xlsx/openpyxl" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$dir/xlsx" \
    --break-system-packages openpyxl==3.1.5 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --target "$dir/xlsx" openpyxl==3.1.5
fi
cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PYTHONPATH="$dir/xlsx" python3 tests/exports/exports.py target/debug/igf-scheduler "$work"
