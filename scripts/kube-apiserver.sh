#!/usr/bin/env bash
# Runs a real etcd + kube-apiserver on loopback for end-to-end tests (no controller-manager, no kubelet).
#
#   scripts/kube-apiserver.sh start <workdir>   # certs (once), etcd, kube-apiserver, wait for /readyz, admin.kubeconfig
#   scripts/kube-apiserver.sh stop  <workdir>   # stops the two processes started for <workdir>
#   scripts/kube-apiserver.sh env   <workdir>   # prints shell exports for a started <workdir>
#   scripts/kube-apiserver.sh status <workdir>  # exit 0 when both processes run and /readyz answers ok
#
# Environment:
#   KUBE_BIN_DIR         directory with etcd and kube-apiserver (default: built/reused by scripts/kube-install.sh)
#   KUBE_START_TIMEOUT   seconds to wait for etcd and for /readyz (default 120)
#   KUBE_SA_ISSUER       service-account token issuer (default https://kubernetes.default.svc.cluster.local)
#   KUBE_APISERVER_EXTRA_ARGS  extra kube-apiserver flags, space separated
#
# Layout of <workdir>: pki/ (ca, apiserver, admin, sa keys, tokens.csv), etcd-data/, logs/, run/ (pids, ports),
# admin.kubeconfig (client certificate), token.kubeconfig (the same system:masters user by bearer token, as a pod's
# service-account token authenticates: what the benchmark's contenders use)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
START_TIMEOUT="${KUBE_START_TIMEOUT:-120}"
SA_ISSUER="${KUBE_SA_ISSUER:-https://kubernetes.default.svc.cluster.local}"
SERVICE_CIDR="10.0.0.0/24"
SERVICE_IP="10.0.0.1"

# A failed start stops whatever it already started.
die() {
  echo "kube-apiserver.sh: ERROR: $*" >&2
  if [[ "${STARTING:-0}" == 1 ]]; then STARTING=0; stop; fi
  exit 1
}
log() { echo "kube-apiserver.sh: $*" >&2; }

usage() { die "usage: $0 start|stop|env|status <workdir>"; }

[[ $# -eq 2 ]] || usage
CMD="$1"
mkdir -p "$2"
WORKDIR="$(cd "$2" && pwd)"
PKI="$WORKDIR/pki"
RUN="$WORKDIR/run"
LOGS="$WORKDIR/logs"
KUBECONFIG_FILE="$WORKDIR/admin.kubeconfig"
TOKEN_KUBECONFIG_FILE="$WORKDIR/token.kubeconfig"

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A loopback port nobody listens on; ports already chosen for this workdir are skipped.
free_port() {
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 12000))  # below the kernel's ephemeral range (32768+), where outgoing sockets hold ports
    if port_free "$p" && ! grep -qx "$p" "$RUN/chosen-ports" 2>/dev/null; then
      echo "$p" >>"$RUN/chosen-ports"
      echo "$p"
      return
    fi
  done
  die "found no free loopback port"
}

bin_dir() {
  if [[ -n "${KUBE_BIN_DIR:-}" ]]; then
    echo "$KUBE_BIN_DIR"
  else
    "$SCRIPT_DIR/kube-install.sh" | tail -1
  fi
}

# --- certificates --------------------------------------------------------------------------------

gen_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; chmod 600 "$1"; }

