#!/usr/bin/env bash
# Checks the Helm chart in deploy/helm/ without a cluster:
#
#   scripts/validate-helm.sh                  # from anywhere in the repository
#   HELM=/path/to/helm scripts/validate-helm.sh
#
# Steps (any failure stops the script with a FAILED line and exit code 1):
#   1. helm: $HELM, else built (or reused) by scripts/helm-install.sh;
#   2. `helm lint --strict` with the default values, with tcp.enabled=true and with every values file in
#      deploy/helm/ci/ (every value set);
#   3. `helm template` of the same: every document is a Kubernetes object (apiVersion, kind, metadata.name), none is
#      named twice, and the default rendering names exactly the objects of `kubectl kustomize deploy/` except the
#      Namespace (the field-by-field comparison is HelmChartTest, in ./mvnw verify);
#   4. a value the chart refuses fails `helm template` with one line (config.trust_domain, an unknown node attestor);
#   5. `helm package`, and `helm lint` of the packaged chart.
# Requirements: helm (or go, for scripts/helm-install.sh), kubectl with kustomize, python3 with PyYAML.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHART="$ROOT/deploy/helm"
KUBECTL="${KUBECTL:-kubectl}"
NAMESPACE=spire

fail() {
  echo "FAILED: $*" >&2
  exit 1
}
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR

command -v python3 >/dev/null || fail "python3 not found"
python3 -c 'import yaml' 2>/dev/null || fail "python3 has no yaml module (Debian: python3-yaml)"
command -v "$KUBECTL" >/dev/null || fail "kubectl not found (set KUBECTL)"
[[ -f "$CHART/Chart.yaml" ]] || fail "no chart at $CHART"
if [[ -z "${HELM:-}" ]]; then
  HELM="$("$ROOT/scripts/helm-install.sh" | tail -1)" || fail "scripts/helm-install.sh could not build helm"
fi
[[ -x "$HELM" ]] || fail "helm '$HELM' is not executable"
echo "==> $("$HELM" version --short)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Runs a command; on failure prints its output and stops.
step() {
  local name="$1"; shift
  echo "==> $name"
  if ! "$@" >"$WORK/out" 2>"$WORK/err"; then
    cat "$WORK/out" "$WORK/err" >&2
    fail "$name"
  fi
}

# Prints "<kind> <namespace>/<name>" per object of a rendered stream; fails on a document that is no object or on an
# object named twice.
objects_of() {
  python3 - "$1" <<'PY'
import sys, yaml
seen = set()
for i, doc in enumerate(yaml.safe_load_all(open(sys.argv[1]))):
    if doc is None:
        continue
    meta = doc.get("metadata") or {}
    if not (doc.get("apiVersion") and doc.get("kind") and meta.get("name")):
        sys.exit(f"document {i} is not a Kubernetes object: {str(doc)[:200]}")
    key = f'{doc["kind"]} {meta.get("namespace", "")}/{meta["name"]}'
    if key in seen:
        sys.exit(f"{key} is rendered twice")
    seen.add(key)
for key in sorted(seen):
    print(key)
PY
}

# Each values setting: a name, then the helm arguments.
declare -a SETTINGS=("defaults|" "tcp.enabled=true|--set tcp.enabled=true")
for f in "$CHART"/ci/*.yaml; do
  [[ -f "$f" ]] && SETTINGS+=("${f#"$ROOT/"}|-f $f")
done

for setting in "${SETTINGS[@]}"; do
  name="${setting%%|*}"
  read -r -a args <<<"${setting#*|}"
  step "helm lint --strict ($name)" "$HELM" lint --strict "$CHART" --namespace "$NAMESPACE" "${args[@]}"
  step "helm template ($name)" "$HELM" template spire-k8s-operator "$CHART" --namespace "$NAMESPACE" "${args[@]}"
  cp "$WORK/out" "$WORK/rendered.yaml"
  objects_of "$WORK/rendered.yaml" >"$WORK/objects" || fail "helm template ($name) rendered something that is not a list of objects"
  echo "    $(wc -l <"$WORK/objects") objects"
  if [[ "$name" == defaults ]]; then cp "$WORK/objects" "$WORK/default-objects"; fi
done

step "kubectl kustomize deploy/" "$KUBECTL" kustomize "$ROOT/deploy"
cp "$WORK/out" "$WORK/kustomize.yaml"
objects_of "$WORK/kustomize.yaml" | grep -v '^Namespace ' >"$WORK/kustomize-objects" || true
if ! diff -u "$WORK/kustomize-objects" "$WORK/default-objects" >"$WORK/diff"; then
  cat "$WORK/diff" >&2
  fail "with default values the chart names other objects than kubectl kustomize deploy/ (without the Namespace)"
fi
echo "    the same $(wc -l <"$WORK/default-objects") objects as kubectl kustomize deploy/ (without the Namespace)"

# refused <name> <expected stderr fragment> <helm args...>
refused() {
  local name="$1" expected="$2"; shift 2
  echo "==> refused: $name"
  if "$HELM" template spire-k8s-operator "$CHART" --namespace "$NAMESPACE" "$@" >/dev/null 2>"$WORK/err"; then
    fail "helm template $* succeeded; expected a refusal"
  fi
  grep -qF -- "$expected" "$WORK/err" || { cat "$WORK/err" >&2; fail "$name: the error does not say '$expected'"; }
  echo "    $(grep -m1 -F -- "$expected" "$WORK/err")"
}
refused "a key the chart writes itself" "config.trust_domain: the chart writes trust_domain itself" \
  --set config.trust_domain=other.org
refused "an unknown node attestor" "value must be one of 'k8s_psat', 'k8s_sat'" --set nodeAttestor=psat
refused "a misspelt value" "additional properties 'trustdomain' not allowed" --set trustdomain=example.org

step "helm package" "$HELM" package "$CHART" --destination "$WORK/package"
package="$(ls "$WORK"/package/*.tgz)"
step "helm lint --strict $(basename "$package")" "$HELM" lint --strict "$package"
if tar -tzf "$package" | grep -q '/ci/'; then fail "the packaged chart contains ci/ (see .helmignore)"; fi

echo "OK: deploy/helm lints, renders and packages ($(basename "$package"))"
