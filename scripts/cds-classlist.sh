#!/usr/bin/env bash
# Records the classes this operator loads from its start through its first writes, the class list that the
# class-data sharing archives are dumped from: the image's (scripts/image.sh, /app/cds/operator.jsa) and the
# benchmark's (scripts/bench.sh). Runs the benchmark's smoke (real kube-apiserver and spire-server, 200 pods / 10
# nodes, this operator only, without an archive) with -XX:DumpLoadedClassList and writes
# operator/src/main/cds/operator.classlist from its last process (a restart: start, informers' first listing, first
# full pass, writes).
#
# Run it again when the operator's dependencies or what it does at start change. A class missing from the list still
# loads at start, from its jar, only slower; a name the jars no longer have is skipped by the dump with a warning
# (scripts/image.sh counts them).
#
# Usage: scripts/cds-classlist.sh   (BENCH_SKIP_BUILD=1 reuses the last build, as for scripts/bench.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { echo "cds-classlist.sh: $*" >&2; }
die() { echo "cds-classlist.sh: ERROR: $*" >&2; exit 1; }

OUT="operator/src/main/cds/operator.classlist"
mkdir -p bench/target "$(dirname "$OUT")"
LIST="$ROOT/bench/target/cds-loaded.classlist"
rm -f "$LIST"
log "the benchmark's smoke with -XX:DumpLoadedClassList (log: bench/target/cds-classlist.log)"
BENCH_CDS=0 scripts/bench.sh --smoke --smoke-out=bench/target/RESULTS-cds-classlist.md \
  --operator-jvm="-XX:DumpLoadedClassList=$LIST" > bench/target/cds-classlist.log 2>&1 \
  || { tail -20 bench/target/cds-classlist.log >&2; die "the smoke failed"; }
[[ -s "$LIST" ]] || die "the smoke's operator wrote no class list to $LIST"
classes="$(grep -vc '^@' "$LIST" || true)"
(( classes > 1000 )) || die "$LIST names only $classes classes: the operator did not get far"
{
  echo "# The classes this operator loads from its start through its first writes, for its class-data sharing archives"
  echo "# (scripts/image.sh, scripts/bench.sh). Written by scripts/cds-classlist.sh on $(date -u '+%Y-%m-%d') from"
  echo "# git $(git rev-parse --short HEAD 2>/dev/null || echo unknown); run it again when the dependencies or the start change."
  cat "$LIST"
} > "$OUT"
log "$OUT: $classes classes ($(grep -c '^@' "$OUT" || true) lambda lines)"
