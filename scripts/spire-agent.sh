#!/usr/bin/env bash
# Runs a real spire-agent on loopback, attested to the server of <workdir> with k8s_sat, k8s_psat or join_token.
#
# Usage: scripts/spire-agent.sh start|stop|env <workdir> [namespace] [serviceaccount]
#   start  get the attestation material (see SPIRE_AGENT_ATTESTOR), write <workdir>/<agent>/agent.conf, start the
#          agent in the background, wait until healthy, check with `spire-server agent show` that it attested with
#          the expected ID and selectors, then print shell exports (SPIRE_AGENT_ID, SPIRE_AGENT_SOCKET, ...) on
#          stdout. Every fresh start attests anew with an empty data dir; a start while the agent runs only prints
#          the exports.
#   stop   stop the agent (TERM, bounded wait, then KILL). Idempotent.
#   env    print the exports of the running agent.
#   namespace/serviceaccount default to spire/spire-agent (they must be on the server's allow list).
#
# Environment (all optional):
#   SPIRE_AGENT_ATTESTOR  k8s_sat (default when the server has it), k8s_psat or join_token:
#     k8s_sat     mint a legacy Kubernetes service-account token (RS256, signed with the server's SA key
#                 <workdir>/sa.key); ID spiffe://<td>/spire/agent/k8s_sat/<cluster>/<uuid> (new at every start),
#                 selectors k8s_sat:cluster:<cluster>, k8s_sat:agent_ns:<ns>, k8s_sat:agent_sa:<sa>
#     k8s_psat    the projected service-account token in SPIRE_AGENT_TOKEN_FILE (a TokenRequest bound to the agent's
#                 Pod, audience as the server expects), validated by the server with TokenReview; ID
#                 spiffe://<td>/spire/agent/k8s_psat/<cluster>/<node uid>, selectors k8s_psat:cluster:<cluster>,
#                 k8s_psat:agent_ns:<ns>, k8s_psat:agent_sa:<sa> (and the pod's and node's)
#     join_token  a one-time token from `spire-server token generate`; ID spiffe://<td>/spire/agent/join_token/<token>
#   SPIRE_AGENT_TOKEN_FILE  k8s_psat only: file holding the token (copied into the agent directory)
#   SPIRE_AGENT_NAME      directory name under <workdir> for this agent (default agent); use distinct
#                         names to run several agents against one server
#   SPIRE_LOG_LEVEL       agent log level (default INFO)
#   SPIRE_START_TIMEOUT   seconds to wait for health (default 60)
# The agent keeps its keys on disk (KeyManager "disk", <agent>/data/keys/keys.json) next to its SVID
# (<agent>/data/agent-data.json), so a test can call the server as this agent (e.g. GetAuthorizedEntries).
# The server of <workdir> must have been started with scripts/spire-server.sh start <workdir>.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib/common.sh
SCRIPT_NAME="spire-agent"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { die "usage: $0 start|stop|env <workdir> [namespace] [serviceaccount]"; }
[[ $# -ge 2 && $# -le 4 ]] || usage
ACTION="$1"
[[ -d "$2" ]] || die "workdir $2 does not exist (start the server first: scripts/spire-server.sh start $2)"
WORKDIR="$(abs_dir "$2")"
NS="${3:-spire}"
SA="${4:-spire-agent}"
NAME="${SPIRE_AGENT_NAME:-agent}"
ATTESTOR="${SPIRE_AGENT_ATTESTOR:-}"
case "$ATTESTOR" in
  ""|k8s_sat|k8s_psat|join_token) ;;
  *) die "SPIRE_AGENT_ATTESTOR must be k8s_sat, k8s_psat or join_token, got '$ATTESTOR'" ;;
esac
[[ "$NAME" =~ ^[A-Za-z0-9._-]+$ ]] || die "SPIRE_AGENT_NAME '$NAME' must match [A-Za-z0-9._-]+"

