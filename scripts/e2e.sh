#!/usr/bin/env bash
# The end-to-end suite in one command: the packaged operator jar, run as separate processes, against a real
# kube-apiserver + etcd and a real spire-server (and spire-agent), all on loopback.
#
#   scripts/e2e.sh                                  # build what is needed, run every e2e test
#   scripts/e2e.sh -Dtest=FaultsE2ETest             # extra arguments go to Maven
#   scripts/e2e.sh -De2e.spireOutageSeconds=60      # the specified 60 s spire-server outage (default 20 s)
#
# Steps: build (or reuse from $HOME/.cache/spire-operator) kube-apiserver, etcd, spire-server and spire-agent with
# the install scripts; build the operator jar; run `mvn -Pe2e -pl src verify`. Fails loudly, never skips: a server
# that cannot be built or started, a test run that ran nothing, or any skipped test is a failure.
# Logs: src/target/e2e/ (logs/ of the scripts, kube/ and spire/ server logs, operators/<TestClass>/<replica>.log).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
START=$SECONDS

die() { echo "e2e.sh: FAILED: $*" >&2; exit 1; }
say() { echo "e2e.sh: $*" >&2; }

for cmd in java go gcc openssl curl setsid flock ss; do
  command -v "$cmd" >/dev/null 2>&1 || die "required command '$cmd' is not on PATH"
done

say "real servers: kube-apiserver + etcd (built once, then cached)"
KUBE_BIN_DIR="$(scripts/kube-install.sh | tail -1)" || die "scripts/kube-install.sh could not build kube-apiserver/etcd"
[[ -x "$KUBE_BIN_DIR/kube-apiserver" && -x "$KUBE_BIN_DIR/etcd" ]] || die "no kube-apiserver/etcd in '$KUBE_BIN_DIR'"
say "real servers: spire-server + spire-agent (built once, then cached)"
SPIRE_BIN_DIR="$(scripts/spire-install.sh | tail -1)" || die "scripts/spire-install.sh could not build spire"
[[ -x "$SPIRE_BIN_DIR/spire-server" && -x "$SPIRE_BIN_DIR/spire-agent" ]] || die "no spire binaries in '$SPIRE_BIN_DIR'"
"$SPIRE_BIN_DIR/spire-server" --version >/dev/null 2>&1 || "$SPIRE_BIN_DIR/spire-server" -version >/dev/null 2>&1 \
  || die "$SPIRE_BIN_DIR/spire-server does not run"
export KUBE_BIN_DIR SPIRE_BIN_DIR

# One e2e run at a time on this machine: the run installs the operator jar into the shared local Maven repository,
# which the e2e module then resolves; two checkouts running at once would test each other's jar.
mkdir -p "$HOME/.cache/spire-operator"
exec 9>"$HOME/.cache/spire-operator/e2e-run.lock"
flock 9 || die "cannot lock $HOME/.cache/spire-operator/e2e-run.lock"

say "operator jar (and the parent POM the e2e module resolves it with)"
./mvnw -B -q install -DskipTests -pl .,api-stubs,operator || die "building the operator jar failed"
[[ -f operator/target/operator-0.1.0-SNAPSHOT-all.jar ]] || die "operator/target/operator-0.1.0-SNAPSHOT-all.jar missing"

say "end-to-end suite"
rm -rf src/target/surefire-reports
rc=0
./mvnw -B -Pe2e -pl src verify "$@" || rc=$?

reports=(src/target/surefire-reports/TEST-*.xml)
[[ -e "${reports[0]}" ]] || die "no test reports in src/target/surefire-reports: nothing ran (exit code $rc)"
tests=0 skipped=0
for r in "${reports[@]}"; do
  head="$(grep -m1 '<testsuite' "$r")"
  t="$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$head")"
  s="$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$head")"
  tests=$((tests + ${t:-0})); skipped=$((skipped + ${s:-0}))
done
(( rc == 0 )) || die "the suite failed (exit code $rc); logs under src/target/e2e/"
(( tests > 0 )) || die "no test ran"
(( skipped == 0 )) || die "$skipped test(s) skipped: the e2e suite must not skip"
say "passed: $tests tests in $((SECONDS - START)) s (logs under src/target/e2e/)"
