#!/usr/bin/env bash
# Local PostgreSQL 15 + RabbitMQ 3.10 for tests and development, without Docker.
#
#   deploy/local/infra.sh install   apt-get install postgresql / rabbitmq-server (only if absent)
#   deploy/local/infra.sh start     start both servers (idempotent; restarts a dead one)
#   deploy/local/infra.sh stop      stop both servers (idempotent)
#   deploy/local/infra.sh status    print what is running (exit 0 = both up, 3 = not)
#   deploy/local/infra.sh env       print `export REFERRALS_TEST_*=...` lines for eval
#
# The servers run from a private state folder on private ports, never as the system
# services. Everything can be moved with environment variables, so tests can run a
# second, private pair of servers next to the shared one:
#
#   REFERRALS_STATE_DIR          state folder        (default /var/tmp/referrals-local)
#   REFERRALS_PG_PORT            PostgreSQL          (default 55432)
#   REFERRALS_AMQP_PORT          RabbitMQ AMQP       (default 55672)
#   REFERRALS_RABBIT_MGMT_PORT   RabbitMQ management (default 55673)
#   REFERRALS_RABBIT_DIST_PORT   Erlang distribution (default 55674)
#   REFERRALS_EPMD_PORT          private epmd        (default 55675)
#
# Concurrent callers (several test processes) are serialised with flock on
# $REFERRALS_STATE_DIR/infra.lock.
set -euo pipefail

STATE_DIR="${REFERRALS_STATE_DIR:-/var/tmp/referrals-local}"
PG_PORT="${REFERRALS_PG_PORT:-55432}"
AMQP_PORT="${REFERRALS_AMQP_PORT:-55672}"
MGMT_PORT="${REFERRALS_RABBIT_MGMT_PORT:-55673}"
DIST_PORT="${REFERRALS_RABBIT_DIST_PORT:-55674}"
EPMD_PORT="${REFERRALS_EPMD_PORT:-55675}"

readonly HOST=127.0.0.1
readonly DB_USER=referrals DB_PASSWORD=referrals DB_NAME=referrals
readonly MQ_USER=referrals MQ_PASSWORD=referrals
readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly RABBIT_BIN=/usr/lib/rabbitmq/bin
readonly START_TIMEOUT=120
readonly SAFE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

PG_DIR="$STATE_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_SOCK="$PG_DIR/sock"
PG_LOG="$PG_DIR/postgres.log"
MQ_DIR="$STATE_DIR/rabbitmq"
MQ_PID_FILE="$MQ_DIR/rabbitmq.pid"
MQ_OUT="$MQ_DIR/server.out"
MQ_NODENAME="referrals-${AMQP_PORT}@localhost"

