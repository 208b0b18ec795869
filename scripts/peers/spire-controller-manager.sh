#!/usr/bin/env bash
# Runs spire-controller-manager (v0.6.4) as a local process, outside any cluster, for benchmarks.
#
# Usage: scripts/peers/spire-controller-manager.sh start|stop|status <workdir>
#   start   install its CRDs (from the module in the Go module cache) into the kube-apiserver, apply one
#           ClusterSPIFFEID that gives every pod spiffe://<td>/ns/<ns>/sa/<sa>, write
#           <workdir>/spire-controller-manager.yaml, start the manager in the background
#           (pid <workdir>/spire-controller-manager.pid, log <workdir>/spire-controller-manager.log) and wait until
#           its Pod controller runs. Idempotent while it runs.
#   stop    TERM (bounded wait, then KILL) the manager started in <workdir>. Leaves CRDs, the ClusterSPIFFEID and
#           its entries in place. Idempotent.
#   status  exit 0 if it runs.
#
# Environment:
#   KUBECONFIG                 kubeconfig of the kube-apiserver to watch (admin)          (required for start)
#   SPIRE_SERVER_SOCKET        spire-server admin unix socket                             (required for start)
#   SPIRE_TRUST_DOMAIN         trust domain                                               (default example.org)
#   PEER_CLUSTER               cluster name (used in the default parent ID template)      (default demo)
#   PEER_LOG_LEVEL             manager log level                                          (default info)
#   PEER_START_TIMEOUT         seconds to wait for CRDs and controllers                   (default 60)
#   PEER_SCM_ENTRY_ID_PREFIX   entry ID prefix: the manager then only touches entries with IDs "<prefix>.*"
#                              (default "scm"); set it empty to get upstream's default, where the manager
#                              treats EVERY entry in the server as its own and deletes the ones it did not render
#   PEER_SCM_PARENT_ID_TEMPLATE  parent ID template (default: the manager's own,
#                              spiffe://<td>/spire/agent/k8s_psat/<cluster>/<node UID>)
#   PEER_SCM_INSTALL_CRDS      "false": do not install the manager's own CRDs; the cluster must already serve
#                              them (e.g. the operator's, from deploy/crds/); start waits until they are Established
#                              (default "true")
#   PEER_SCM_CLUSTER_SPIFFEID  "false": do not apply the benchmark's ClusterSPIFFEID (the caller applies its own)
#                              (default "true")
#   PEER_SCM_CLASS_NAME        the manager's className (default: none, so only objects without a class)
#   PEER_SCM_WATCH_CLASSLESS   "true": also handle objects without a class (watchClassless; default "false")
#   PEER_SCM_BIN               binary to run (default: the one scripts/peers-install.sh builds, built on demand)
#   KUBECTL                    kubectl to use (default: kubectl on PATH)
#
# The validating webhook is disabled with ENABLE_WEBHOOKS=false (read by the manager's main; with it unset the
# manager wants an in-cluster config, a webhook Service and a ValidatingWebhookConfiguration to patch).
set -euo pipefail
# shellcheck disable=SC2034 # read by _common.sh
SCRIPT_NAME="spire-controller-manager"
# shellcheck source-path=SCRIPTDIR source=_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

