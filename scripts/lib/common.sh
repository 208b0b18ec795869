# shellcheck shell=bash
# Shared helpers for the scripts in scripts/. Source it; do not execute it.
# Every helper writes diagnostics to stderr so that stdout stays machine-readable.

# The default: the newest release the Go module proxy serves that still has the k8s_sat node attestor (removed in
# 1.12.0). The newest release it serves at all (see docs/SPIRE-VERSIONS.md for what was asked):
SPIRE_DEFAULT_VERSION="v1.10.4"
SPIRE_NEWEST_VERSION="v1.15.3"
SPIRE_CACHE_ROOT="${SPIRE_CACHE_ROOT:-$HOME/.cache/spire-operator}"

log() { printf '[%s] %s\n' "${SCRIPT_NAME:-spire}" "$*" >&2; }

die() {
  printf '[%s] ERROR: %s\n' "${SCRIPT_NAME:-spire}" "$*" >&2
  exit 1
}

require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "required command '$c' not found on PATH"
  done
}

# Normalises "1.10.4" / "v1.10.4" to "v1.10.4".
spire_version() {
  local v="${1:-${SPIRE_VERSION:-$SPIRE_DEFAULT_VERSION}}"
  [[ "$v" == v* ]] || v="v$v"
  printf '%s' "$v"
}

# Prints the version a spire-server binary reports (e.g. 1.15.3; the install stamps it from the release tag).
spire_binary_version() {
  local out
  out="$("$1" --version 2>&1 || "$1" -version 2>&1 || true)"
  out="$(grep -Eo '[0-9]+\.[0-9]+\.[0-9]+' <<<"$out" | head -n 1)"
  [[ -n "$out" ]] || die "cannot tell the version of $1"
  printf '%s' "$out"
}

# True if SPIRE <x.y.z> still has the k8s_sat node attestor (deprecated in 1.9.0, removed in 1.12.0).
spire_has_k8s_sat() {
  local major minor
  IFS=. read -r major minor _ <<<"${1#v}"
  (( major < 1 || (major == 1 && minor < 12) ))
}

spire_bin_dir() { printf '%s/spire-%s/bin' "$SPIRE_CACHE_ROOT" "$(spire_version "${1:-}")"; }

# Directory holding spire-server/spire-agent: $SPIRE_BIN_DIR if set, else the cache of the chosen version.
resolve_bin_dir() {
  local dir="${SPIRE_BIN_DIR:-$(spire_bin_dir "")}"
  [[ -x "$dir/spire-server" && -x "$dir/spire-agent" ]] \
    || die "no spire-server/spire-agent in $dir; run scripts/spire-install.sh first (or set SPIRE_BIN_DIR)"
  printf '%s' "$dir"
}

# wait_until <timeout-seconds> <description> <command...>
# Polls the command (every 0.2 s) until it succeeds or the deadline passes. Returns 1 on timeout.
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

# True if something listens on 127.0.0.1:<port> (TCP).
port_in_use() {
  ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

# Prints a TCP port on loopback that nothing listens on right now.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 12000 ))  # below the ephemeral range (32768+)
    port_in_use "$port" || { printf '%s' "$port"; return 0; }
  done
  die "could not find a free loopback port"
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

# stop_pidfile <pidfile> <program-name>: TERM, bounded wait, then KILL. Idempotent.
stop_pidfile() {
  local pidfile="$1" name="$2" pid
  if [[ ! -f "$pidfile" ]]; then
    log "$name not running (no $pidfile)"
    return 0
  fi
  pid="$(cat "$pidfile")"
  # Guard against a recycled pid: only signal a process whose command line names the program.
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

# Prints the last lines of a log file to stderr.
log_tail() {
  local file="$1" n="${2:-40}"
  [[ -f "$file" ]] || return 0
  printf -- '----- last %s lines of %s -----\n' "$n" "$file" >&2
  tail -n "$n" "$file" >&2
  printf -- '----- end of %s -----\n' "$file" >&2
}

# Converts a path to an absolute one (the directory must exist).
abs_dir() { (cd "$1" && pwd -P); }

# base64url without padding, from stdin.
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
