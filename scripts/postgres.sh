#!/usr/bin/env bash
# Runs a local PostgreSQL (Debian's `postgresql` package) on loopback, for spire-server's SQL datastore in the
# benchmark and in tests.
#
# Usage: scripts/postgres.sh start|stop|env|reset|spire-bin <workdir>
#   start      install Debian's postgresql with apt-get if no initdb is found, create the cluster in the data
#              directory (once), start postgres on 127.0.0.1:<port> (unix socket in <workdir>), wait until it
#              accepts connections, create the database; print shell exports (same as `env`) on stdout.
#              Idempotent while it runs.
#   stop       stop it (fast shutdown, then KILL after 15 s). Idempotent.
#   env        print the exports of the server started in <workdir>.
#   reset      drop and re-create the database: empty, as a fresh spire-server expects it.
#   spire-bin  make <workdir>/spire-bin-<version>/ holding spire-agent (a link) and a spire-server that, when
#              started with `run -config <file>`, first rewrites the file's sqlite3 DataStore into this
#              PostgreSQL database; print `export SPIRE_BIN_DIR=<dir>` for scripts/spire-server.sh (which only
#              writes sqlite3 configurations).
#
# Environment (all optional):
#   POSTGRES_DB           database name                                   (default spire)
#   POSTGRES_PORT         TCP port on 127.0.0.1                           (default: a free port)
#   POSTGRES_DATA_DIR     cluster directory; e.g. under /dev/shm for tmpfs (default <workdir>/data)
#   POSTGRES_START_TIMEOUT seconds to wait for the server                 (default 60)
#   POSTGRES_EXTRA_CONF   lines appended to postgresql.conf at creation, separated by ';'
#   SPIRE_VERSION / SPIRE_BIN_DIR  which spire binaries `spire-bin` wraps (default v1.10.4 from the install cache)
#
# Exports: POSTGRES_WORKDIR POSTGRES_BIN_DIR POSTGRES_DATA_DIR POSTGRES_HOST POSTGRES_PORT POSTGRES_USER POSTGRES_DB
#          POSTGRES_PID POSTGRES_LOG POSTGRES_VERSION POSTGRES_CONNECTION_STRING (lib/pq key=value, as spire-server's
#          connection_string) POSTGRES_JDBC_URL.
# Run as root, the server runs as the `postgres` user the package creates (initdb refuses root).
set -euo pipefail
# shellcheck disable=SC2034 # read by lib/common.sh
SCRIPT_NAME="postgres"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { die "usage: $0 start|stop|env|reset|spire-bin <workdir>"; }
[[ $# -eq 2 ]] || usage
ACTION="$1"
mkdir -p "$2"
WORKDIR="$(abs_dir "$2")"

STATE="$WORKDIR/postgres.env"
LOGFILE="$WORKDIR/postgres.log"
DATA_DIR="${POSTGRES_DATA_DIR:-$WORKDIR/data}"
DB="${POSTGRES_DB:-spire}"
START_TIMEOUT="${POSTGRES_START_TIMEOUT:-60}"
[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "POSTGRES_DB '$DB' must match [a-z_][a-z0-9_]*"

# The server runs as `postgres` when we are root, else as ourselves.
if (( EUID == 0 )); then RUN_AS=(runuser -u postgres --); DB_USER=postgres; else RUN_AS=(); DB_USER="$(id -un)"; fi

find_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]] && { printf '%s' "$d"; return 0; }
  done
  return 1
}

install_if_missing() {
  find_bin_dir >/dev/null && return 0
  (( EUID == 0 )) || die "PostgreSQL is not installed and installing needs root: apt-get install postgresql"
  require_cmd apt-get
  log "installing Debian's postgresql package (apt-get)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 || die "apt-get install postgresql failed"
  fi
  find_bin_dir >/dev/null || die "no initdb/pg_ctl/postgres under /usr/lib/postgresql/*/bin after installing"
}