# sign_cert <name> <subject> <extensions>
sign_cert() {
  local name="$1" subj="$2" ext="$3"
  gen_key "$PKI/$name.key"
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  printf '%b\n' "$ext" >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

ensure_pki() {
  [[ -f "$PKI/admin.crt" && -f "$PKI/sa.pub" ]] && return
  command -v openssl >/dev/null || die "openssl is not on PATH"
  log "generating certificates in $PKI"
  mkdir -p "$PKI"
  gen_key "$PKI/ca.key"
  openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=spire-operator-e2e-ca" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$PKI/ca.crt" 2>/dev/null
  sign_cert apiserver "/CN=kube-apiserver" \
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  sign_cert admin "/O=system:masters/CN=admin" \
    "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth"
  gen_key "$PKI/sa.key"
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  [[ -s "$PKI/admin.crt" && -s "$PKI/apiserver.crt" && -s "$PKI/sa.pub" ]] || die "certificate generation failed"
}

# A static bearer token for a system:masters user (kube-apiserver --token-auth-file), made once per workdir.
ensure_token() {
  [[ -s "$PKI/tokens.csv" ]] && return
  mkdir -p "$PKI"
  printf '%s,bench,bench,"system:masters"\n' "$(openssl rand -hex 32)" >"$PKI/tokens.csv"
  chmod 600 "$PKI/tokens.csv"
}

# kubeconfig_file <file> <url> <user> <credential lines>: one cluster, one user, one context; written to
# <file>.tmp (mode 600) for the caller to move into place.
kubeconfig_file() {
  local file="$1" url="$2" user="$3" credentials="$4"
  cat >"$file.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: $url
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: $user
  user:
$credentials
contexts:
- name: e2e
  context:
    cluster: e2e
    user: $user
current-context: e2e
EOF
  chmod 600 "$file.tmp"
}

write_kubeconfig() {
  local url="$1"
  kubeconfig_file "$KUBECONFIG_FILE" "$url" admin \
    "    client-certificate-data: $(base64 -w0 <"$PKI/admin.crt")
    client-key-data: $(base64 -w0 <"$PKI/admin.key")"
  kubeconfig_file "$TOKEN_KUBECONFIG_FILE" "$url" bench "    token: $(cut -d, -f1 "$PKI/tokens.csv")"
  mv "$TOKEN_KUBECONFIG_FILE.tmp" "$TOKEN_KUBECONFIG_FILE"
  mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
}

# --- processes -----------------------------------------------------------------------------------

# wait_for <seconds> <description> <pidfile> <command...>: polls the command until it succeeds.
wait_for() {
  local timeout="$1" what="$2" pidfile="$3"; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    pid_alive "$pidfile" || die "$what exited during start-up; see $LOGS"
    ((SECONDS < deadline)) || die "$what not ready after ${timeout}s; see $LOGS"
    sleep 0.5
  done
}

etcd_healthy() { curl -sf --max-time 2 "http://127.0.0.1:$1/health" | grep -q '"health":"true"'; }

apiserver_ready() {
  curl -sf --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$1/readyz" | grep -qx ok
}

# Reads run/ports into ETCD_PORT, ETCD_PEER_PORT and APISERVER_PORT.
load_ports() {
  [[ -f "$RUN/ports" ]] || return 1
  # shellcheck disable=SC1091
  source "$RUN/ports"
}

start() {
  if pid_alive "$RUN/etcd.pid" || pid_alive "$RUN/kube-apiserver.pid"; then
    load_ports && apiserver_ready "$APISERVER_PORT" && { log "already running in $WORKDIR"; return; }
    die "processes of $WORKDIR are running but not ready; run '$0 stop $WORKDIR' first"
  fi
  local bins
  bins="$(bin_dir)"
  [[ -x "$bins/etcd" && -x "$bins/kube-apiserver" ]] || die "no etcd/kube-apiserver in $bins"
  command -v curl >/dev/null || die "curl is not on PATH"
  mkdir -p "$RUN" "$LOGS" "$WORKDIR/etcd-data"
  chmod 700 "$WORKDIR/etcd-data"
  ensure_pki
  ensure_token
  STARTING=1
  rm -f "$RUN/chosen-ports"
  ETCD_PORT="$(free_port)"; ETCD_PEER_PORT="$(free_port)"; APISERVER_PORT="$(free_port)"
  printf 'ETCD_PORT=%s\nETCD_PEER_PORT=%s\nAPISERVER_PORT=%s\nKUBE_BIN_DIR=%q\n' \
    "$ETCD_PORT" "$ETCD_PEER_PORT" "$APISERVER_PORT" "$bins" >"$RUN/ports"

  log "starting etcd on 127.0.0.1:$ETCD_PORT"
  setsid "$bins/etcd" \
    --name e2e \
    --data-dir "$WORKDIR/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync \
    --log-level warn \
    </dev/null >>"$LOGS/etcd.log" 2>&1 &
  echo $! >"$RUN/etcd.pid"
  wait_for "$START_TIMEOUT" etcd "$RUN/etcd.pid" etcd_healthy "$ETCD_PORT"

  log "starting kube-apiserver on https://127.0.0.1:$APISERVER_PORT"
  # shellcheck disable=SC2086
  setsid "$bins/kube-apiserver" \
    --bind-address 127.0.0.1 \
    --advertise-address 127.0.0.1 \
    --secure-port "$APISERVER_PORT" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --tls-cert-file "$PKI/apiserver.crt" \
    --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --token-auth-file "$PKI/tokens.csv" \
    --authorization-mode RBAC \
    --service-account-issuer "$SA_ISSUER" \
    --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --disable-admission-plugins ServiceAccount \
    --enable-priority-and-fairness=false \
    --endpoint-reconciler-type none \
    --allow-privileged=true \
    --profiling=false \
    --cert-dir "$PKI" \
    ${KUBE_APISERVER_EXTRA_ARGS:-} \
    </dev/null >>"$LOGS/kube-apiserver.log" 2>&1 &
  echo $! >"$RUN/kube-apiserver.pid"
  wait_for "$START_TIMEOUT" kube-apiserver "$RUN/kube-apiserver.pid" apiserver_ready "$APISERVER_PORT"
  write_kubeconfig "https://127.0.0.1:$APISERVER_PORT"
  STARTING=0
  log "ready: https://127.0.0.1:$APISERVER_PORT (kubeconfig $KUBECONFIG_FILE)"
}

stop_one() {
  local name="$1" pidfile="$RUN/$1.pid" pid i
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name ($pid) ignored TERM; killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped $name ($pid)"
  fi
  rm -f "$pidfile"
}

stop() {
  stop_one kube-apiserver
  stop_one etcd
}

print_env() {
  load_ports || die "$WORKDIR was never started"
  [[ -f "$KUBECONFIG_FILE" ]] || die "$WORKDIR has no admin.kubeconfig (start did not finish)"
  local k v
  while IFS='=' read -r k v; do
    printf 'export %s=%q\n' "$k" "$v"
  done <<EOF
KUBECONFIG=$KUBECONFIG_FILE
KUBE_TOKEN_KUBECONFIG=$TOKEN_KUBECONFIG_FILE
KUBE_WORKDIR=$WORKDIR
KUBE_APISERVER_URL=https://127.0.0.1:$APISERVER_PORT
KUBE_CA_CERT=$PKI/ca.crt
KUBE_ADMIN_CERT=$PKI/admin.crt
KUBE_ADMIN_KEY=$PKI/admin.key
KUBE_SA_KEY=$PKI/sa.key
KUBE_SA_PUB=$PKI/sa.pub
KUBE_SA_ISSUER=$SA_ISSUER
KUBE_ETCD_URL=http://127.0.0.1:$ETCD_PORT
KUBE_BIN_DIR=$KUBE_BIN_DIR
EOF
}

status() {
  load_ports || die "$WORKDIR was never started"
  pid_alive "$RUN/etcd.pid" || die "etcd is not running"
  pid_alive "$RUN/kube-apiserver.pid" || die "kube-apiserver is not running"
  apiserver_ready "$APISERVER_PORT" || die "kube-apiserver /readyz is not ok"
  log "running: https://127.0.0.1:$APISERVER_PORT"
}

case "$CMD" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  status) status ;;
  *) usage ;;
esac