AGENT_DIR="$WORKDIR/$NAME"
CONF="$AGENT_DIR/agent.conf"
PIDFILE="$AGENT_DIR/agent.pid"
LOGFILE="$AGENT_DIR/agent.log"
STATE="$AGENT_DIR/agent.env"
SOCKET="$AGENT_DIR/public/api.sock"
TOKEN="$AGENT_DIR/sa-token"
BUNDLE="$AGENT_DIR/bundle.pem"
START_TIMEOUT="${SPIRE_START_TIMEOUT:-60}"
LOG_LEVEL="${SPIRE_LOG_LEVEL:-INFO}"

load_server_state() {
  [[ -f "$WORKDIR/server.env" ]] || die "no server state in $WORKDIR (run: scripts/spire-server.sh start $WORKDIR)"
  # shellcheck disable=SC1091
  source "$WORKDIR/server.env"
  pid_alive "$SPIRE_SERVER_PID" || die "spire-server of $WORKDIR (pid $SPIRE_SERVER_PID) is not running"
  # Servers started by an older script named no attestors: they had k8s_sat and join_token.
  SERVER_ATTESTORS="${SPIRE_NODE_ATTESTORS:-k8s_sat join_token}"
  if [[ -z "$ATTESTOR" ]]; then
    [[ " $SERVER_ATTESTORS " == *" k8s_sat "* ]] \
      || die "the server (spire ${SPIRE_VERSION:-?}) has no k8s_sat node attestor; set SPIRE_AGENT_ATTESTOR to one of: $SERVER_ATTESTORS"
    ATTESTOR=k8s_sat
  fi
  [[ " $SERVER_ATTESTORS " == *" $ATTESTOR "* ]] \
    || die "the server (spire ${SPIRE_VERSION:-?}) has no $ATTESTOR node attestor (it has: $SERVER_ATTESTORS)"
}

print_env() {
  [[ -f "$STATE" ]] || die "no agent state in $AGENT_DIR (run: $0 start $WORKDIR)"
  cat "$STATE"
}

healthy() { "$SPIRE_AGENT_BIN" healthcheck -socketPath "$SOCKET" >/dev/null 2>&1; }

