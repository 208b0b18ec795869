#!/usr/bin/env bash
# Validates the deployment manifests in deploy/ without a Kubernetes cluster.
#
#   scripts/validate-manifests.sh            # from anywhere in the repository
#   KUBECTL=/path/to/kubectl scripts/validate-manifests.sh
#
# Steps (any failure stops the script with a FAILED line and exit code 1):
#   1. render with kustomize (fully offline): deploy/, deploy/spire/ and
#      deploy/ + the variants/tcp component;
#   2. `kubectl apply -k deploy/ --dry-run=client -o name`, and check that it
#      names every object the render produced;
#   3. `kubectl apply -f <file> --dry-run=client -o name` for every manifest file
#      (deploy/*.yaml, crds/, spire/, examples/) and for the rendered TCP variant.
#
# Why a fake API server: even with --dry-run=client, kubectl asks an API server
# for discovery (to map kinds to resources) and `apply` GETs each object to
# decide between create and patch. The script starts a tiny local HTTP server
# (python3, standard library only) that serves discovery documents for the kinds
# used here and answers 404 to every object GET, and points kubectl at it with a
# throw-away kubeconfig. Schema validation needs the real server's OpenAPI
# document, so it runs with --validate=false; the typed checks live in
# operator/src/test/java/org/spireoperator/deploy/DeployManifestsTest.java.
# Against a real cluster use `kubectl apply -k deploy/ --dry-run=server`.
#
# Requirements: kubectl with built-in kustomize (>= 1.14), python3.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KUBECTL="${KUBECTL:-kubectl}"
DEPLOY="$ROOT/deploy"

fail() {
  echo "FAILED: $*" >&2
  exit 1
}
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR

command -v "$KUBECTL" >/dev/null || fail "kubectl not found (set KUBECTL)"
command -v python3 >/dev/null || fail "python3 not found"
[[ -f "$DEPLOY/kustomization.yaml" ]] || fail "no $DEPLOY/kustomization.yaml"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Runs a command; on failure prints its output and stops.
step() {
  local name="$1"; shift
  echo "==> $name"
  if ! "$@" >"$WORK/out" 2>"$WORK/err"; then
    cat "$WORK/out" "$WORK/err" >&2
    fail "$name"
  fi
  if [[ -s "$WORK/err" ]]; then sed 's/^/    stderr: /' "$WORK/err" >&2; fi
}

count_documents() { # number of objects in a rendered multi-document YAML stream
  grep -c '^kind:' "$1" || true
}

# --- 1. kustomize renders (offline) ----------------------------------------
step "render deploy/" "$KUBECTL" kustomize "$DEPLOY"
cp "$WORK/out" "$WORK/base.yaml"
BASE_OBJECTS="$(count_documents "$WORK/base.yaml")"
[[ "$BASE_OBJECTS" -gt 0 ]] || fail "deploy/ renders no objects"
echo "    $BASE_OBJECTS objects"

step "render deploy/spire/" "$KUBECTL" kustomize "$DEPLOY/spire"

# kustomize refuses absolute paths and overlays nested in their base: build a
# temporary overlay that reaches deploy/ through a relative path.
mkdir -p "$WORK/tcp-overlay"
REL="$(python3 -c 'import os,sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$DEPLOY" "$WORK/tcp-overlay")"
cat >"$WORK/tcp-overlay/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [$REL]
components: [$REL/variants/tcp]
EOF
step "render deploy/ + variants/tcp" "$KUBECTL" kustomize "$WORK/tcp-overlay"
cp "$WORK/out" "$WORK/tcp.yaml"
grep -q 'server_address *= *"spire-server.spire:8081"' "$WORK/tcp.yaml" \
  || fail "TCP variant: server_address not patched into the ConfigMap"
if grep -q 'server-sockets' "$WORK/tcp.yaml"; then
  fail "TCP variant still references the server socket directory"
fi