print_env() {
  [[ -f "$STATE" ]] || die "no PostgreSQL state in $WORKDIR (run: $0 start $WORKDIR)"
  # shellcheck disable=SC1090
  source "$STATE"
  local name
  for name in POSTGRES_WORKDIR POSTGRES_BIN_DIR POSTGRES_DATA_DIR POSTGRES_HOST POSTGRES_PORT POSTGRES_USER \
              POSTGRES_DB POSTGRES_PID POSTGRES_LOG POSTGRES_VERSION POSTGRES_CONNECTION_STRING POSTGRES_JDBC_URL; do
    printf "export %s='%s'\n" "$name" "${!name}"   # no value holds a single quote
  done
}

psql_admin() {  # psql_admin <sql...>: runs statements against the maintenance database
  # shellcheck disable=SC1090
  source "$STATE"
  local args=() s
  for s in "$@"; do args+=(-c "$s"); done
  "${RUN_AS[@]}" "$POSTGRES_BIN_DIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$WORKDIR" -p "$POSTGRES_PORT" \
    -U "$POSTGRES_USER" -d postgres "${args[@]}" >&2
}

running() {
  [[ -f "$STATE" ]] || return 1
  # shellcheck disable=SC1090
  source "$STATE"
  pid_alive "$POSTGRES_PID" && "$POSTGRES_BIN_DIR/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT" 2>/dev/null
}

create_cluster() {
  local bin="$1"
  [[ -f "$DATA_DIR/PG_VERSION" ]] && return 0
  mkdir -p "$DATA_DIR"
  (( EUID == 0 )) && chown postgres:postgres "$DATA_DIR"
  chmod 700 "$DATA_DIR"
  log "creating the cluster in $DATA_DIR"
  "${RUN_AS[@]}" "$bin/initdb" -D "$DATA_DIR" -U "$DB_USER" -A trust -E UTF8 --locale=C.UTF-8 >>"$LOGFILE" 2>&1 \
    || { log_tail "$LOGFILE" 30; die "initdb failed"; }
  {
    echo "# added by scripts/postgres.sh"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$WORKDIR'"
    if [[ -n "${POSTGRES_EXTRA_CONF:-}" ]]; then tr ';' '\n' <<<"$POSTGRES_EXTRA_CONF"; fi
  } >> "$DATA_DIR/postgresql.conf"
}

