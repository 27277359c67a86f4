#!/usr/bin/env bash
# Runs the whole test suite: unit tests and API tests on SQLite, then the API tests
# again on a real PostgreSQL server. Unless TEST_DATABASE_URL already names a server
# (postgres://user@host:port/postgres, a role that may CREATE DATABASE), a throwaway
# cluster is started in a temporary folder and removed afterwards.
# Needs the PostgreSQL server binaries (Debian: postgresql); IGF_SKIP_POSTGRES=1 runs
# the SQLite half only and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/pg-throwaway.sh
. scripts/pg-throwaway.sh

start=$(date +%s)
echo "== unit and API tests on SQLite"
env -u TEST_DATABASE_URL cargo test --all-targets
sqlite_done=$(date +%s)

if [ "${IGF_SKIP_POSTGRES:-}" = 1 ]; then
  echo "== PostgreSQL half SKIPPED (IGF_SKIP_POSTGRES=1)"
  exit 0
fi
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  start_pg
fi
echo "== API tests on PostgreSQL"
cargo test --test api
end=$(date +%s)
echo "== timings: SQLite run $((sqlite_done - start)) s, PostgreSQL run $((end - sqlite_done)) s (including any build)"