# Legacy (secret-based) service-account token as the Kubernetes token controller issues it: RS256, no exp/aud.
# SPIRE's k8s_sat server plugin verifies the signature against service_account_key_file, reads the namespace and
# service-account name claims, and checks time claims only if exp is present.
mint_token() {
  require_cmd openssl base64 tr
  [[ "$NS" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "namespace '$NS' is not a valid Kubernetes name"
  [[ "$SA" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || die "service account '$SA' is not a valid Kubernetes name"
  local kid uid secret header claims signing_input signature
  # Kubernetes derives the key ID from the SHA-256 of the DER public key.
  kid="$(openssl pkey -in "$SPIRE_SA_KEY" -pubout -outform DER 2>/dev/null | openssl dgst -sha256 -binary | b64url)"
  uid="$(cat /proc/sys/kernel/random/uuid)"
  secret="$SA-token-$(tr -dc 'a-z0-9' </dev/urandom | head -c 5 || true)"
  header="$(printf '{"alg":"RS256","kid":"%s"}' "$kid" | b64url)"
  claims="$(printf '{"iss":"kubernetes/serviceaccount","kubernetes.io/serviceaccount/namespace":"%s","kubernetes.io/serviceaccount/secret.name":"%s","kubernetes.io/serviceaccount/service-account.name":"%s","kubernetes.io/serviceaccount/service-account.uid":"%s","sub":"system:serviceaccount:%s:%s"}' \
    "$NS" "$secret" "$SA" "$uid" "$NS" "$SA" | b64url)"
  signing_input="$header.$claims"
  signature="$(printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$SPIRE_SA_KEY" -binary | b64url)" \
    || die "openssl could not sign the service-account token with $SPIRE_SA_KEY"
  [[ -n "$signature" ]] || die "empty signature from openssl"
  ( umask 077; printf '%s' "$signing_input.$signature" > "$TOKEN" )
}

# The token a k8s_psat agent presents: a TokenRequest token the caller got from the API server for the agent's Pod.
copy_psat_token() {
  local src="${SPIRE_AGENT_TOKEN_FILE:-}"
  [[ -n "$src" && -s "$src" ]] || die "k8s_psat needs SPIRE_AGENT_TOKEN_FILE: a projected service-account token bound to the agent's Pod"
  ( umask 077; cp -f "$src" "$TOKEN" )
}

join_token() {
  local out token
  out="$("$SPIRE_SERVER_BIN" token generate -socketPath "$SPIRE_SERVER_SOCKET" -ttl 600 2>&1)" \
    || die "spire-server token generate failed: $out"
  token="$(sed -n 's/^Token: \([0-9a-f-]*\)$/\1/p' <<<"$out" | head -n 1)"
  [[ -n "$token" ]] || die "spire-server token generate printed no token: $out"
  printf '%s' "$token"
}

node_attestor_config() {
  case "$ATTESTOR" in
    k8s_sat|k8s_psat) cat <<CONF
    NodeAttestor "$ATTESTOR" {
        plugin_data {
            cluster = "$SPIRE_K8S_CLUSTER"
            token_path = "$TOKEN"
        }
    }
CONF
      ;;
    join_token) cat <<CONF
    NodeAttestor "join_token" {
        plugin_data {}
    }
CONF
      ;;
  esac
}

write_config() {
  local join=""
  [[ "$ATTESTOR" == join_token ]] && join="    join_token = \"$JOIN_TOKEN\""
  cat > "$CONF" <<CONF
# Generated by scripts/spire-agent.sh: loopback-only test agent.
agent {
    data_dir = "$AGENT_DIR/data"
    log_level = "$LOG_LEVEL"
    server_address = "$SPIRE_SERVER_ADDRESS"
    server_port = "$SPIRE_SERVER_PORT"
    socket_path = "$SOCKET"
    trust_bundle_path = "$BUNDLE"
    trust_domain = "$SPIRE_TRUST_DOMAIN"
$join
}

plugins {
$(node_attestor_config)

    KeyManager "disk" {
        plugin_data {
            directory = "$AGENT_DIR/data/keys"
        }
    }

    WorkloadAttestor "unix" {
        plugin_data {}
    }
}
CONF
}

fail_start() {
  local pid; pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  if pid_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE" "$STATE"
  log_tail "$LOGFILE" 40
  die "$1 (config $CONF, log $LOGFILE)"
}

agent_id_from_log() {
  sed -n 's/.*msg="Node attestation was successful".*spiffe_id="\([^"]*\)".*/\1/p' "$LOGFILE" | tail -n 1
}

verify_registration() {
  local id="$1" shown sel prefix suffix selectors=()
  case "$ATTESTOR" in
    k8s_sat|k8s_psat)
      # k8s_sat: a random UUID per attestation; k8s_psat: the UID of the agent pod's Node
      prefix="spiffe://$SPIRE_TRUST_DOMAIN/spire/agent/$ATTESTOR/$SPIRE_K8S_CLUSTER/"
      selectors=("$ATTESTOR:cluster:$SPIRE_K8S_CLUSTER" "$ATTESTOR:agent_ns:$NS" "$ATTESTOR:agent_sa:$SA") ;;
    join_token)
      prefix="spiffe://$SPIRE_TRUST_DOMAIN/spire/agent/join_token/" ;;
  esac
  suffix="${id#"$prefix"}"
  [[ "$id" == "$prefix"* && "$suffix" =~ ^[0-9a-f-]{36}$ ]] || fail_start "agent ID '$id' is not ${prefix}<uid>"
  [[ "$ATTESTOR" != join_token || "$suffix" == "$JOIN_TOKEN" ]] || fail_start "agent ID '$id' does not name its join token $JOIN_TOKEN"
  shown="$("$SPIRE_SERVER_BIN" agent show -socketPath "$SPIRE_SERVER_SOCKET" -spiffeID "$id" 2>&1)" \
    || fail_start "spire-server agent show -spiffeID $id failed: $shown"
  for sel in "${selectors[@]}"; do
    grep -Eq "Selectors +: $sel\$" <<<"$shown" || fail_start "server lists agent $id without selector $sel: $shown"
  done
}