start() {
  if running; then
    log "PostgreSQL already running in $WORKDIR (pid $POSTGRES_PID, port $POSTGRES_PORT)"
    print_env
    return 0
  fi
  install_if_missing
  local bin version port pid
  bin="$(find_bin_dir)"
  version="$("$bin/postgres" --version)"
  (( ${#WORKDIR} < 90 )) || die "workdir path too long for the unix socket: $WORKDIR"
  (( EUID == 0 )) && chown postgres:postgres "$WORKDIR"
  : > "$LOGFILE"
  (( EUID == 0 )) && chown postgres:postgres "$LOGFILE"
  create_cluster "$bin"
  if [[ -n "${POSTGRES_PORT:-}" ]]; then
    port="$POSTGRES_PORT"
    [[ "$port" =~ ^[0-9]+$ ]] || die "POSTGRES_PORT must be a number, got '$port'"
    port_in_use "$port" && die "port 127.0.0.1:$port (POSTGRES_PORT) is already in use"
  else
    port="$(free_port)"
  fi
  "${RUN_AS[@]}" "$bin/pg_ctl" -D "$DATA_DIR" -l "$LOGFILE" -o "-p $port" -w -t "$START_TIMEOUT" start >&2 \
    || { log_tail "$LOGFILE" 40; die "postgres did not start (data $DATA_DIR, log $LOGFILE)"; }
  pid="$(head -1 "$DATA_DIR/postmaster.pid")"
  {
    printf 'POSTGRES_WORKDIR=%q\n' "$WORKDIR"
    printf 'POSTGRES_BIN_DIR=%q\n' "$bin"
    printf 'POSTGRES_DATA_DIR=%q\n' "$DATA_DIR"
    printf 'POSTGRES_HOST=%q\n' "127.0.0.1"
    printf 'POSTGRES_PORT=%q\n' "$port"
    printf 'POSTGRES_USER=%q\n' "$DB_USER"
    printf 'POSTGRES_DB=%q\n' "$DB"
    printf 'POSTGRES_PID=%q\n' "$pid"
    printf 'POSTGRES_LOG=%q\n' "$LOGFILE"
    printf 'POSTGRES_VERSION=%q\n' "$version"
    printf 'POSTGRES_CONNECTION_STRING=%q\n' "dbname=$DB user=$DB_USER host=127.0.0.1 port=$port sslmode=disable"
    printf 'POSTGRES_JDBC_URL=%q\n' "jdbc:postgresql://127.0.0.1:$port/$DB?user=$DB_USER"
  } > "$STATE"
  [[ -n "$(db_exists)" ]] || psql_admin "CREATE DATABASE $DB" || die "cannot create database $DB"
  log "PostgreSQL ready: $version, pid $pid, 127.0.0.1:$port, data $DATA_DIR, database $DB"
  print_env
}

db_exists() {
  # shellcheck disable=SC1090
  source "$STATE"
  "${RUN_AS[@]}" "$POSTGRES_BIN_DIR/psql" -X -q -t -A -h "$WORKDIR" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" \
    -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" 2>/dev/null
}

stop() {
  if [[ ! -f "$STATE" ]]; then
    log "PostgreSQL not running in $WORKDIR (no state)"
    return 0
  fi
  # shellcheck disable=SC1090
  source "$STATE"
  if pid_alive "$POSTGRES_PID"; then
    "${RUN_AS[@]}" "$POSTGRES_BIN_DIR/pg_ctl" -D "$POSTGRES_DATA_DIR" -m fast -w -t 15 stop >&2 || {
      log "pg_ctl stop failed; sending KILL to $POSTGRES_PID"
      kill -KILL "$POSTGRES_PID" 2>/dev/null || true
    }
    log "stopped PostgreSQL (pid $POSTGRES_PID)"
  else
    log "PostgreSQL (pid $POSTGRES_PID) was not running"
  fi
}

reset() {
  running || die "PostgreSQL is not running in $WORKDIR"
  psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)" "CREATE DATABASE $DB" || die "cannot re-create database $DB"
  log "database $DB re-created (empty)"
}

spire_bin() {
  running || die "PostgreSQL is not running in $WORKDIR"
  local real version dir
  real="$(resolve_bin_dir)"
  version="$("$real/spire-server" --version 2>&1 | tail -1)"
  [[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || version="unknown"
  dir="$WORKDIR/spire-bin-$version"
  mkdir -p "$dir"
  ln -sfn "$real/spire-agent" "$dir/spire-agent"
  cat > "$dir/spire-server.tmp" <<WRAPPER
#!/usr/bin/env bash
# Generated by scripts/postgres.sh: $real/spire-server, with the sqlite3 DataStore of the configuration it is
# started with (\`run -config <file>\`) rewritten to PostgreSQL database $POSTGRES_DB on 127.0.0.1:$POSTGRES_PORT.
set -euo pipefail
if [[ "\${1:-}" == run ]]; then
  conf=""
  args=("\$@")
  for ((i = 1; i < \${#args[@]} - 1; i++)); do
    [[ "\${args[i]}" == -config || "\${args[i]}" == --config ]] && conf="\${args[i + 1]}"
  done
  if [[ -n "\$conf" ]]; then
    sed -i -e 's|database_type = "sqlite3"|database_type = "postgres"|' \\
      -e 's|connection_string = ".*"|connection_string = "$POSTGRES_CONNECTION_STRING"|' "\$conf"
    grep -q 'database_type = "postgres"' "\$conf" || { echo "spire-server (postgres wrapper): no sqlite3 DataStore to rewrite in \$conf" >&2; exit 1; }
  fi
fi
exec "$real/spire-server" "\$@"
WRAPPER
  chmod 755 "$dir/spire-server.tmp"
  mv -f "$dir/spire-server.tmp" "$dir/spire-server"
  log "spire-server $version on PostgreSQL: $dir"
  printf "export SPIRE_BIN_DIR='%s'\n" "$dir"
}

case "$ACTION" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  reset) reset ;;
  spire-bin) spire_bin ;;
  *) usage ;;
esac
