# shellcheck shell=bash
# Shared helpers for scripts/peers-install.sh and the peer run helpers in scripts/peers/.
# Source it; do not execute it. Diagnostics go to stderr so that stdout stays machine-readable.

PEERS_CACHE_ROOT="${PEERS_CACHE_ROOT:-${SPIRE_OPERATOR_CACHE:-$HOME/.cache/spire-operator}/peers}"

# Versions built by default. Each was the newest release the Go module proxy here served (see bench/PEERS.md).
PEER_REGISTRAR_SPIRE_VERSION="${PEER_REGISTRAR_SPIRE_VERSION:-v1.5.6}"   # last SPIRE release with the registrar
PEER_SCM_VERSION="${PEER_SCM_VERSION:-v0.6.4}"

registrar_base() { printf '%s/k8s-workload-registrar-%s' "$PEERS_CACHE_ROOT" "$PEER_REGISTRAR_SPIRE_VERSION"; }
scm_base() { printf '%s/spire-controller-manager-%s' "$PEERS_CACHE_ROOT" "$PEER_SCM_VERSION"; }
registrar_bin() { printf '%s/bin/k8s-workload-registrar' "$(registrar_base)"; }
scm_bin() { printf '%s/bin/spire-controller-manager' "$(scm_base)"; }

log() { printf '[%s] %s\n' "${SCRIPT_NAME:-peers}" "$*" >&2; }

die() {
  printf '[%s] ERROR: %s\n' "${SCRIPT_NAME:-peers}" "$*" >&2
  exit 1
}

require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "required command '$c' not found on PATH"
  done
}

log_tail() {
  local file="$1" n="${2:-40}"
  [[ -f "$file" ]] || return 0
  printf -- '----- last %s lines of %s -----\n' "$n" "$file" >&2
  tail -n "$n" "$file" >&2
  printf -- '----- end of %s -----\n' "$file" >&2
}

abs_dir() { (cd "$1" && pwd -P); }

# wait_until <timeout-seconds> <description> <command...>: polls every 0.2 s; returns 1 on timeout.
wait_until() {
  local timeout="$1" what="$2"; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    if (( $(date +%s) >= deadline )); then
      log "timed out after ${timeout}s waiting for: $what"
      return 1
    fi
    sleep 0.2
  done
}

# True if the process runs (a zombie left by a non-reaping PID 1 counts as gone).
pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != "Z" ]]
}

pid_gone() { ! pid_alive "$1"; }

# stop_pidfile <pidfile> <program-name>: TERM, bounded wait, then KILL. Idempotent. Only signals a process whose
# command line names the program, so a recycled pid is left alone.
stop_pidfile() {
  local pidfile="$1" name="$2" pid
  if [[ ! -f "$pidfile" ]]; then
    log "$name not running (no $pidfile)"
    return 0
  fi
  pid="$(cat "$pidfile")"
  if pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_until 15 "$name (pid $pid) to exit" pid_gone "$pid"; then
      log "$name (pid $pid) ignored TERM; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_until 5 "$name (pid $pid) to die" pid_gone "$pid" || die "could not stop $name (pid $pid)"
    fi
    log "stopped $name (pid $pid)"
  else
    log "$name (pid $pid) was not running"
  fi
  rm -f "$pidfile"
}

# Common inputs of the run helpers, checked up front so that a misconfigured run fails before anything starts.
peer_inputs() {
  : "${KUBECONFIG:?set KUBECONFIG to the kubeconfig of the kube-apiserver to watch}"
  : "${SPIRE_SERVER_SOCKET:?set SPIRE_SERVER_SOCKET to the spire-server admin unix socket}"
  [[ -f "$KUBECONFIG" ]] || die "KUBECONFIG $KUBECONFIG does not exist"
  [[ -S "$SPIRE_SERVER_SOCKET" ]] || die "SPIRE_SERVER_SOCKET $SPIRE_SERVER_SOCKET is not a socket (is spire-server running?)"
  KUBECONFIG="$(abs_dir "$(dirname "$KUBECONFIG")")/$(basename "$KUBECONFIG")"
  export KUBECONFIG
  # shellcheck disable=SC2034 # TRUST_DOMAIN, CLUSTER, START_TIMEOUT are read by the run helpers
  TRUST_DOMAIN="${SPIRE_TRUST_DOMAIN:-example.org}"
  # shellcheck disable=SC2034
  CLUSTER="${PEER_CLUSTER:-demo}"
  # shellcheck disable=SC2034
  START_TIMEOUT="${PEER_START_TIMEOUT:-60}"
}

# start_background <pidfile> <logfile> <cmd...>: new session, no inherited stdio, pid recorded.
start_background() {
  local pidfile="$1" logfile="$2"; shift 2
  : > "$logfile"
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo "$!" > "$pidfile"
}