usage() { die "usage: $0 start|stop|status <workdir>"; }
[[ $# -eq 2 ]] || usage
ACTION="$1"
mkdir -p "$2"
WORKDIR="$(abs_dir "$2")"
CONF="$WORKDIR/spire-controller-manager.yaml"
CRD_DIR="$WORKDIR/crds"
CSID="$WORKDIR/clusterspiffeid.yaml"
PIDFILE="$WORKDIR/spire-controller-manager.pid"
LOGFILE="$WORKDIR/spire-controller-manager.log"
KUBECTL="${KUBECTL:-kubectl}"
CSID_NAME="peer-bench-by-service-account"
CRDS=(clusterspiffeids clusterfederatedtrustdomains clusterstaticentries)

running() { [[ -f "$PIDFILE" ]] && pid_alive "$(cat "$PIDFILE")"; }

# The Pod controller logs "Starting workers" once the caches it needs have synced.
controllers_started() { grep -q 'Starting workers.*"controller": "pod"' "$LOGFILE" 2>/dev/null; }

# The CRDs ship in the module zip (config/crd/bases); copy them out of the read-only module cache.
copy_crds() {
  local gomodcache moddir crd
  require_cmd go
  gomodcache="$(go env GOMODCACHE)"
  moddir="$gomodcache/github.com/spiffe/spire-controller-manager@$PEER_SCM_VERSION"
  if [[ ! -d "$moddir/config/crd/bases" ]]; then
    log "module github.com/spiffe/spire-controller-manager@$PEER_SCM_VERSION not in $gomodcache; downloading it"
    (cd "$(scm_base)/src" && GOFLAGS=-mod=mod go mod download "github.com/spiffe/spire-controller-manager@$PEER_SCM_VERSION") \
      || die "could not download github.com/spiffe/spire-controller-manager@$PEER_SCM_VERSION for its CRDs"
  fi
  mkdir -p "$CRD_DIR"
  for crd in "${CRDS[@]}"; do
    install -m 0644 "$moddir/config/crd/bases/spire.spiffe.io_$crd.yaml" "$CRD_DIR/" \
      || die "CRD $crd missing in $moddir/config/crd/bases"
  done
}

# With PEER_SCM_INSTALL_CRDS=false the cluster serves the CRDs already (the operator's own); only wait for them.
install_crds() {
  if [[ "${PEER_SCM_INSTALL_CRDS:-true}" == "false" ]]; then
    CRD_SOURCE="the cluster's"
    wait_crds_established
    return 0
  fi
  CRD_SOURCE="its own"
  copy_crds
  # Server-side apply: the CRDs are too large for the last-applied annotation of client-side apply.
  "$KUBECTL" apply --server-side --force-conflicts --field-manager=peer-bench -f "$CRD_DIR" >&2 \
    || die "could not install the spire-controller-manager CRDs"
  wait_crds_established
}

wait_crds_established() {
  local crd
  for crd in "${CRDS[@]}"; do
    "$KUBECTL" wait --for condition=established --timeout="${START_TIMEOUT}s" "crd/$crd.spire.spiffe.io" >/dev/null \
      || die "CRD $crd.spire.spiffe.io not established within ${START_TIMEOUT}s"
  done
}

apply_cluster_spiffe_id() {
  # Single quotes: the template is rendered by the manager, not by the shell.
  cat > "$CSID" <<'YAML'
# Generated by scripts/peers/spire-controller-manager.sh: every pod, identified by namespace and service account.
apiVersion: spire.spiffe.io/v1alpha1
kind: ClusterSPIFFEID
metadata:
  name: peer-bench-by-service-account
spec:
  spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}"
  podSelector: {}
YAML
  "$KUBECTL" apply --server-side --force-conflicts --field-manager=peer-bench -f "$CSID" >&2 \
    || die "could not apply ClusterSPIFFEID $CSID_NAME"
}

write_config() {
  local prefix="${PEER_SCM_ENTRY_ID_PREFIX-scm}"
  {
    cat <<YAML
# Generated by scripts/peers/spire-controller-manager.sh
apiVersion: spire.spiffe.io/v1alpha1
kind: ControllerManagerConfig
metrics:
  bindAddress: "0"
leaderElection:
  leaderElect: false
clusterName: "$CLUSTER"
clusterDomain: cluster.local
trustDomain: "$TRUST_DOMAIN"
spireServerSocketPath: "$SPIRE_SERVER_SOCKET"
logLevel: "${PEER_LOG_LEVEL:-info}"
ignoreNamespaces:
  - kube-system
  - kube-public
# Required to be non-empty by the manager; unused because ENABLE_WEBHOOKS=false.
validatingWebhookConfigurationName: spire-controller-manager-webhook
YAML
    [[ -n "$prefix" ]] && printf 'entryIDPrefix: "%s"\n' "$prefix"
    [[ -n "${PEER_SCM_PARENT_ID_TEMPLATE:-}" ]] && printf "parentIDTemplate: '%s'\n" "$PEER_SCM_PARENT_ID_TEMPLATE"
    [[ -n "${PEER_SCM_CLASS_NAME:-}" ]] && printf 'className: "%s"\n' "$PEER_SCM_CLASS_NAME"
    [[ "${PEER_SCM_WATCH_CLASSLESS:-false}" == "true" ]] && printf 'watchClassless: true\n'
    true
  } > "$CONF"
}

start() {
  if running; then
    log "already running (pid $(cat "$PIDFILE")) in $WORKDIR"
    return 0
  fi
  peer_inputs
  require_cmd "$KUBECTL"
  local bin="${PEER_SCM_BIN:-$(scm_bin)}"
  if [[ ! -x "$bin" ]]; then
    log "no binary at $bin; building it"
    "$(dirname "${BASH_SOURCE[0]}")/../peers-install.sh" spire-controller-manager >/dev/null
  fi
  [[ -x "$bin" ]] || die "no spire-controller-manager binary at $bin"
  install_crds
  if [[ "${PEER_SCM_CLUSTER_SPIFFEID:-true}" != "false" ]]; then
    apply_cluster_spiffe_id
  fi
  write_config
  # The manager reads the kubeconfig from $KUBECONFIG (controller-runtime's GetConfig).
  export ENABLE_WEBHOOKS=false
  start_background "$PIDFILE" "$LOGFILE" "$bin" -config "$CONF"
  local pid
  pid="$(cat "$PIDFILE")"
  local deadline=$(( $(date +%s) + START_TIMEOUT ))
  until controllers_started; do
    if ! pid_alive "$pid"; then
      rm -f "$PIDFILE"
      log_tail "$LOGFILE" 40
      die "spire-controller-manager exited during start-up (log: $LOGFILE)"
    fi
    if (( $(date +%s) >= deadline )); then
      log_tail "$LOGFILE" 40
      stop_pidfile "$PIDFILE" spire-controller-manager
      die "spire-controller-manager did not start its controllers within ${START_TIMEOUT}s (log: $LOGFILE)"
    fi
    sleep 0.2
  done
  log "spire-controller-manager running (pid $pid, cluster $CLUSTER, trust domain $TRUST_DOMAIN, $CRD_SOURCE CRDs, log $LOGFILE)"
}

case "$ACTION" in
  start) start ;;
  stop) stop_pidfile "$PIDFILE" spire-controller-manager ;;
  status) running ;;
  *) usage ;;
esac
