#!/usr/bin/env bash
# Runs a real PostgreSQL server for local development and tests, listening on 127.0.0.1 only (TCP, no Unix socket).
# The binaries come from scripts/ensure-postgres.sh (Debian's `postgresql` package, installed once if missing).
#
#   postgres.sh start   init the cluster once, start it, wait until it accepts connections,
#                       create the application role and database (idempotent: finds a running server)
#   postgres.sh stop    stop cleanly (pg_ctl stop -m fast)
#   postgres.sh status  exit 0 when the server accepts connections on the port
#   postgres.sh url     print the DATABASE_URL of the application database
#   postgres.sh psql    open psql on the application database (extra arguments are passed on)
#
# Environment: PGPORT_LOCAL (default 55432), POSTGRES_DATA_DIR (default <repo>/.local/postgres-$PGPORT_LOCAL),
#              POSTGRES_APP_USER / POSTGRES_APP_PASSWORD / POSTGRES_APP_DB (default korpu / korpu / korpu),
#              POSTGRES_OS_USER (default postgres; the server never runs as root),
#              POSTGRES_FSYNC (default on; `off` for throw-away test servers), POSTGRES_SYNCHRONOUS_COMMIT (default
#              off, as in postgresql.conf below: a local server; `on` waits for each commit's WAL flush, as a deployment
#              does, e.g. for the benches), POSTGRES_STATEMENT_STATS (default off; `on` loads pg_stat_statements, for
#              the pipeline bench's --pg-statements), POSTGRES_START_TIMEOUT (default 60 s). They apply when the server
#              starts; a running server keeps what it was started with.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${PGPORT_LOCAL:-55432}
data=${POSTGRES_DATA_DIR:-$root/.local/postgres-$port}
app_user=${POSTGRES_APP_USER:-korpu}
app_password=${POSTGRES_APP_PASSWORD:-korpu}
app_db=${POSTGRES_APP_DB:-korpu}
fsync=${POSTGRES_FSYNC:-on}
synchronous_commit=${POSTGRES_SYNCHRONOUS_COMMIT:-off}
statement_stats=${POSTGRES_STATEMENT_STATS:-off}
superuser=postgres
superuser_password=postgres

log() { echo "[postgres] $*" >&2; }
case "$fsync" in on|off) ;; *) log "POSTGRES_FSYNC must be on or off, got '$fsync'"; exit 2 ;; esac
case "$synchronous_commit" in on|off) ;; *) log "POSTGRES_SYNCHRONOUS_COMMIT must be on or off, got '$synchronous_commit'"; exit 2 ;; esac
case "$statement_stats" in on|off) ;; *) log "POSTGRES_STATEMENT_STATS must be on or off, got '$statement_stats'"; exit 2 ;; esac

url() { echo "postgres://$app_user:$app_password@127.0.0.1:$port/$app_db"; }

# The server and its files belong to an unprivileged OS user: initdb and postgres refuse to run as root.
if [ "$(id -u)" = 0 ]; then os_user=${POSTGRES_OS_USER:-postgres}; else os_user=$(id -un); fi

as_os_user() {
  if [ "$(id -un)" = "$os_user" ]; then (cd / && "$@"); else (cd / && runuser -u "$os_user" -- "$@"); fi
}

ensure_os_user() {
  [ "$(id -u)" = 0 ] || return 0
  id -u "$os_user" >/dev/null 2>&1 && return 0
  log "creating OS user $os_user to run the server"
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash "$os_user"
}

bin_dir() {
  if [ -z "${pg_bin:-}" ]; then pg_bin=$("$root/scripts/ensure-postgres.sh"); fi
  echo "$pg_bin"
}