start() {
  load_server_state
  if [[ -f "$PIDFILE" ]] && pid_alive "$(cat "$PIDFILE")" && healthy; then
    log "agent already running in $AGENT_DIR (pid $(cat "$PIDFILE"))"
    print_env
    return 0
  fi
  (( ${#SOCKET} < 100 )) || die "socket path too long for a unix socket (${#SOCKET} chars): $SOCKET; use a shorter workdir"
  # Every fresh start is a new node attestation with an empty data dir (k8s_sat agents cannot re-attest at all).
  rm -rf "$AGENT_DIR/data" "$AGENT_DIR/public"
  rm -f "$PIDFILE" "$STATE"
  mkdir -p "$AGENT_DIR/data" "$AGENT_DIR/public"
  ( umask 077; mkdir -p "$AGENT_DIR/data/keys" )   # the disk key manager of 1.10 does not create it

  "$SPIRE_SERVER_BIN" bundle show -socketPath "$SPIRE_SERVER_SOCKET" -format pem > "$BUNDLE" 2>"$AGENT_DIR/bundle.err" \
    || die "could not fetch the trust bundle from the server: $(cat "$AGENT_DIR/bundle.err")"
  JOIN_TOKEN=""
  case "$ATTESTOR" in
    k8s_sat) mint_token ;;
    k8s_psat) copy_psat_token ;;
    join_token) JOIN_TOKEN="$(join_token)" ;;
  esac
  write_config

  : > "$LOGFILE"
  setsid "$SPIRE_AGENT_BIN" run -config "$CONF" </dev/null >>"$LOGFILE" 2>&1 &
  local pid=$! deadline=$(( $(date +%s) + START_TIMEOUT ))
  echo "$pid" > "$PIDFILE"
  until healthy; do
    pid_alive "$pid" || fail_start "spire-agent exited before becoming healthy"
    (( $(date +%s) < deadline )) || fail_start "spire-agent not healthy after ${START_TIMEOUT}s"
    sleep 0.2
  done

  local id
  id="$(agent_id_from_log)"
  [[ -n "$id" ]] || fail_start "agent healthy but its log names no attested SPIFFE ID"
  verify_registration "$id"
  {
    printf 'export SPIRE_AGENT_ID=%q\n' "$id"
    printf 'export SPIRE_AGENT_SOCKET=%q\n' "$SOCKET"
    printf 'export SPIRE_AGENT_DIR=%q\n' "$AGENT_DIR"
    printf 'export SPIRE_AGENT_PID=%q\n' "$pid"
    printf 'export SPIRE_AGENT_LOG=%q\n' "$LOGFILE"
    printf 'export SPIRE_AGENT_NAMESPACE=%q\n' "$NS"
    printf 'export SPIRE_AGENT_SERVICE_ACCOUNT=%q\n' "$SA"
    printf 'export SPIRE_AGENT_ATTESTOR=%q\n' "$ATTESTOR"
    printf 'export SPIRE_AGENT_DATA_DIR=%q\n' "$AGENT_DIR/data"
  } > "$STATE"
  log "agent healthy: pid $pid, $id ($ATTESTOR ns=$NS sa=$SA), socket $SOCKET"
  print_env
}

case "$ACTION" in
  start) start ;;
  stop)  stop_pidfile "$PIDFILE" "spire-agent" ;;
  env)   print_env ;;
  *)     usage ;;
esac
