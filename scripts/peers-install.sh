#!/usr/bin/env bash
# Builds the two tools users would otherwise pick, from the Go module proxy, into the cache outside the repo:
#   $HOME/.cache/spire-operator/peers/k8s-workload-registrar-<spire version>/bin/k8s-workload-registrar
#   $HOME/.cache/spire-operator/peers/spire-controller-manager-<version>/bin/spire-controller-manager
# Prints one line per peer on stdout: "<name> <version> <binary path>". Idempotent: a binary that exists is reused.
#
# Usage: scripts/peers-install.sh [all|k8s-workload-registrar|spire-controller-manager]   (default all)
# Env:   PEER_REGISTRAR_SPIRE_VERSION (default v1.5.6), PEER_SCM_VERSION (default v0.6.4),
#        PEERS_CACHE_ROOT (default $HOME/.cache/spire-operator/peers)
#
# `go install <module>/<sub-path>@<version>` is refused by the proxy (403 on the sub-path lookup), so each binary is
# built through a throw-away wrapper module that requires the released module and builds its main package.
set -euo pipefail
# shellcheck disable=SC2034 # read by _common.sh
SCRIPT_NAME="peers-install"
# shellcheck source-path=SCRIPTDIR source=peers/_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/peers/_common.sh"

WHICH="${1:-all}"
case "$WHICH" in
  all|k8s-workload-registrar|spire-controller-manager) ;;
  *) die "usage: $0 [all|k8s-workload-registrar|spire-controller-manager]" ;;
esac

# The released modules declare old `go` lines (1.19 for SPIRE v1.5.6); the local toolchain builds them as they are.
export GOFLAGS="${GOFLAGS:-} -mod=mod"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

# build_peer <name> <base dir> <module> <version> <main package> <binary name> <version check arg> [ldflags]
build_peer() {
  local name="$1" base="$2" module="$3" version="$4" pkg="$5" binname="$6" check="$7" ldflags="${8:-}"
  local src="$base/src" bin="$base/bin" buildlog="$base/build.log"
  local target="$bin/$binname"

  if [[ -x "$target" ]]; then
    log "$name $version already built: $target"
    printf '%s %s %s\n' "$name" "$version" "$target"
    return 0
  fi
  require_cmd go flock
  mkdir -p "$src" "$bin"
  exec 9>"$base/.install.lock"
  flock -w 1800 9 || die "timed out waiting for another build of $name $version (lock $base/.install.lock)"
  if [[ -x "$target" ]]; then
    log "$name $version was built meanwhile: $target"
    printf '%s %s %s\n' "$name" "$version" "$target"
    exec 9>&-
    return 0
  fi
  : > "$buildlog"

  fail() {
    log_tail "$buildlog" 60
    die "$1 (full log: $buildlog)"
  }

  cat > "$src/go.mod" <<MOD
module spire-operator.local/peer-build

go 1.23.0

require $module $version
MOD
  # Keeps the main package in the module graph for `go mod tidy`; never compiled itself.
  cat > "$src/tools.go" <<GO
//go:build tools

package tools

import _ "$pkg"
GO

  local start
  start=$(date +%s)
  log "building $name $version ($module, package $pkg) in $src; log: $buildlog"

  # Seed the wrapper's go.sum from the go.sum shipped inside the released module (whose own hash `go mod download`
  # checks against the checksum database): the proxy's checksum endpoint does not know every pseudo-version pinned.
  ( cd "$src" && go mod download -json "$module@$version" ) >"$base/module.json" 2>>"$buildlog" \
    || { cat "$base/module.json" >>"$buildlog"
         fail "the Go module proxy ($(go env GOPROXY)) did not serve $module@$version"; }
  local moddir
  moddir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' "$base/module.json")"
  [[ -n "$moddir" && -f "$moddir/go.sum" ]] || fail "downloaded $module@$version has no go.sum"
  cp -f "$moddir/go.sum" "$src/go.sum"
  chmod u+w "$src/go.sum"

  ( cd "$src" && go mod tidy ) >>"$buildlog" 2>&1 \
    || fail "could not resolve the dependencies of $module@$version through the Go module proxy (see the 403/404 lines)"
  local resolved=$(( $(date +%s) - start ))

  log "go build $pkg"
  ( cd "$src" && go build -p 2 -trimpath ${ldflags:+-ldflags "$ldflags"} -o "$target.tmp" "$pkg" ) >>"$buildlog" 2>&1 \
    || { rm -f "$target.tmp"; fail "go build of $pkg ($module@$version) failed"; }
  mv -f "$target.tmp" "$target"

  # A flag the binary understands and that exits at once (prints usage / version) proves it starts.
  "$target" "$check" >>"$buildlog" 2>&1 || [[ $? -le 2 ]] || fail "built $target does not start"
  local elapsed=$(( $(date +%s) - start ))
  log "built $name $version in ${elapsed}s (module download + resolution ${resolved}s, compile $(( elapsed - resolved ))s): $target"
  printf '%s %s %s\n' "$name" "$version" "$target"
  exec 9>&-
}

if [[ "$WHICH" == all || "$WHICH" == k8s-workload-registrar ]]; then
  # The registrar is a package of the main SPIRE module up to v1.5.x (no nested go.mod); removed in v1.6.0.
  build_peer k8s-workload-registrar "$(registrar_base)" github.com/spiffe/spire "$PEER_REGISTRAR_SPIRE_VERSION" \
    github.com/spiffe/spire/support/k8s/k8s-workload-registrar k8s-workload-registrar -version \
    "-X github.com/spiffe/spire/pkg/common/version.gittag=${PEER_REGISTRAR_SPIRE_VERSION#v}"
fi

if [[ "$WHICH" == all || "$WHICH" == spire-controller-manager ]]; then
  # The main package is cmd/ at the root of the module.
  build_peer spire-controller-manager "$(scm_base)" github.com/spiffe/spire-controller-manager "$PEER_SCM_VERSION" \
    github.com/spiffe/spire-controller-manager/cmd spire-controller-manager -h
fi