ready() { "$(bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2 >/dev/null 2>&1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ours_running() { [ -f "$data/pgdata/postmaster.pid" ] && as_os_user "$(bin_dir)/pg_ctl" -D "$data/pgdata" status >/dev/null 2>&1; }

superuser_sql() {
  PGPASSWORD=$superuser_password "$(bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres "$@"
}

choose_data_dir() {
  # The OS user must be able to reach the data directory; a checkout under /root, for instance, is not reachable.
  mkdir -p "$data"
  chown "$os_user:" "$data" 2>/dev/null || true
  if ! as_os_user test -w "$data"; then
    local fallback="${TMPDIR:-/tmp}/korpu-postgres-$port"
    log "$os_user cannot write $data; using $fallback instead (set POSTGRES_DATA_DIR to choose)"
    data=$fallback
    mkdir -p "$data"; chown "$os_user:" "$data" 2>/dev/null || true
  fi
}

init_cluster() {
  [ -f "$data/pgdata/PG_VERSION" ] && return 0
  log "initialising a cluster in $data/pgdata"
  local pwfile="$data/.pwfile"
  echo "$superuser_password" > "$pwfile"; chown "$os_user:" "$pwfile" 2>/dev/null || true; chmod 600 "$pwfile"
  as_os_user "$(bin_dir)/initdb" -D "$data/pgdata" -U "$superuser" --pwfile="$pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 \
    || { rm -f "$pwfile"; log "initdb failed; see $data/initdb.log"; tail -n 20 "$data/initdb.log" >&2; exit 1; }
  rm -f "$pwfile"
  cat >> "$data/pgdata/postgresql.conf" <<CONF

# --- Körpü local settings (deploy/local/postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 300
shared_buffers = 128MB
synchronous_commit = off
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_min_messages = warning
CONF
}

ensure_app_database() {
  superuser_sql <<SQL
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$app_user', '$app_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$app_user') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$app_db', '$app_user')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$app_db') \gexec
SQL
}

wait_ready() {
  local deadline=$((SECONDS + ${POSTGRES_START_TIMEOUT:-60}))
  while [ $SECONDS -lt $deadline ]; do
    if ready; then return 0; fi
    if ! ours_running; then log "server exited; see $data/server.log"; tail -n 30 "$data/server.log" >&2 || true; return 1; fi
    sleep 0.2
  done
  log "server did not accept connections in time; see $data/server.log"; return 1
}

start() {
  bin_dir >/dev/null
  ensure_os_user
  choose_data_dir
  # Several test runs may call `start` at once: one initialises and starts, the others wait and find it running.
  exec 9>"$data/.start.lock"
  flock 9
  if ours_running; then
    wait_ready; ensure_app_database
    log "already running on 127.0.0.1:$port (data in $data)"; return
  fi
  if port_open "$port"; then log "port $port is taken by another process; set PGPORT_LOCAL"; exit 1; fi
  init_cluster
  touch "$data/server.log"; chown "$os_user:" "$data/server.log" 2>/dev/null || true
  log "starting on 127.0.0.1:$port (data in $data)"
  local options="-p $port -c fsync=$fsync -c synchronous_commit=$synchronous_commit"
  # Per-statement counters (calls, time, rows, WAL) for the benches; a preloaded library needs a server start.
  if [ "$statement_stats" = on ]; then options="$options -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top"; fi
  as_os_user "$(bin_dir)/pg_ctl" -D "$data/pgdata" -l "$data/server.log" -o "$options" \
    -w -t "${POSTGRES_START_TIMEOUT:-60}" start >/dev/null 9>&- \
    || { log "pg_ctl start failed; see $data/server.log"; tail -n 30 "$data/server.log" >&2; exit 1; }
  wait_ready
  ensure_app_database
  log "ready on 127.0.0.1:$port; DATABASE_URL=$(url)"
}

stop() {
  choose_data_dir 2>/dev/null
  if ! ours_running; then log "not running"; return 0; fi
  as_os_user "$(bin_dir)/pg_ctl" -D "$data/pgdata" stop -m fast -w -t 60 >/dev/null
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) ready ;;
  url) url ;;
  psql) shift; PGPASSWORD=$app_password exec "$(bin_dir)/psql" -h 127.0.0.1 -p "$port" -U "$app_user" -d "$app_db" "$@" ;;
  *) echo "usage: $0 start|stop|status|url|psql" >&2; exit 2 ;;
esac