# --- fake discovery API server ---------------------------------------------
cat >"$WORK/fake_apiserver.py" <<'PY'
"""Answers kubectl's discovery requests; every object GET is 404, writes 500."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# (group, version, plural, kind, namespaced)
RESOURCES = [
    ("", "v1", "namespaces", "Namespace", False),
    ("", "v1", "serviceaccounts", "ServiceAccount", True),
    ("", "v1", "configmaps", "ConfigMap", True),
    ("", "v1", "services", "Service", True),
    ("", "v1", "pods", "Pod", True),
    ("", "v1", "nodes", "Node", False),
    ("", "v1", "events", "Event", True),
    ("", "v1", "resourcequotas", "ResourceQuota", True),
    ("apps", "v1", "deployments", "Deployment", True),
    ("apps", "v1", "daemonsets", "DaemonSet", True),
    ("apps", "v1", "statefulsets", "StatefulSet", True),
    ("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", True),
    ("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", False),
    ("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", False),
    ("rbac.authorization.k8s.io", "v1", "roles", "Role", True),
    ("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", True),
    ("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", False),
    ("coordination.k8s.io", "v1", "leases", "Lease", True),
    ("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", True),
    ("events.k8s.io", "v1", "events", "Event", True),
    # As if the SpiffeID CRD were installed.
    ("spiffeid.spiffe.io", "v1beta1", "spiffeids", "SpiffeID", True),
    # As if spire-controller-manager's CRDs were installed.
    ("spire.spiffe.io", "v1alpha1", "clusterspiffeids", "ClusterSPIFFEID", False),
    ("spire.spiffe.io", "v1alpha1", "clusterstaticentries", "ClusterStaticEntry", False),
    ("spire.spiffe.io", "v1alpha1", "clusterfederatedtrustdomains", "ClusterFederatedTrustDomain", False),
]
VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


def group_versions():
    seen = {}
    for group, version, *_ in RESOURCES:
        seen.setdefault(group, [])
        if version not in seen[group]:
            seen[group].append(version)
    return seen


def resource_list(group, version):
    gv = f"{group}/{version}" if group else version
    items = [
        {"name": plural, "singularName": kind.lower(), "kind": kind,
         "namespaced": namespaced, "verbs": VERBS}
        for g, v, plural, kind, namespaced in RESOURCES if (g, v) == (group, version)
    ]
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": items} if items else None


class Handler(BaseHTTPRequestHandler):
    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _status(self, code, reason, message):
        self._send(code, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                          "reason": reason, "message": message, "code": code})

    def do_GET(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        versions = group_versions()
        if path == "/api":
            return self._send(200, {"kind": "APIVersions", "versions": versions[""],
                                    "serverAddressByClientCIDRs": []})
        if path == "/apis":
            groups = [{"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v} for v in vs],
                       "preferredVersion": {"groupVersion": f"{g}/{vs[0]}", "version": vs[0]}}
                      for g, vs in versions.items() if g]
            return self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
        parts = path.strip("/").split("/")
        listing = None
        if len(parts) == 2 and parts[0] == "api":
            listing = resource_list("", parts[1])
        elif len(parts) == 3 and parts[0] == "apis":
            listing = resource_list(parts[1], parts[2])
        if listing:
            return self._send(200, listing)
        return self._status(404, "NotFound", f"fake apiserver: nothing at {path}")

    def _refuse_write(self):
        self._status(500, "InternalError",
                     f"fake apiserver: unexpected {self.command} {self.path} (dry-run must not write)")

    do_POST = do_PUT = do_PATCH = do_DELETE = _refuse_write

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
PY

python3 "$WORK/fake_apiserver.py" "$WORK/port.tmp" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  [[ -s "$WORK/port.tmp" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "fake API server did not start"
  python3 -c 'import time; time.sleep(0.05)'
done
[[ -s "$WORK/port.tmp" ]] || fail "fake API server did not report its port"
PORT="$(cat "$WORK/port.tmp")"

cat >"$WORK/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: offline
    cluster: {server: "http://127.0.0.1:$PORT"}
users:
  - name: offline
    user: {}
contexts:
  - name: offline
    context: {cluster: offline, user: offline}
current-context: offline
EOF
export KUBECONFIG="$WORK/kubeconfig"
DRY_RUN=(--dry-run=client --validate=false -o name --cache-dir "$WORK/kube-cache")

# --- 2. apply -k --------------------------------------------------------------
step "kubectl apply -k deploy/ --dry-run=client" "$KUBECTL" apply -k "$DEPLOY" "${DRY_RUN[@]}"
sed 's/^/    /' "$WORK/out"
APPLIED="$(grep -c . "$WORK/out" || true)"
[[ "$APPLIED" -eq "$BASE_OBJECTS" ]] \
  || fail "apply -k named $APPLIED objects, the render has $BASE_OBJECTS"

# --- 3. apply -f per file -------------------------------------------------------
# Not applied one by one: kustomization files, the variants' patches (partial
# objects, checked through the render above), deploy/examples/config/ (HCL
# samples of the operator's configuration, owned elsewhere) and deploy/helm/
# (the Helm chart's templates: scripts/validate-helm.sh).
mapfile -t FILES < <(cd "$ROOT" && find deploy -type f \( -name '*.yaml' -o -name '*.yml' \) \
  ! -name kustomization.yaml ! -path 'deploy/variants/*' ! -path 'deploy/examples/config/*' \
  ! -path 'deploy/helm/*' | sort)
[[ "${#FILES[@]}" -gt 0 ]] || fail "no manifest files found under deploy/"
for file in "${FILES[@]}"; do
  step "kubectl apply -f $file --dry-run=client" "$KUBECTL" apply -f "$ROOT/$file" "${DRY_RUN[@]}"
  [[ -s "$WORK/out" ]] || fail "apply -f $file named no object"
  sed 's/^/    /' "$WORK/out"
done

step "kubectl apply -f <deploy/ + variants/tcp> --dry-run=client" "$KUBECTL" apply -f "$WORK/tcp.yaml" "${DRY_RUN[@]}"
[[ "$(grep -c . "$WORK/out" || true)" -eq "$(count_documents "$WORK/tcp.yaml")" ]] \
  || fail "TCP variant: apply named fewer objects than rendered"

echo "OK: deploy/ manifests render and apply (client dry-run, offline)"
