# shellcheck shell=bash
# Helpers for scripts/peers-install.sh and the peer run helpers in scripts/peers/, on top of scripts/lib/common.sh
# (log, die, require_cmd, wait_until, pid_alive, stop_pidfile, log_tail, abs_dir). Source it; do not execute it.
# Diagnostics go to stderr so that stdout stays machine-readable.

SCRIPT_NAME="${SCRIPT_NAME:-peers}"
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

PEERS_CACHE_ROOT="${PEERS_CACHE_ROOT:-${SPIRE_OPERATOR_CACHE:-$HOME/.cache/spire-operator}/peers}"

# Versions built by default. Each was the newest release the Go module proxy here served (see bench/PEERS.md).
PEER_REGISTRAR_SPIRE_VERSION="${PEER_REGISTRAR_SPIRE_VERSION:-v1.5.6}"   # last SPIRE release with the registrar
PEER_SCM_VERSION="${PEER_SCM_VERSION:-v0.6.4}"

registrar_base() { printf '%s/k8s-workload-registrar-%s' "$PEERS_CACHE_ROOT" "$PEER_REGISTRAR_SPIRE_VERSION"; }
scm_base() { printf '%s/spire-controller-manager-%s' "$PEERS_CACHE_ROOT" "$PEER_SCM_VERSION"; }
registrar_bin() { printf '%s/bin/k8s-workload-registrar' "$(registrar_base)"; }
scm_bin() { printf '%s/bin/spire-controller-manager' "$(scm_base)"; }

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
