# Sourced by the scripts: start_pg starts a throwaway PostgreSQL cluster from the
# installed server binaries on a free loopback port, exports TEST_DATABASE_URL, and
# stops and removes it on exit (stop_pg).
PGDATA_DIR=""
stop_pg() {
  if [ -n "$PGDATA_DIR" ]; then
    $RUN_AS_PG "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA_DIR"
  fi
}

start_pg() {
  PGBIN=""
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    PGBIN=$(pg_config --bindir)
  else
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    echo "scripts/test.sh: no PostgreSQL server found (apt-get install postgresql), or set TEST_DATABASE_URL" >&2
    exit 1
  fi
  PGDATA_DIR=$(mktemp -d /tmp/igf-pg.XXXXXX)
  RUN_AS_PG=""
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PGDATA_DIR"
    RUN_AS_PG="runuser -u postgres --"
  fi
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  $RUN_AS_PG "$PGBIN/initdb" -D "$PGDATA_DIR" -A trust -U postgres -E UTF8 >/dev/null
  $RUN_AS_PG "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $PGDATA_DIR -c max_connections=1000 -c fsync=off -c full_page_writes=off" \
    start >/dev/null
  trap stop_pg EXIT
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "== started a throwaway PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $port"
}
