#!/usr/bin/env bash
# Email through a real SMTP server: tests/mail/mail.py starts aiosmtpd (PyPI, installed
# into a tools folder on first use), loads the demo into a throwaway SQLite database
# with mail off, then serves it with mail on, kills the service part way and starts it
# again, and reads every message back with Python's email package; then the same on a
# throwaway PostgreSQL cluster (or TEST_DATABASE_URL) with two instances.
#
# Usage: scripts/test-mail.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${IGF_TOOLS_DIR:-${TMPDIR:-/tmp}/igf-scheduler-tools}
mkdir -p "$dir"
if [ ! -d "$dir/mail/aiosmtpd" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$dir/mail" \
    --break-system-packages aiosmtpd==1.4.6 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --target "$dir/mail" aiosmtpd==1.4.6
fi
cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PYTHONPATH="$dir/mail" python3 tests/mail/mail.py target/debug/igf-scheduler "$work"
# shellcheck source=scripts/pg-throwaway.sh
. scripts/pg-throwaway.sh
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  start_pg
  trap 'stop_pg; rm -rf "$work"' EXIT
fi
PYTHONPATH="$dir/mail" python3 tests/mail/mail.py target/debug/igf-scheduler "$work" "$TEST_DATABASE_URL"
