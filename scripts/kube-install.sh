#!/usr/bin/env bash
# Builds a real kube-apiserver and etcd from the Go module proxy into a cache outside the repo.
#
#   scripts/kube-install.sh            # build (or reuse) and print the bin dir on the last line of stdout
#
# Environment:
#   KUBE_VERSION   k8s.io/kubernetes release to build (default v1.34.4)
#   ETCD_VERSION   go.etcd.io/etcd/server/v3 release to build (default v3.6.16)
#   SPIRE_OPERATOR_CACHE  cache root (default $HOME/.cache/spire-operator)
#   KUBE_BUILD_KUBECTL=1  also build kubectl of the same release (not needed when kubectl >= 1.24 is on PATH)
#
# Layout: $SPIRE_OPERATOR_CACHE/kube-<KUBE_VERSION>/{bin,src,etcd-src,build.log}
# Idempotent: binaries that already exist and answer --version are not rebuilt.
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CACHE_ROOT="${SPIRE_OPERATOR_CACHE:-$HOME/.cache/spire-operator}"
KUBE_HOME="$CACHE_ROOT/kube-$KUBE_VERSION"
BIN_DIR="$KUBE_HOME/bin"
LOG="$KUBE_HOME/build.log"

die() { echo "kube-install: ERROR: $*" >&2; exit 1; }
log() { echo "kube-install: $*" >&2; }

command -v go >/dev/null || die "go is not on PATH"
[[ "$KUBE_VERSION" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "KUBE_VERSION must look like v1.MINOR.PATCH, got '$KUBE_VERSION'"
STAGING_VERSION="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
KUBE_MINOR="${BASH_REMATCH[1]}"

# Never let go fetch another toolchain; the module proxy serves modules only.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:--buildvcs=false} -p=${KUBE_BUILD_PARALLELISM:-2}"

mkdir -p "$BIN_DIR"
: >>"$LOG"

# go.mod 'go' line of a module must not exceed the local toolchain.
check_go_line() {
  local modfile="$1" need have
  need="$(awk '$1=="go"{print $2; exit}' "$modfile")"
  have="$(go env GOVERSION)"; have="${have#go}"
  [[ -n "$need" ]] || return 0
  if [[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | tail -1)" != "$have" ]]; then
    die "$modfile needs go $need but the local toolchain is go$have"
  fi
}

# Downloads a module's go.mod through the proxy and prints its local path.
module_gomod() {
  local spec="$1" json
  json="$(go mod download -json "$spec" 2>>"$LOG")" || die "module proxy refused $spec (see $LOG)"
  sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p' <<<"$json"
}

binary_ok() { [[ -x "$1" ]] && "$1" --version >/dev/null 2>&1; }

build_kube() {
  local name="$1" pkg="$2" out="$BIN_DIR/$1"
  if binary_ok "$out"; then log "$name present: $out"; return; fi
  local src="$KUBE_HOME/src" kgomod
  kgomod="$(module_gomod "k8s.io/kubernetes@$KUBE_VERSION")"
  check_go_line "$kgomod"
  mkdir -p "$src"
  # Every staging module k8s.io/kubernetes replaces with ./staging/src/... gets its published release.
  local staging
  staging="$(awk '$2=="=>" && $3 ~ /^\.\/staging\/src\// {print $1}' "$kgomod" | sort -u)"
  [[ -n "$staging" ]] || die "found no staging replaces in $kgomod"
  {
    echo "module spire-operator.local/kube-build"
    echo
    echo "go $(awk '$1=="go"{print $2; exit}' "$kgomod")"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    echo "replace ("
    local m
    for m in $staging; do echo "	$m => $m $STAGING_VERSION"; done
    echo ")"
  } >"$src/go.mod"
  {
    echo "//go:build tools"
    echo
    echo "// Package tools pins the commands built from this wrapper module."
    echo "package tools"
    echo
    echo "import ("
    echo "	_ \"k8s.io/kubernetes/cmd/kube-apiserver\""
    [[ "${KUBE_BUILD_KUBECTL:-0}" == 1 ]] && echo "	_ \"k8s.io/kubernetes/cmd/kubectl\""
    echo ")"
  } >"$src/tools.go"
  log "resolving k8s.io/kubernetes $KUBE_VERSION with $(wc -w <<<"$staging") staging modules at $STAGING_VERSION"
  (cd "$src" && go mod tidy >>"$LOG" 2>&1) || die "go mod tidy failed in $src (see $LOG)"
  local date ldflags
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  ldflags="-s -w"
  local p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$KUBE_MINOR"
    ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  log "building $name (this takes long on a cold cache; log: $LOG)"
  local start=$SECONDS
  (cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$out.tmp" "$pkg" >>"$LOG" 2>&1) \
    || die "go build $pkg failed (see $LOG)"
  mv "$out.tmp" "$out"
  log "built $name in $((SECONDS - start))s"
}

build_etcd() {
  local out="$BIN_DIR/etcd"
  if binary_ok "$out"; then log "etcd present: $out"; return; fi
  local src="$KUBE_HOME/etcd-src" egomod
  egomod="$(module_gomod "go.etcd.io/etcd/server/v3@$ETCD_VERSION")"
  check_go_line "$egomod"
  mkdir -p "$src"
  # The etcd server module's root package is the etcd main.
  cat >"$src/go.mod" <<EOF
module spire-operator.local/etcd-build

go $(awk '$1=="go"{print $2; exit}' "$egomod")

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
EOF
  cat >"$src/tools.go" <<'EOF'
//go:build tools

// Package tools pins the etcd server command built from this wrapper module.
package tools

import _ "go.etcd.io/etcd/server/v3"
EOF
  (cd "$src" && go mod tidy >>"$LOG" 2>&1) || die "go mod tidy failed in $src (see $LOG)"
  log "building etcd $ETCD_VERSION"
  local start=$SECONDS
  (cd "$src" && go build -trimpath -ldflags "-s -w" -o "$out.tmp" go.etcd.io/etcd/server/v3 >>"$LOG" 2>&1) \
    || die "go build etcd failed (see $LOG)"
  mv "$out.tmp" "$out"
  log "built etcd in $((SECONDS - start))s"
}

build_etcd
build_kube kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
if [[ "${KUBE_BUILD_KUBECTL:-0}" == 1 ]]; then
  build_kube kubectl k8s.io/kubernetes/cmd/kubectl
fi

binary_ok "$BIN_DIR/etcd" || die "$BIN_DIR/etcd does not run"
binary_ok "$BIN_DIR/kube-apiserver" || die "$BIN_DIR/kube-apiserver does not run"
log "etcd: $("$BIN_DIR/etcd" --version | head -1)"
log "kube-apiserver: $("$BIN_DIR/kube-apiserver" --version)"
echo "$BIN_DIR"
