#!/usr/bin/env bash
# The README's "run" command: a local, real setup on loopback.
#   scripts/local-up.sh        start a real kube-apiserver + etcd and a real spire-server (built from the Go module
#                              proxy on first use, cached in $HOME/.cache/spire-operator), build and start the
#                              operator jar, apply example nodes, pods and a SpiffeID, print the resulting entries.
#   scripts/local-up.sh down   stop everything.
# Settings: LOCAL_UP_DIR (work dir, default $HOME/.cache/spire-operator/local-up), LOCAL_UP_KEEP=1 (leave running).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${LOCAL_UP_DIR:-$HOME/.cache/spire-operator/local-up}"
JAR="$ROOT/operator/target/operator-0.1.0-SNAPSHOT-all.jar"
mkdir -p "$WORK"

say() { printf '\n== %s\n' "$*"; }

down() {
  if [[ -f "$WORK/operator.pid" ]]; then
    kill "$(cat "$WORK/operator.pid")" 2>/dev/null || true
    rm -f "$WORK/operator.pid"
  fi
  "$ROOT/scripts/spire-server.sh" stop "$WORK/spire" 2>/dev/null || true
  "$ROOT/scripts/kube-apiserver.sh" stop "$WORK/kube" 2>/dev/null || true
}

if [[ "${1:-up}" == "down" ]]; then
  down
  echo "stopped"
  exit 0
fi

command -v kubectl >/dev/null || { say "installing kubectl (Debian kubernetes-client)"; apt-get update -qq && apt-get install -y -qq kubernetes-client; }

say "real servers (built once, then cached)"
"$ROOT/scripts/kube-install.sh" >/dev/null
"$ROOT/scripts/spire-install.sh" >/dev/null

say "operator jar"
(cd "$ROOT" && ./mvnw -B -q install -DskipTests -pl api-stubs,operator)

down
say "kube-apiserver + etcd"
"$ROOT/scripts/kube-apiserver.sh" start "$WORK/kube"
eval "$("$ROOT/scripts/kube-apiserver.sh" env "$WORK/kube")"
say "spire-server"
SPIRE_TRUST_DOMAIN=example.org "$ROOT/scripts/spire-server.sh" start "$WORK/spire"
eval "$("$ROOT/scripts/spire-server.sh" env "$WORK/spire")"

say "CRD"
kubectl apply -f "$ROOT/crds/spiffeids.spiffeid.spiffe.io-v1.yml"
kubectl wait --for condition=established --timeout=60s crd/spiffeids.spiffeid.spiffe.io

cat >"$WORK/operator.conf" <<CONF
log_level = "info"
trust_domain = "example.org"
cluster = "demo"
server_socket_path = "$SPIRE_SERVER_SOCKET"
mode = "reconcile"
leader_election = false
metrics_addr = "127.0.0.1:18080"
health_addr = "127.0.0.1:18081"
resync_period = "30s"
tenant {
  confine = true
}
CONF

say "operator (log: $WORK/operator.log)"
KUBECONFIG="$KUBECONFIG" nohup java -jar "$JAR" -config "$WORK/operator.conf" >"$WORK/operator.log" 2>&1 &
echo $! >"$WORK/operator.pid"
for _ in $(seq 1 120); do
  curl -fsS http://127.0.0.1:18081/readyz >/dev/null 2>&1 && break
  kill -0 "$(cat "$WORK/operator.pid")" 2>/dev/null || { tail -50 "$WORK/operator.log"; echo "operator exited" >&2; exit 1; }
  sleep 0.5
done
curl -fsS http://127.0.0.1:18081/readyz >/dev/null || { tail -50 "$WORK/operator.log"; echo "operator not ready" >&2; exit 1; }

say "example nodes, pods and SpiffeID"
kubectl apply -f "$ROOT/deploy/examples/local/cluster.yaml"

say "entries in SPIRE"
for _ in $(seq 1 60); do
  n=$("$SPIRE_SERVER_BIN" entry show -socketPath "$SPIRE_SERVER_SOCKET" 2>/dev/null | grep -c '^Entry ID' || true)
  [[ "$n" -ge 6 ]] && break
  sleep 0.5
done
"$SPIRE_SERVER_BIN" entry show -socketPath "$SPIRE_SERVER_SOCKET"

say "kubectl get spiffeids -A"
kubectl get spiffeids -A

say "explain shop/web-0"
KUBECONFIG="$KUBECONFIG" java -jar "$JAR" -config "$WORK/operator.conf" explain shop/web-0

if [[ "${LOCAL_UP_KEEP:-1}" == "1" ]]; then
  cat <<MSG

Running. Try:
  export KUBECONFIG=$KUBECONFIG
  kubectl delete pod -n shop web-1 --grace-period=0 --force   # its entry goes
  $SPIRE_SERVER_BIN entry show -socketPath $SPIRE_SERVER_SOCKET
  curl -s http://127.0.0.1:18080/metrics | grep spire_registrar
Stop with: scripts/local-up.sh down
MSG
else
  down
fi
