#!/usr/bin/env bash
# Runs the benchmark harness (bench/, not tests) against real servers and writes bench/RESULTS.md.
#
#   scripts/bench.sh               raw baselines of every entry shape, this operator (upstream and pod_uid entry
#                                  shapes), spire-controller-manager and k8s-workload-registrar at 1,000/50 and
#                                  10,000/500 pods/nodes on sqlite, plus the in-process RPC counts (~14 min on 2 quiet
#                                  cores with --contenders=ours-upstream,ours-poduid,scm)
#   scripts/bench.sh --postgres    the same on spire-server's PostgreSQL datastore (scripts/postgres.sh: Debian's
#                                  postgresql, installed with apt-get if missing, a local process, data on disk;
#                                  --pg-data=/dev/shm/<dir> puts it on tmpfs)
#   scripts/bench.sh --spread      the same with the pods spread over 200 namespaces, Zipf-sized (--namespaces=N)
#   scripts/bench.sh --idle        idle passes only: converge, then watch the periodic passes (3,000/150 and
#                                  10,000/500; add --foreign=500000 --sizes=10000x500 --contenders=ours-poduid for
#                                  ours next to 500,000 foreign entries)
#   scripts/bench.sh --scale       the scale run: 30,000 pods / 1,000 nodes, 500,000 foreign entries, this operator
#                                  (pod_uid shape) and spire-controller-manager, ~12 min (--foreign=100000 shrinks it)
#   scripts/bench.sh --profile     this operator's 10,000-pod live phase under JFR (jcmd JFR.start), hot spots
#   scripts/bench.sh --smoke       200 pods / 10 nodes, this operator only; writes bench/target/RESULTS-smoke.md (CI)
#   scripts/bench.sh --inprocess   only the in-process RPC counts (mock API server + SPIRE test server)
#   scripts/bench.sh --all         one full run: every scenario above but the smoke and the profile, one after the
#                                  other on the same build (sqlite 1,000 and 10,000 pods with the in-process counts,
#                                  PostgreSQL on tmpfs, the 200-namespace spread, idle passes, the scale run), then a
#                                  "Full run" section naming the commit, each scenario's command and minutes, and the
#                                  total (45 min on 2 quiet cores, 86 min on a slow day; further options go to every scenario)
# Flags combine (e.g. --postgres --spread). Further options go to the harness (scripts/bench.sh --help lists them),
# e.g. --sizes=1000x50 --contenders=ours-poduid,scm --spire-version=v1.15.3 --memory-limit=1g (this operator runs with
# deploy/deployment.yaml's JAVA_TOOL_OPTIONS as if under that memory limit, -XX:MaxRAM; default 512m, the scale run 1g).
#
# Environment:
#   BENCH_SKIP_BUILD=1   reuse the last build of bench/ and operator/ (bench/target/classpath.txt must exist)
#   BENCH_JAVA_OPTS      options of the harness JVM (default -Xmx2g)
#   BENCH_CDS=0          run this operator without its class-data sharing archive (by default it runs with the one
#                        dumped here from operator/src/main/cds/operator.classlist, as the image's entrypoint does)
#
# Needs: the servers' binaries (scripts/kube-install.sh, scripts/spire-install.sh: built here when missing, minutes
# the first time), kubectl (spire-controller-manager's script applies its CRDs with it), jcmd (heap figures, JFR),
# go (only to build the peers, scripts/peers-install.sh), root or the postgresql package for --postgres.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { echo "bench.sh: $*" >&2; }
die() { echo "bench.sh: ERROR: $*" >&2; exit 1; }

SMOKE=0; INPROCESS=0; PROFILE=0; HELP=0; CONTENDERS_GIVEN=0; ALL=0
ARGS=()
for arg in "$@"; do
  case "$arg" in
    --all) ALL=1 ;;
    --smoke) SMOKE=1; ARGS+=("$arg") ;;
    --inprocess) INPROCESS=1; ARGS+=("$arg") ;;
    --profile) PROFILE=1; ARGS+=("$arg") ;;
    --postgres) ARGS+=(--datastore=postgres) ;;
    --spread) ARGS+=(--namespaces=200) ;;
    --contenders=*|--contenders) CONTENDERS_GIVEN=1; ARGS+=("$arg") ;;
    -h|--help) HELP=1; ARGS+=("$arg") ;;
    *) ARGS+=("$arg") ;;
  esac
done

command -v java >/dev/null || die "java is not on PATH"
mkdir -p bench/target

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "building operator (shaded jar, test-jar) and bench"
  ./mvnw -B -q -Pbench -pl bench -am package -DskipTests >&2 || die "build failed"
fi

