#!/usr/bin/env bash
# Builds helm from the Go module proxy into
#   $HOME/.cache/spire-operator/helm-<version>/bin/helm
# and prints the path of that binary on stdout (last line). Idempotent: reuses a binary that exists and answers
# `helm version`; concurrent calls are serialised with flock.
#
# Usage: scripts/helm-install.sh [version]      (default v3.22.0; env HELM_VERSION also works)
# Env:   SPIRE_CACHE_ROOT  cache root (default $HOME/.cache/spire-operator)
#
# How: `go install helm.sh/helm/v3/cmd/helm@<version>` (the proxy serves it; helm's go.mod has no replace lines, so no
# wrapper module is needed), with the ldflags helm's own Makefile sets: the version, and the Kubernetes version that
# `helm template` and `helm lint` assume without a cluster (.Capabilities.KubeVersion), taken from the client-go
# release helm's go.mod requires (v0.37.x -> 1.37), not the stale 1.20 compiled in as the default.
# A cold build takes ~5 minutes on 2 cores (module downloads included); the binary is ~60 MB.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib/common.sh
SCRIPT_NAME="helm-install"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

VERSION="${1:-${HELM_VERSION:-v3.22.0}}"
[[ "$VERSION" == v* ]] || VERSION="v$VERSION"
[[ "$VERSION" =~ ^v3\.[0-9]+\.[0-9]+$ ]] || die "helm version must look like v3.MINOR.PATCH (helm.sh/helm/v3), got '$VERSION'"
BASE="$SPIRE_CACHE_ROOT/helm-$VERSION"
BIN="$BASE/bin"
HELM="$BIN/helm"
BUILD_LOG="$BASE/build.log"

helm_ok() { [[ -x "$HELM" && "$("$HELM" version --short 2>/dev/null)" == "$VERSION"* ]]; }

if helm_ok; then
  log "helm $VERSION already installed: $HELM"
  printf '%s\n' "$HELM"
  exit 0
fi

require_cmd go flock
mkdir -p "$BIN"
exec 9>"$BASE/.install.lock"
flock -w 1800 9 || die "timed out waiting for another helm-install of $VERSION (lock $BASE/.install.lock)"
if helm_ok; then
  log "helm $VERSION was installed meanwhile: $HELM"
  printf '%s\n' "$HELM"
  exit 0
fi
: >"$BUILD_LOG"

# Never let go fetch another toolchain; the module proxy serves modules only.
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

start=$SECONDS
log "resolving helm.sh/helm/v3@$VERSION through $(go env GOPROXY); log: $BUILD_LOG"
module_json="$(cd "$BASE" && go mod download -json "helm.sh/helm/v3@$VERSION" 2>>"$BUILD_LOG")" \
  || { log_tail "$BUILD_LOG"; die "the Go module proxy did not serve helm.sh/helm/v3@$VERSION"; }
gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' <<<"$module_json")"
[[ -f "$gomod" ]] || die "no go.mod of helm.sh/helm/v3@$VERSION in: $module_json"
need="$(awk '$1=="go"{print $2; exit}' "$gomod")"
have="$(go env GOVERSION)"; have="${have#go}"
[[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | tail -1)" == "$have" ]] \
  || die "helm $VERSION needs go $need; the local toolchain is go$have"
client_go="$(awk '$1=="k8s.io/client-go"{print $2; exit}' "$gomod")"
[[ "$client_go" =~ ^v0\.([0-9]+)\. ]] || die "cannot read the k8s.io/client-go version from $gomod"
k8s_minor="${BASH_REMATCH[1]}"

ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ldflags+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$k8s_minor"
done
log "go install helm.sh/helm/v3/cmd/helm@$VERSION (client-go $client_go: assumes Kubernetes 1.$k8s_minor offline)"
rm -f "$HELM"
GOBIN="$BIN" go install -p 2 -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$VERSION" >>"$BUILD_LOG" 2>&1 \
  || { log_tail "$BUILD_LOG"; die "go install helm.sh/helm/v3/cmd/helm@$VERSION failed (full log: $BUILD_LOG)"; }
helm_ok || die "$HELM does not report version $VERSION: $("$HELM" version --short 2>&1 || true)"
log "built helm $VERSION in $((SECONDS - start))s: $HELM ($("$HELM" version --short))"
printf '%s\n' "$HELM"