log() { printf '[infra] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

now_ms() {
  local t=${EPOCHREALTIME/./}
  printf '%s' "${t:0:-3}"
}

validate_settings() {
  local name value seen=' '
  for name in REFERRALS_PG_PORT=$PG_PORT REFERRALS_AMQP_PORT=$AMQP_PORT REFERRALS_RABBIT_MGMT_PORT=$MGMT_PORT \
    REFERRALS_RABBIT_DIST_PORT=$DIST_PORT REFERRALS_EPMD_PORT=$EPMD_PORT; do
    value=${name#*=}
    if ! [[ $value =~ ^[0-9]{1,5}$ ]] || ((10#$value < 1 || 10#$value > 65535)); then
      die "${name%%=*} must be a TCP port, got '$value'"
    fi
    [[ $seen != *" $((10#$value)) "* ]] || die "${name%%=*}=$value clashes with another port setting"
    seen+="$((10#$value)) "
  done
  [[ $STATE_DIR == /* ]] || die "REFERRALS_STATE_DIR must be an absolute path, got '$STATE_DIR'"
}

require_root() {
  [[ $EUID -eq 0 ]] || die "'$1' must run as root (it switches to the postgres and rabbitmq users)"
}

# Runs a command as a system user with a clean, predictable environment.
as_user() {
  local user=$1 home=$2
  shift 2
  setpriv --reuid="$user" --regid="$user" --init-groups -- \
    env -i HOME="$home" PATH="$SAFE_PATH" LANG=C.UTF-8 LC_ALL=C.UTF-8 "$@"
}

# Is $1 a live process whose working folder is $2? PostgreSQL processes chdir to the data folder.
process_cwd_is() {
  local cwd
  cwd=$(readlink "/proc/$1/cwd" 2>/dev/null) || return 1
  [[ $cwd == "$2" ]]
}

# Is $1 a live process started with the environment entry $2 (e.g. RABBITMQ_MNESIA_BASE=...)?
process_env_has() {
  [[ -r /proc/$1/environ ]] || return 1
  local entry
  while IFS= read -r -d '' entry; do
    [[ $entry == "$2" ]] && return 0
  done 2>/dev/null <"/proc/$1/environ"
  return 1
}

process_owned_by() {
  local uid
  uid=$(stat -c %u "/proc/$1" 2>/dev/null) || return 1
  [[ $uid == "$(id -u "$2")" ]]
}

read_pid_file() {
  local pid=''
  [[ -r $1 ]] || return 1
  read -r pid <"$1" || true
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$pid"
}

wait_until() {
  local timeout=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + timeout))
  until "$@"; do
    ((SECONDS < deadline)) || {
      log "timed out after ${timeout}s waiting for $what"
      return 1
    }
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------
# install

cmd_install() {
  local missing=()
  [[ -x $PG_BIN/pg_ctl && -x $PG_BIN/initdb && -x $PG_BIN/psql ]] || missing+=(postgresql)
  [[ -x $RABBIT_BIN/rabbitmq-server ]] || missing+=(rabbitmq-server)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  # The web app's build runs npm (the NHS.UK frontend comes from npm at build time).
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  if ((${#missing[@]} == 0)); then
    log "install: postgresql, rabbitmq-server, curl and npm are already installed"
    return 0
  fi
  require_root install
  log "install: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  local apt_opts=(-y -q -o DPkg::Lock::Timeout=600 --no-install-recommends)
  # Refresh the package lists only when the install cannot be done with the lists we have.
  if ! apt-get install "${apt_opts[@]}" "${missing[@]}"; then
    log "install: retrying after apt-get update"
    apt-get update -q -o DPkg::Lock::Timeout=600
    apt-get install "${apt_opts[@]}" "${missing[@]}"
  fi
}

require_installed() {
  [[ -x $PG_BIN/pg_ctl && -x $RABBIT_BIN/rabbitmq-server ]] ||
    die "PostgreSQL 15 or RabbitMQ is not installed: run '$0 install' first"
  command -v curl >/dev/null 2>&1 || die "curl is not installed: run '$0 install' first"
}

# ---------------------------------------------------------------------------------------------
# state folder and lock

prepare_state_dir() {
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  # Both server users must be able to reach their sub-folders (so not under /root).
  local user
  for user in postgres rabbitmq; do
    setpriv --reuid="$user" --regid="$user" --init-groups -- test -x "$STATE_DIR" ||
      die "$STATE_DIR is not traversable by the $user user; choose a REFERRALS_STATE_DIR outside /root"
  done
}

acquire_lock() {
  exec 9>>"$STATE_DIR/infra.lock"
  if ! flock -n 9; then
    log "waiting for another infra.sh on $STATE_DIR/infra.lock"
    flock -w 600 9 || die "could not lock $STATE_DIR/infra.lock within 600s"
  fi
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

pg_postmaster_pid() {
  local pid
  pid=$(read_pid_file "$PG_DATA/postmaster.pid") || return 1
  process_cwd_is "$pid" "$PG_DATA" || return 1
  printf '%s' "$pid"
}

pg_accepts_referrals_login() {
  PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -X -q -t -A -w \
    -h "$HOST" -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" -c 'select 1' >/dev/null 2>&1
}

pg_is_ready() {
  "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1
}

pg_healthy() {
  pg_postmaster_pid >/dev/null && pg_accepts_referrals_login
}

# Kills every process still working in our data folder (orphaned backends of a killed
# postmaster keep the shared memory attached and would block a restart).
pg_kill_leftovers() {
  local proc pid found=1 tries=0
  while ((found)) && ((tries < 50)); do
    found=0
    for proc in /proc/[0-9]*; do
      pid=${proc#/proc/}
      if process_cwd_is "$pid" "$PG_DATA" && process_owned_by "$pid" postgres; then
        found=1
        kill -9 "$pid" 2>/dev/null || true
      fi
    done
    ((found)) && sleep 0.1
    tries=$((tries + 1))
  done
}

pg_remove_stale_locks() {
  local file pid
  for file in "$PG_DATA/postmaster.pid" "$PG_SOCK/.s.PGSQL.$PG_PORT.lock"; do
    [[ -e $file ]] || continue
    pid=$(read_pid_file "$file") || pid=''
    if [[ -z $pid ]] || ! process_cwd_is "$pid" "$PG_DATA"; then
      log "postgres: removing stale $file"
      rm -f "$file"
    fi
  done
  [[ -e "$PG_SOCK/.s.PGSQL.$PG_PORT.lock" ]] || rm -f "$PG_SOCK/.s.PGSQL.$PG_PORT"
}

pg_initdb() {
  log "postgres: initdb $PG_DATA"
  rm -rf "$PG_DATA"
  as_user postgres "$PG_DIR" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >>"$PG_DIR/initdb.log" 2>&1 ||
    {
      tail -n 30 "$PG_DIR/initdb.log" >&2
      die "initdb failed (log: $PG_DIR/initdb.log)"
    }
}

pg_provision() {
  as_user postgres "$PG_DIR" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres >/dev/null <<SQL
DO \$\$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    ALTER ROLE $DB_USER WITH LOGIN SUPERUSER PASSWORD '$DB_PASSWORD';
  ELSE
    CREATE ROLE $DB_USER WITH LOGIN SUPERUSER PASSWORD '$DB_PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME') \\gexec
SQL
}

pg_start() {
  local started pid
  started=$(now_ms)
  if pg_healthy; then
    log "postgres: already running (pid $(pg_postmaster_pid), port $PG_PORT)"
    return 0
  fi

  mkdir -p "$PG_DIR" "$PG_SOCK"
  chown postgres:postgres "$PG_DIR" "$PG_SOCK"
  chmod 700 "$PG_DIR" "$PG_SOCK"

  if pid=$(pg_postmaster_pid); then
    # Running but not (yet) answering: give it a moment, then replace it.
    if ! wait_until 30 "postgres pid $pid to accept connections" pg_is_ready; then
      log "postgres: pid $pid does not answer; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi

  if ! pg_postmaster_pid >/dev/null; then
    pg_kill_leftovers
    [[ -s $PG_DATA/PG_VERSION ]] || pg_initdb
    pg_remove_stale_locks
    log "postgres: starting on $HOST:$PG_PORT"
    as_user postgres "$PG_DIR" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$START_TIMEOUT" \
      -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=$HOST -c max_connections=400" \
      start >/dev/null 9>&- ||
      {
        tail -n 30 "$PG_LOG" >&2 || true
        die "postgres did not start (log: $PG_LOG)"
      }
  fi

  wait_until "$START_TIMEOUT" "postgres to be ready" pg_is_ready || die "postgres is not ready (log: $PG_LOG)"
  pg_provision || die "could not create the $DB_USER role and database"
  pg_accepts_referrals_login || die "postgres does not accept the $DB_USER login"
  log "postgres: ready (pid $(pg_postmaster_pid), port $PG_PORT) in $(($(now_ms) - started)) ms"
}

pg_stop() {
  local pid
  if pid=$(pg_postmaster_pid); then
    log "postgres: stopping pid $pid"
    as_user postgres "$PG_DIR" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null ||
      kill -9 "$pid" 2>/dev/null || true
  else
    log "postgres: not running"
  fi
  [[ -d $PG_DATA ]] && pg_kill_leftovers
  return 0
}

# ---------------------------------------------------------------------------------------------
# RabbitMQ

# The environment of every RabbitMQ process (server and CLI tools): a clean one, so the
# caller's RABBITMQ_* variables and /etc/rabbitmq never leak in.
MQ_ENV=(
  HOME="$MQ_DIR/home"
  PATH="$SAFE_PATH"
  LANG=C.UTF-8
  LC_ALL=C.UTF-8
  RABBITMQ_NODENAME="$MQ_NODENAME"
  RABBITMQ_NODE_IP_ADDRESS="$HOST"
  RABBITMQ_NODE_PORT="$AMQP_PORT"
  RABBITMQ_DIST_PORT="$DIST_PORT"
  RABBITMQ_MNESIA_BASE="$MQ_DIR/mnesia"
  RABBITMQ_LOG_BASE="$MQ_DIR/log"
  RABBITMQ_ENABLED_PLUGINS_FILE="$MQ_DIR/enabled_plugins"
  RABBITMQ_FEATURE_FLAGS_FILE="$MQ_DIR/feature_flags"
  RABBITMQ_CONFIG_FILE="$MQ_DIR/rabbitmq.conf"
  RABBITMQ_ADVANCED_CONFIG_FILE="$MQ_DIR/advanced.config"
  RABBITMQ_CONF_ENV_FILE="$MQ_DIR/rabbitmq-env.conf"
  RABBITMQ_PID_FILE="$MQ_PID_FILE"
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  ERL_EPMD_PORT="$EPMD_PORT"
  ERL_EPMD_ADDRESS="$HOST"
)

# Runs a RabbitMQ CLI tool (rabbitmqctl, rabbitmq-diagnostics) against our node.
mq_cli() {
  local tool=$1
  shift
  timeout 120 setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- \
    env -i "${MQ_ENV[@]}" "$RABBIT_BIN/$tool" "$@"
}

mq_pid() {
  local pid
  pid=$(read_pid_file "$MQ_PID_FILE") || return 1
  process_env_has "$pid" "RABBITMQ_MNESIA_BASE=$MQ_DIR/mnesia" || return 1
  printf '%s' "$pid"
}

mq_api() {
  curl -fsS -m 5 -o /dev/null -u "$MQ_USER:$MQ_PASSWORD" "http://$HOST:$MGMT_PORT/api/$1" 2>/dev/null
}

mq_http_answers() {
  local code
  code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' "http://$HOST:$MGMT_PORT/api/overview" 2>/dev/null) || true
  [[ -n $code && $code != 000 ]]
}

mq_healthy() {
  mq_pid >/dev/null && mq_api "health/checks/port-listener/$AMQP_PORT"
}

mq_write_config() {
  mkdir -p "$MQ_DIR/mnesia" "$MQ_DIR/log" "$MQ_DIR/home"
  cat >"$MQ_DIR/rabbitmq.conf" <<CONF
# Written by deploy/local/infra.sh on every start; edit the script, not this file.
management.tcp.port = $MGMT_PORT
management.tcp.ip = $HOST
# The user is created when the node boots on an empty database; infra.sh re-checks it.
default_user = $MQ_USER
default_pass = $MQ_PASSWORD
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
# Fresher queue statistics in the management API for tests (default 5000 ms).
collect_statistics_interval = 1000
log.console = false
log.file.level = info
CONF
  printf '%s\n' '[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].' >"$MQ_DIR/enabled_plugins"
  : >"$MQ_DIR/rabbitmq-env.conf"
  if [[ ! -s $MQ_DIR/home/.erlang.cookie ]]; then
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$MQ_DIR/home/.erlang.cookie"
    chmod 400 "$MQ_DIR/home/.erlang.cookie"
  fi
  chown -R rabbitmq:rabbitmq "$MQ_DIR"
  chmod 755 "$MQ_DIR"
}

mq_kill_leftovers() {
  local proc pid found=1 tries=0
  while ((found)) && ((tries < 50)); do
    found=0
    for proc in /proc/[0-9]*; do
      pid=${proc#/proc/}
      # The private epmd is shared by restarts of the node and is left alone.
      [[ $(readlink "$proc/exe" 2>/dev/null) == */epmd ]] && continue
      if process_env_has "$pid" "RABBITMQ_MNESIA_BASE=$MQ_DIR/mnesia" && process_owned_by "$pid" rabbitmq; then
        found=1
        kill -9 "$pid" 2>/dev/null || true
      fi
    done
    ((found)) && sleep 0.1
    tries=$((tries + 1))
  done
}

mq_ensure_user() {
  if mq_api whoami; then
    # Make sure the permissions on / are complete (idempotent).
    curl -fsS -m 10 -o /dev/null -u "$MQ_USER:$MQ_PASSWORD" -X PUT -H 'content-type: application/json' \
      -d '{"configure":".*","write":".*","read":".*"}' \
      "http://$HOST:$MGMT_PORT/api/permissions/%2F/$MQ_USER"
    return
  fi
  log "rabbitmq: creating user $MQ_USER"
  mq_cli rabbitmqctl -q add_user "$MQ_USER" "$MQ_PASSWORD" >/dev/null 2>&1 ||
    mq_cli rabbitmqctl -q change_password "$MQ_USER" "$MQ_PASSWORD" >/dev/null
  mq_cli rabbitmqctl -q set_user_tags "$MQ_USER" administrator >/dev/null
  mq_cli rabbitmqctl -q set_permissions -p / "$MQ_USER" '.*' '.*' '.*' >/dev/null
}

mq_fail() {
  {
    echo "--- $MQ_OUT (tail)"
    tail -n 40 "$MQ_OUT" 2>/dev/null || true
    echo "--- $MQ_DIR/log/$MQ_NODENAME.log (tail)"
    tail -n 40 "$MQ_DIR/log/$MQ_NODENAME.log" 2>/dev/null || true
  } >&2
  die "$1"
}

mq_ports_reachable() {
  mq_cli rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1
}

mq_launch() {
  mq_kill_leftovers
  rm -f "$MQ_PID_FILE"
  mq_write_config
  log "rabbitmq: starting node $MQ_NODENAME on $HOST:$AMQP_PORT (management $MGMT_PORT)"
  printf '\n=== %s start\n' "$(date -Is)" >>"$MQ_OUT"
  # setsid: its own session, so the caller's terminal or test host can go away. Its stdio goes
  # to a log and fd 9 (the lock) is closed, so callers reading our output are not held open.
  setsid setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- \
    env -i "${MQ_ENV[@]}" "$RABBIT_BIN/rabbitmq-server" </dev/null >>"$MQ_OUT" 2>&1 9>&- &
  MQ_LAUNCHER=$!
}

# True once the node we launched answers HTTP; fails the start if it died meanwhile.
mq_launched_and_answering() {
  if ! kill -0 "$MQ_LAUNCHER" 2>/dev/null; then
    mq_fail "rabbitmq exited during start"
  fi
  mq_pid >/dev/null && mq_http_answers
}

mq_start() {
  local started pid
  started=$(now_ms)
  if mq_healthy; then
    log "rabbitmq: already running (pid $(mq_pid), amqp $AMQP_PORT, management $MGMT_PORT)"
    return 0
  fi

  if pid=$(mq_pid); then
    # Running but not answering (e.g. a start that was interrupted): wait a little, then replace it.
    # (A node that answers but lacks our user is repaired below, not replaced.)
    if ! wait_until 60 "rabbitmq pid $pid to answer" mq_http_answers; then
      log "rabbitmq: pid $pid does not answer; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi

  if ! mq_pid >/dev/null; then
    mq_launch
    wait_until "$START_TIMEOUT" "rabbitmq to boot" mq_launched_and_answering ||
      mq_fail "rabbitmq did not boot within ${START_TIMEOUT}s"
  fi

  pid=$(mq_pid) || mq_fail "rabbitmq is not running"
  wait_until 60 "rabbitmq listeners" mq_ports_reachable || mq_fail "rabbitmq listeners are not reachable"
  mq_ensure_user || mq_fail "could not create the rabbitmq user $MQ_USER"
  mq_healthy || mq_fail "rabbitmq does not accept the $MQ_USER login"
  log "rabbitmq: ready (pid $pid, amqp $AMQP_PORT, management $MGMT_PORT) in $(($(now_ms) - started)) ms"
}

# Gone or a zombie (this sandbox's init does not always reap orphans).
process_gone() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
  [[ -z $state || $state == Z || $state == X ]]
}

mq_stop() {
  local pid
  if pid=$(mq_pid); then
    log "rabbitmq: stopping pid $pid"
    if ! mq_cli rabbitmqctl -q stop "$MQ_PID_FILE" >/dev/null 2>&1; then
      log "rabbitmq: rabbitmqctl stop failed; terminating pid $pid"
      kill -TERM "$pid" 2>/dev/null || true
      wait_until 30 "rabbitmq pid $pid to exit" process_gone "$pid" || kill -9 "$pid" 2>/dev/null || true
    fi
  else
    log "rabbitmq: not running"
  fi
  [[ -d $MQ_DIR ]] && mq_kill_leftovers
  # The private epmd only serves this node: stop it too (it refuses while names are registered).
  ERL_EPMD_PORT=$EPMD_PORT ERL_EPMD_ADDRESS=$HOST timeout 10 epmd -kill >/dev/null 2>&1 || true
  rm -f "$MQ_PID_FILE"
  return 0
}

# ---------------------------------------------------------------------------------------------
# verbs

cmd_start() {
  local started
  started=$(now_ms)
  require_root start
  require_installed
  prepare_state_dir
  acquire_lock
  cd "$STATE_DIR"
  pg_start
  mq_start
  log "start: done in $(($(now_ms) - started)) ms (state $STATE_DIR)"
}

cmd_stop() {
  require_root stop
  if [[ ! -d $STATE_DIR ]]; then
    log "stop: nothing to stop ($STATE_DIR does not exist)"
    return 0
  fi
  acquire_lock
  cd "$STATE_DIR"
  pg_stop
  mq_stop
}

cmd_status() {
  local pid rc=0
  if pid=$(pg_postmaster_pid 2>/dev/null) && pg_is_ready; then
    echo "postgres: running pid=$pid port=$PG_PORT data=$PG_DATA"
  else
    echo "postgres: stopped port=$PG_PORT data=$PG_DATA"
    rc=3
  fi
  if pid=$(mq_pid 2>/dev/null) && mq_api "health/checks/port-listener/$AMQP_PORT"; then
    echo "rabbitmq: running pid=$pid amqp=$AMQP_PORT management=$MGMT_PORT node=$MQ_NODENAME"
  else
    echo "rabbitmq: stopped amqp=$AMQP_PORT management=$MGMT_PORT node=$MQ_NODENAME"
    rc=3
  fi
  return "$rc"
}

cmd_env() {
  printf "export REFERRALS_TEST_POSTGRES='Host=%s;Port=%s;Username=%s;Password=%s;Database=%s'\n" \
    "$HOST" "$PG_PORT" "$DB_USER" "$DB_PASSWORD" "$DB_NAME"
  printf "export REFERRALS_TEST_RABBITMQ='amqp://%s:%s@%s:%s/'\n" "$MQ_USER" "$MQ_PASSWORD" "$HOST" "$AMQP_PORT"
  printf "export REFERRALS_TEST_RABBITMQ_MANAGEMENT='http://%s:%s/'\n" "$HOST" "$MGMT_PORT"
}

usage() {
  echo "usage: $0 install|start|stop|status|env" >&2
  exit 2
}

main() {
  (($# == 1)) || usage
  validate_settings
  case $1 in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    *) usage ;;
  esac
}

main "$@"
