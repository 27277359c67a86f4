# Sourced by the scripts: start_demo_server PROFILE starts target/PROFILE/igf-scheduler
# with the demo on a throwaway SQLite database on a free loopback port, waits for
# /health, and stops it and removes the database on exit. Sets $port, $work, $server.
start_demo_server() {
  local profile=$1
  work=$(mktemp -d /tmp/igf-demo.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  IGF_DATABASE_URL="$work/igf.db" IGF_LOG=warn "target/$profile/igf-scheduler" serve --demo \
    --bind "127.0.0.1:$port" >"$work/log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 1 300); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/health')" 2>/dev/null && return 0
    kill -0 "$server" 2>/dev/null || { cat "$work/log" >&2; return 1; }
    sleep 0.2
  done
  echo "the service did not answer /health; its log:" >&2
  cat "$work/log" >&2
  return 1
}

# build_release: the release build, unless IGF_NO_BUILD=1 says to use the one there is.
build_release() {
  if [ "${IGF_NO_BUILD:-}" = 1 ]; then
    [ -x target/release/igf-scheduler ] || { echo "target/release/igf-scheduler is missing" >&2; exit 2; }
  else
    cargo build --release --quiet
  fi
}
