#!/usr/bin/env bash
# Lints api-spec/openapi.yaml with Redocly CLI (npm, pinned: 2.77.0 is the last release
# that runs on Node 20) under the rules in redocly.yaml. Installed once into a cache folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${IGF_TOOLS_DIR:-${TMPDIR:-/tmp}/igf-scheduler-tools}
if [ ! -x "$dir/node_modules/.bin/redocly" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm install --silent --no-audit --no-fund @redocly/cli@2.77.0 >/dev/null)
fi
"$dir/node_modules/.bin/redocly" lint --config redocly.yaml api-spec/openapi.yaml
