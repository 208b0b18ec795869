#!/usr/bin/env bash
# Builds spire-server and spire-agent of one SPIRE release from the Go module proxy into
#   $HOME/.cache/spire-operator/spire-<version>/bin
# and prints that directory on stdout. Idempotent: does nothing if both binaries exist.
#
# Usage: scripts/spire-install.sh [version]      (default v1.10.4; env SPIRE_VERSION also works)
#
# `go install github.com/spiffe/spire/cmd/...@version` is refused by the proxy (403 on the sub-path), so the
# binaries are built through a throw-away wrapper module that requires github.com/spiffe/spire <version>.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib/common.sh
SCRIPT_NAME="spire-install"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

VERSION="$(spire_version "${1:-}")"
BASE="$SPIRE_CACHE_ROOT/spire-$VERSION"
SRC="$BASE/src"
BIN="$BASE/bin"
BUILD_LOG="$BASE/build.log"

if [[ -x "$BIN/spire-server" && -x "$BIN/spire-agent" ]]; then
  log "spire $VERSION already installed in $BIN"
  printf '%s\n' "$BIN"
  exit 0
fi

require_cmd go gcc flock
mkdir -p "$SRC" "$BIN"

# Serialise concurrent installs (parallel test JVMs, CI steps); the second caller reuses the first one's result.
exec 9>"$BASE/.install.lock"
flock -w 1800 9 || die "timed out waiting for another spire-install of $VERSION (lock $BASE/.install.lock)"
if [[ -x "$BIN/spire-server" && -x "$BIN/spire-agent" ]]; then
  log "spire $VERSION was installed meanwhile in $BIN"
  printf '%s\n' "$BIN"
  exit 0
fi
: > "$BUILD_LOG"

# The spire module lists its dependencies with `go 1.2x` semantics; any newer local toolchain builds it.
# The checksum database is reached through the proxy (sum.golang.org itself need not be reachable).
export GOFLAGS="${GOFLAGS:-} -mod=mod"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
export CGO_ENABLED=1   # the sqlite3 datastore (mattn/go-sqlite3) needs cgo

# Dependencies of a release whose pinned version the proxy refuses, replaced by a served version with the same API
# (checked per release: the code that imports them is unchanged between the two SPIRE releases that pin them).
replaces=""
case "$VERSION" in
  v1.15.3)
    # ejbca-go-client-sdk v1.1.0 is refused (403); SPIRE v1.13.3 builds the same ejbca UpstreamAuthority plugin
    # (byte-identical source) against v1.0.2, which is served.
    replaces="replace github.com/Keyfactor/ejbca-go-client-sdk => github.com/Keyfactor/ejbca-go-client-sdk v1.0.2" ;;
esac

cat > "$SRC/go.mod" <<MOD
module spire-operator.local/spire-build

go 1.23.0

require github.com/spiffe/spire $VERSION

$replaces
MOD

# Keeps the two main packages in the module graph for `go mod tidy`; never compiled itself.
cat > "$SRC/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "github.com/spiffe/spire/cmd/spire-agent"
	_ "github.com/spiffe/spire/cmd/spire-server"
)
GO

fail() {
  log_tail "$BUILD_LOG" 60
  die "$1 (full log: $BUILD_LOG)"
}

start=$(date +%s)
log "building spire $VERSION in $SRC (log: $BUILD_LOG); a cold build takes minutes"

# The proxy's checksum-database endpoint does not know every module SPIRE pins (e.g. pseudo-versions of
# spire-plugin-sdk/spire-api-sdk), so the wrapper's go.sum is seeded from the go.sum shipped inside the spire
# module, whose own hash is verified against the checksum database by `go mod download`.
( cd "$SRC" && go mod download -json "github.com/spiffe/spire@$VERSION" ) >"$BASE/spire-module.json" 2>>"$BUILD_LOG" \
  || { cat "$BASE/spire-module.json" >>"$BUILD_LOG"
       fail "could not download github.com/spiffe/spire@$VERSION from the Go module proxy ($(go env GOPROXY)); is this release served?"; }
spire_dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' "$BASE/spire-module.json")"
[[ -n "$spire_dir" && -f "$spire_dir/go.sum" ]] || fail "downloaded github.com/spiffe/spire@$VERSION has no go.sum"
cp -f "$spire_dir/go.sum" "$SRC/go.sum"
chmod u+w "$SRC/go.sum"

( cd "$SRC" && go mod tidy ) >>"$BUILD_LOG" 2>&1 \
  || fail "could not resolve github.com/spiffe/spire $VERSION and its dependencies through the Go module proxy ($(go env GOPROXY))"

resolved=$(( $(date +%s) - start ))
for cmd in spire-server spire-agent; do
  log "go build $cmd"
  ( cd "$SRC" && go build -trimpath -ldflags "-s -w -X github.com/spiffe/spire/pkg/common/version.gittag=${VERSION#v}" -o "$BIN/$cmd.tmp" "github.com/spiffe/spire/cmd/$cmd" ) >>"$BUILD_LOG" 2>&1 \
    || { rm -f "$BIN/$cmd.tmp"; fail "go build of $cmd $VERSION failed"; }
  mv -f "$BIN/$cmd.tmp" "$BIN/$cmd"
done

"$BIN/spire-server" --version >>"$BUILD_LOG" 2>&1 || fail "built spire-server does not run"
elapsed=$(( $(date +%s) - start ))
log "built spire $VERSION in ${elapsed}s (module download + resolution ${resolved}s, compile $((elapsed - resolved))s; no symbol table or DWARF: -s -w): $("$BIN/spire-server" --version 2>&1 | head -1)"
printf '%s\n' "$BIN"
