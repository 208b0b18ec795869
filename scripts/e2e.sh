#!/usr/bin/env bash
# The end-to-end suite in one command: the packaged operator jar, run as separate processes, against a real
# kube-apiserver + etcd and a real spire-server (and spire-agents), all on loopback, once per SPIRE release:
#
#   v1.15.3 (newest served; k8s_psat)   every test except those tagged k8s_sat
#   v1.10.4 (newest with k8s_sat)       the contract tests (tag contract) and the k8s_sat tests (tag k8s_sat)
#
#   scripts/e2e.sh                                        # build what is needed, run both
#   scripts/e2e.sh -Dtest=FaultsE2ETest                   # extra arguments go to Maven (every run)
#   E2E_SPIRE_VERSIONS=v1.10.4 scripts/e2e.sh             # only the runs of these releases (space-separated)
#   scripts/e2e.sh -De2e.spireOutageSeconds=60            # the specified 60 s spire-server outage (default 20 s)
#
# Which tests run on a release follows from it: a release without k8s_sat (1.12 and later) runs everything but the
# k8s_sat tests; a release with it runs the contract and k8s_sat tests (JUnit tags, Maven's -Dgroups).
# Steps: build (or reuse from $HOME/.cache/spire-operator) kube-apiserver, etcd and each release's spire-server and
# spire-agent with the install scripts; build the operator jar; per release `mvn -Pe2e -pl src verify` with
# -De2e.spireVersion. Fails loudly, never skips: a server that cannot be built or started, a run that ran nothing,
# or any skipped test is a failure.
# Logs: src/target/e2e/ for the newest release, src/target/e2e-<version>/ for the others (logs/ of the scripts,
# kube/ and spire/ server logs, operators/<TestClass>/<replica>.log). Reports: src/target/surefire-reports/,
# each file suffixed with its release (TEST-<class>-spire-<version>.xml).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
START=$SECONDS
# shellcheck disable=SC2034 # read by lib/common.sh
SCRIPT_NAME="e2e"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$ROOT/scripts/lib/common.sh"

die() { echo "e2e.sh: FAILED: $*" >&2; exit 1; }
say() { echo "e2e.sh: $*" >&2; }

for cmd in java go gcc openssl curl setsid flock ss; do
  command -v "$cmd" >/dev/null 2>&1 || die "required command '$cmd' is not on PATH"
done

read -r -a VERSIONS <<<"${E2E_SPIRE_VERSIONS:-$SPIRE_NEWEST_VERSION $SPIRE_DEFAULT_VERSION}"
(( ${#VERSIONS[@]} > 0 )) || die "E2E_SPIRE_VERSIONS names no release"
for i in "${!VERSIONS[@]}"; do
  VERSIONS[i]="$(spire_version "${VERSIONS[i]}")"
  [[ "${VERSIONS[i]}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "'${VERSIONS[i]}' in E2E_SPIRE_VERSIONS is not a release (v1.2.3)"
done

say "real servers: kube-apiserver + etcd (built once, then cached)"
KUBE_BIN_DIR="$(scripts/kube-install.sh | tail -1)" || die "scripts/kube-install.sh could not build kube-apiserver/etcd"
[[ -x "$KUBE_BIN_DIR/kube-apiserver" && -x "$KUBE_BIN_DIR/etcd" ]] || die "no kube-apiserver/etcd in '$KUBE_BIN_DIR'"
export KUBE_BIN_DIR
# The suite picks the binaries of each run by version (SPIRE_VERSION); a directory from the caller would override it.
unset SPIRE_BIN_DIR SPIRE_VERSION
for v in "${VERSIONS[@]}"; do
  say "real servers: spire-server + spire-agent $v (built once, then cached)"
  t=$SECONDS
  bin="$(scripts/spire-install.sh "$v" | tail -1)" || die "scripts/spire-install.sh $v could not build spire"
  [[ -x "$bin/spire-server" && -x "$bin/spire-agent" ]] || die "no spire binaries in '$bin'"
  [[ "v$(spire_binary_version "$bin/spire-server")" == "$v" ]] || die "$bin/spire-server does not run as $v"
  say "spire $v ready in $((SECONDS - t)) s"
done

# One e2e run at a time on this machine: the run installs the operator jar into the shared local Maven repository,
# which the e2e module then resolves; two checkouts running at once would test each other's jar.
mkdir -p "$HOME/.cache/spire-operator"
exec 9>"$HOME/.cache/spire-operator/e2e-run.lock"
flock 9 || die "cannot lock $HOME/.cache/spire-operator/e2e-run.lock"

say "operator jar (and the parent POM the e2e module resolves it with)"
./mvnw -B -q install -DskipTests -pl .,api-stubs,operator || die "building the operator jar failed"
[[ -f operator/target/operator-0.1.0-SNAPSHOT-all.jar ]] || die "operator/target/operator-0.1.0-SNAPSHOT-all.jar missing"

# Counts test cases in the reports of one run (a class with @Nested classes reports tests="0" on its suite element).
count_reports() {  # <suffix> -> "tests skipped"
  local r tests=0 skipped=0 n
  for r in src/target/surefire-reports/TEST-*-"$1".xml; do
    [[ -e "$r" ]] || continue
    n="$({ grep -oE '<testcase[ >]' "$r" || true; } | wc -l)"; tests=$((tests + n))
    n="$({ grep -oE '<skipped[ />]' "$r" || true; } | wc -l)"; skipped=$((skipped + n))
  done
  echo "$tests $skipped"
}

rm -rf src/target/surefire-reports
failed=() summary=() total=0
for v in "${VERSIONS[@]}"; do
  if spire_has_k8s_sat "$v"; then groups='contract | k8s_sat'; else groups='!k8s_sat'; fi
  workdir="$ROOT/src/target/e2e"
  [[ "$v" == "${VERSIONS[0]}" ]] || workdir="$ROOT/src/target/e2e-$v"
  say "end-to-end suite on spire $v (tests: $groups; work dir ${workdir#"$ROOT"/})"
  t=$SECONDS rc=0
  ./mvnw -B -Pe2e -pl src verify "-De2e.spireVersion=$v" "-Dgroups=$groups" "-De2e.workdir=$workdir" \
    "-Dsurefire.reportNameSuffix=spire-$v" -De2e.failIfNoSpecifiedTests=false "$@" || rc=$?
  read -r tests skipped <<<"$(count_reports "spire-$v")"
  total=$((total + tests))
  summary+=("spire $v: $tests tests, $skipped skipped, exit code $rc, $((SECONDS - t)) s")
  if (( rc != 0 )); then failed+=("spire $v: the suite failed (exit code $rc); logs under ${workdir#"$ROOT"/}/")
  elif (( skipped > 0 )); then failed+=("spire $v: $skipped test(s) skipped: the e2e suite must not skip")
  elif (( tests == 0 && $# == 0 )); then failed+=("spire $v: no test ran")
  fi
done
for line in "${summary[@]}"; do say "$line"; done
(( ${#failed[@]} == 0 )) || die "$(printf '%s; ' "${failed[@]}")"
(( total > 0 )) || die "no test ran"
say "passed: $total tests in $((SECONDS - START)) s"