if [[ "$ALL" == 1 ]]; then
  # Each scenario is this script again on the build just made; its own section is replaced as usual. What was asked
  # beyond --all (ARGS) goes to every scenario.
  SCENARIOS=(
    "--contenders=ours-upstream,ours-poduid,scm"
    "--postgres --pg-data=/dev/shm/spire-bench-pg --contenders=ours-upstream,ours-poduid,scm --sizes=10000x500"
    "--spread --contenders=ours-upstream,ours-poduid,scm --sizes=10000x500"
    "--idle --sizes=10000x500 --contenders=ours-poduid,scm"
    "--scale"
  )
  COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- operator api-stubs bench scripts 2>/dev/null || echo ', modified')"
  STARTED="$(date -u '+%Y-%m-%d %H:%M UTC')"
  T0=$(date +%s)
  ROWS=""
  FAILED=0
  for scenario in "${SCENARIOS[@]}"; do
    log "full run: scripts/bench.sh $scenario ${ARGS[*]}"
    t=$(date +%s)
    # shellcheck disable=SC2086 # a scenario is a list of flags
    if BENCH_SKIP_BUILD=1 "$ROOT/scripts/bench.sh" $scenario "${ARGS[@]}"; then status=ok; else status="failed (exit $?)"; FAILED=1; fi
    ROWS+="| \`scripts/bench.sh $scenario${ARGS[*]:+ ${ARGS[*]}}\` | $(date -u -d "@$t" '+%H:%M') | $(awk -v s=$(( $(date +%s) - t )) 'BEGIN{printf "%.1f", s/60}') min | $status |"$'\n'
  done
  TOTAL=$(awk -v s=$(( $(date +%s) - T0 )) 'BEGIN{printf "%.1f", s/60}')
  SECTION="$(mktemp)"
  {
    echo "<!-- BEGIN full-run -->"
    echo "## Full run"
    echo
    echo "\`scripts/bench.sh --all\` at git $COMMIT, started $STARTED, **$TOTAL min** in all; every section below whose"
    echo "first line names this commit and a start time inside this run comes from it."
    echo
    echo "| scenario | started (UTC) | took | result |"
    echo "|---|---|---|---|"
    printf '%s' "$ROWS"
    echo
    echo "<!-- END full-run -->"
  } > "$SECTION"
  RESULTS=bench/RESULTS.md
  awk -v section="$SECTION" '
    /^<!-- BEGIN full-run -->$/ { skip = 1; next }
    /^<!-- END full-run -->$/ { skip = 0; blank = 1; next }
    skip { next }
    blank && /^$/ { blank = 0; next }
    { blank = 0; print }
    /^<!-- END header -->$/ { print ""; while ((getline line < section) > 0) print line; close(section) }
  ' "$RESULTS" > "$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
  rm -f "$SECTION"
  log "full run: $TOTAL min; section \"Full run\" in $RESULTS"
  exit "$FAILED"
fi

[[ -f bench/target/classpath.txt ]] || die "bench/target/classpath.txt missing: run without BENCH_SKIP_BUILD"
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
JAVA_OPTS=(${BENCH_JAVA_OPTS:--Xmx2g} "-Dlogback.configurationFile=$ROOT/bench/src/main/resources/logback-bench.xml")

if [[ "$HELP" == 1 ]]; then
  exec java "${JAVA_OPTS[@]}" -cp "$CP" org.spireoperator.bench.Bench --help
fi

ARGS+=(--repo "$ROOT" --command "scripts/bench.sh $*")
VERSION="0.1.0-SNAPSHOT (git $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- operator api-stubs 2>/dev/null || echo ', modified'))"
ARGS+=(--operator-version "$VERSION")

# This operator starts as its image starts it: with a class-data sharing archive of its jar, dumped here from the class
# list scripts/image.sh dumps the image's archive from (the JVM checks the jar's path, size and time against it).
if [[ "${BENCH_CDS:-1}" != 0 && "$INPROCESS" != 1 && "$HELP" != 1 ]]; then
  JAR="$ROOT/operator/target/operator-0.1.0-SNAPSHOT-all.jar"
  JSA="$ROOT/operator/target/operator-all.jsa"
  CLASSLIST="$ROOT/operator/src/main/cds/operator.classlist"
  [[ -f "$JAR" ]] || die "$JAR is missing (run without BENCH_SKIP_BUILD)"
  if [[ ! -s "$JSA" || "$JAR" -nt "$JSA" || "$CLASSLIST" -nt "$JSA" ]]; then
    log "class-data sharing archive of ${JAR#"$ROOT/"} (java -Xshare:dump from ${CLASSLIST#"$ROOT/"})"
    rm -f "$JSA"
    java -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile="$CLASSLIST" -XX:SharedArchiveFile="$JSA" -cp "$JAR" \
      > bench/target/cds-dump.log 2>&1 || die "java -Xshare:dump failed (bench/target/cds-dump.log)"
  fi
  ARGS+=(--operator-cds "$JSA")
fi

if [[ "$INPROCESS" != 1 ]]; then
  command -v jcmd >/dev/null || die "jcmd is not on PATH (heap figures)"
  log "checking the real servers' binaries"
  scripts/kube-install.sh >/dev/null || die "scripts/kube-install.sh failed"
  scripts/spire-install.sh >/dev/null || die "scripts/spire-install.sh failed"
fi

# Peers: built (or found) by the peers helper's script, for every run that may start them.
if [[ "$SMOKE" == 1 && "$CONTENDERS_GIVEN" == 0 ]]; then
  ARGS+=(--contenders ours)
elif [[ "$INPROCESS" == 0 && "$PROFILE" == 0 ]]; then
  PEERS_OUT="bench/target/peers.txt"
  : > "$PEERS_OUT"
  if [[ -x scripts/peers-install.sh ]]; then
    log "building/finding the peers (scripts/peers-install.sh; long the first time)"
    if scripts/peers-install.sh all > "$PEERS_OUT" 2> bench/target/peers-install.log; then
      ARGS+=(--peers "$PEERS_OUT")
    else
      ARGS+=(--peers "$PEERS_OUT" --peers-note "scripts/peers-install.sh failed: $(tail -1 bench/target/peers-install.log)")
    fi
  else
    ARGS+=(--peers-note "scripts/peers-install.sh is not in this checkout (the peers branch is not merged yet)")
  fi
fi

exec java "${JAVA_OPTS[@]}" -cp "$CP" org.spireoperator.bench.Bench "${ARGS[@]}"
