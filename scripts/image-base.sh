#!/usr/bin/env bash
# Builds the base root filesystem of the operator's container image, without a registry or a Docker daemon, into
#   <outdir>/image-base-<key>/rootfs          (outdir: default $HOME/.cache/spire-operator)
# and prints that path on stdout (last line). Reused when present: <key> hashes the JDK version, the JRE's module
# list, the Debian package versions, the architecture and this script.
#
# Usage: scripts/image-base.sh [outdir]
#   env OPERATOR_JAR  shaded operator jar that jdeps reads (default operator/target/operator-0.1.0-SNAPSHOT-all.jar,
#                     built with ./mvnw when missing or older than the sources)
#   env JAVA_HOME     JDK 17 with jmods/ whose jlink and jdeps are used (default: the JDK of jlink on PATH)
#
# The root filesystem (scripts/image.sh hands it to Jib as an extra directory on a `scratch` base):
#   /opt/java                  jlink'd runtime of the build JDK (--strip-debug --no-header-files --no-man-pages
#                              --compress=2): the modules jdeps finds in the shaded jar plus the ones only reached
#                              through services or reflection (EXTRA_MODULES below)
#   /lib/<triplet>, /lib64, /usr/lib/<triplet>
#                              the lib directories and ld-linux of the Debian packages libc6, libstdc++6, libgcc-s1,
#                              zlib1g (apt-get download, dpkg-deb -x; `apt-get update` only when a download fails);
#                              glibc's gconv modules are left out (Java does not use iconv); symlinks are replaced by
#                              files, as Jib would copy them anyway
#   /usr/share/doc/<pkg>/copyright   Debian copyright files of those packages
#   /etc/passwd, /etc/group    root (0) and nonroot (65532); /etc/nsswitch.conf (files, then dns)
#   /tmp                       empty, mode 1777
# Checks before it is cached: the runtime runs, every native library it needs resolves inside the root filesystem
# (chroot, as root; the AWT/font/sound libraries of java.desktop are exempt), and the operator jar starts on it and
# serves /healthz and /metrics.
#
# Needs: a JDK 17 with jmods (jlink, jdeps, jar), apt-get and dpkg-deb (Debian), flock; root for the chroot checks
# and for `apt-get update`.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib/common.sh
SCRIPT_NAME="image-base"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/image.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/image.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$SPIRE_CACHE_ROOT}"
JAR="${OPERATOR_JAR:-$ROOT/operator/target/operator-0.1.0-SNAPSHOT-all.jar}"
PACKAGES=(libc6 libstdc++6 libgcc-s1 zlib1g)
# Modules jdeps cannot see: providers found through ServiceLoader, or classes reached by reflection.
EXTRA_MODULES=(
  jdk.crypto.ec     # EC keys and ECDHE for TLS (SPIRE SVIDs, API server certificates)
  jdk.random        # RandomGenerator.getDefault() (L32X64MixRandom), used by SpireClient's backoff jitter
  jdk.naming.dns    # JNDI DNS provider that grpc-java's DNS resolver looks up
  java.naming
  jdk.unsupported   # sun.misc.Unsafe for netty and protobuf
  jdk.jfr
  jdk.management    # com.sun.management MXBeans read by Micrometer's JVM metrics
)
umask 022

require_cmd apt-get apt-cache dpkg dpkg-deb dpkg-query sha256sum flock find
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/jlink" ]]; then
  JDK="$JAVA_HOME"
else
  require_cmd jlink
  JDK="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")"
fi
for tool in java jlink jdeps jar; do
  [[ -x "$JDK/bin/$tool" ]] || die "$JDK/bin/$tool missing: set JAVA_HOME to a full JDK 17"
done
[[ -f "$JDK/jmods/java.base.jmod" ]] || die "$JDK has no jmods/ (on Debian: apt-get install openjdk-17-jdk-headless)"
JDK_VERSION="$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.runtime\.version = //p')"
[[ "$JDK_VERSION" == 17* ]] || die "$JDK is Java '$JDK_VERSION'; the image's runtime is built from a JDK 17"
ARCH="$(dpkg --print-architecture)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/image-base.XXXXXX")"
chmod 0755 "$TMP"  # apt-get download hands the download to the _apt user
STAGE=""
cleanup() {
  chroot_release
  rm -rf "$TMP"
  [[ -z "$STAGE" ]] || rm -rf "$STAGE"
}
trap cleanup EXIT

# --- the operator jar, and the modules it needs -------------------------------------------------------------------
if [[ -z "${OPERATOR_JAR:-}" ]]; then
  stale=""
  if [[ -f "$JAR" ]]; then stale="$(find "$ROOT/pom.xml" "$ROOT/api-stubs/pom.xml" "$ROOT/api-stubs/src" \
    "$ROOT/operator/pom.xml" "$ROOT/operator/src/main" -type f -newer "$JAR" -print -quit)"; fi
  if [[ ! -f "$JAR" || -n "$stale" ]]; then
    if [[ -n "$stale" ]]; then why="${stale#"$ROOT/"} is newer"; else why="missing"; fi
    log "building the operator jar ($why)"
    (cd "$ROOT" && ./mvnw -B -q -pl operator -am package -DskipTests) >&2 || die "building the operator jar failed"
  fi
fi
[[ -f "$JAR" ]] || die "no operator jar at $JAR"

# jdeps refuses the shaded jar as it is: the module-info.class files of shaded dependencies (in META-INF/versions/)
# make it a module whose requirements are not there. Their classes are read unpacked, without module descriptors and
# without versions newer than 17.
log "jdeps over $(basename "$JAR")"
mkdir -p "$TMP/classes"
(cd "$TMP/classes" && "$JDK/bin/jar" xf "$JAR")
find "$TMP/classes" -name module-info.class -delete
for v in "$TMP"/classes/META-INF/versions/*; do
  [[ -d "$v" ]] || continue
  n="$(basename "$v")"
  if [[ "$n" =~ ^[0-9]+$ ]] && (( n > 17 )); then rm -rf "$v"; fi
done
found="$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$TMP/classes" 2>"$TMP/jdeps.err")" \
  || { cat "$TMP/jdeps.err" >&2; die "jdeps failed"; }
found="$(tail -1 <<<"$found")"
[[ "$found" == java.base* ]] || { cat "$TMP/jdeps.err" >&2; die "unexpected jdeps output: $found"; }
rm -rf "$TMP/classes"
MODULES="$(printf '%s\n' "${found//,/$'\n'}" "${EXTRA_MODULES[@]}" | sort -u | paste -sd, -)"
log "modules: $MODULES"

# --- cache key ----------------------------------------------------------------------------------------------------
candidate_version() {
  local v
  v="$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')"
  [[ -n "$v" && "$v" != "(none)" ]] || v="$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true)"
  printf '%s' "${v:-unknown}"
}
SCRIPT_SUM="$(sha256sum <"${BASH_SOURCE[0]}" | cut -c1-16)"
# cache_key <pkg=version>...
cache_key() {
  printf 'jdk=%s\narch=%s\nmodules=%s\nscript=%s\n' "$JDK_VERSION" "$ARCH" "$MODULES" "$SCRIPT_SUM"
  printf '%s\n' "$@"
}
key_of() { cache_key "$@" | sha256sum | cut -c1-16; }
cached() { [[ -f "$OUT/image-base-$1/complete" && -x "$OUT/image-base-$1/rootfs/opt/java/bin/java" ]]; }
reuse() {
  log "reusing $OUT/image-base-$1 (jdk $JDK_VERSION, ${*:2})"
  printf '%s\n' "$OUT/image-base-$1/rootfs"
  exit 0
}

versions=()
for p in "${PACKAGES[@]}"; do versions+=("$p=$(candidate_version "$p")"); done
KEY="$(key_of "${versions[@]}")"
cached "$KEY" && reuse "$KEY" "${versions[@]}"

mkdir -p "$OUT"
exec 9>"$OUT/.image-base.lock"
flock -w 1800 9 || die "timed out waiting for another image-base build (lock $OUT/.image-base.lock)"
cached "$KEY" && reuse "$KEY" "${versions[@]}"

# --- Debian packages ----------------------------------------------------------------------------------------------
DEBS="$TMP/debs"
mkdir -p "$DEBS"
# apt's download sandbox user must be able to write there.
if [[ "$(id -u)" == 0 ]] && id _apt >/dev/null 2>&1; then chown _apt "$DEBS"; fi
updated=0
fetch_debs() {
  if (cd "$DEBS" && apt-get -q download "$@") >&2 2>"$TMP/apt.err"; then return 0; fi
  if (( updated == 0 )); then
    log "apt-get download $* failed ($(tail -1 "$TMP/apt.err")); running apt-get update"
    [[ "$(id -u)" == 0 ]] || die "apt-get update needs root; run it yourself or run this script as root"
    apt-get -q update >&2 || die "apt-get update failed"
    updated=1
    (cd "$DEBS" && apt-get -q download "$@") >&2 && return 0
  fi
  cat "$TMP/apt.err" >&2
  die "apt-get download $* failed"
}
deb_of() {
  local f
  for f in "$DEBS/${1}_"*.deb; do [[ -f "$f" ]] && { printf '%s' "$f"; return 0; }; done
  die "no .deb of $1 in $DEBS"
}

log "apt-get download ${PACKAGES[*]}"
fetch_debs "${PACKAGES[@]}"
versions=()
for p in "${PACKAGES[@]}"; do versions+=("$p=$(dpkg-deb -f "$(deb_of "$p")" Version)"); done
KEY2="$(key_of "${versions[@]}")"
if [[ "$KEY2" != "$KEY" ]]; then
  log "the archive serves other versions than apt-cache announced: ${versions[*]}"
  KEY="$KEY2"
  cached "$KEY" && reuse "$KEY" "${versions[@]}"
fi

STAGE="$OUT/image-base-$KEY.tmp.$$"
FS="$STAGE/rootfs"
rm -rf "$STAGE"
mkdir -p "$FS" "$TMP/x"

for p in "${PACKAGES[@]}"; do
  x="$TMP/x/$p"
  dpkg-deb -x "$(deb_of "$p")" "$x"
  for d in lib lib64 usr/lib; do
    [[ -d "$x/$d" ]] || continue
    mkdir -p "$FS/$d"
    cp -a "$x/$d/." "$FS/$d/"
  done
  # Copyright: libgcc-s1 and libstdc++6 link their doc directory to gcc-<n>-base, which holds the file.
  doc="$x/usr/share/doc/$p"
  if [[ -L "$doc" ]]; then
    base="$(basename "$(readlink "$doc")")"
    bver="$(dpkg-deb -f "$(deb_of "$p")" Depends | tr ',' '\n' | sed -n "s/^ *$base (= \(.*\))/\1/p" | head -1)"
    [[ -n "$bver" ]] || die "$p: doc directory links to $base, which $p does not depend on with a fixed version"
    if [[ ! -d "$TMP/x/$base" ]]; then
      log "apt-get download $base=$bver (copyright of $p)"
      fetch_debs "$base=$bver"
      dpkg-deb -x "$(deb_of "$base")" "$TMP/x/$base"
    fi
    doc="$TMP/x/$base/usr/share/doc/$base"
  fi
  [[ -f "$doc/copyright" ]] || die "$p: no copyright file in its package"
  mkdir -p "$FS/usr/share/doc/$p"
  cp "$doc/copyright" "$FS/usr/share/doc/$p/copyright"
done
rm -rf "$FS"/usr/lib/*-linux-gnu*/gconv
[[ -n "$(find "$FS/lib64" "$FS/lib" -maxdepth 2 -name 'ld-linux*' -print -quit 2>/dev/null)" ]] \
  || die "libc6 brought no ld-linux"

# Jib copies what a symlink points to (and would follow an absolute link out to the build machine's file), so each
# link becomes a file here. A versioned file that a soname link in its own directory named (libz.so.1.2.13 behind
# libz.so.1) is then needed by nothing and goes.
for _ in 1 2 3 4 5; do
  mapfile -t links < <(find "$FS" -type l)
  (( ${#links[@]} )) || break
  drop=()
  for link in "${links[@]}"; do
    target="$(readlink "$link")"
    if [[ "$target" == /* ]]; then src="$FS$target"; else src="$(dirname "$link")/$target"; fi
    [[ -L "$src" ]] && continue  # a chain: resolved in a later round
    [[ -f "$src" ]] || die "symlink ${link#"$FS"} -> $target points to no file"
    cp --remove-destination -p "$src" "$link"
    if [[ "$(dirname "$src")" == "$(dirname "$link")" ]]; then drop+=("$src"); fi
  done
  (( ${#drop[@]} == 0 )) || rm -f "${drop[@]}"
done
[[ -z "$(find "$FS" -type l -print -quit)" ]] || die "symlinks left in $FS"

# --- the runtime --------------------------------------------------------------------------------------------------
log "jlink ($JDK_VERSION) into /opt/java"
mkdir -p "$FS/opt"
"$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$MODULES" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$FS/opt/java" >&2 || die "jlink failed"

# --- users, /tmp --------------------------------------------------------------------------------------------------
mkdir -p "$FS/etc" "$FS/tmp"
cat >"$FS/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$FS/etc/group" <<'EOF'
root:x:0:
nonroot:x:65532:
EOF
cat >"$FS/etc/nsswitch.conf" <<'EOF'
passwd: files
group:  files
hosts:  files dns
EOF
chmod 0644 "$FS/etc/passwd" "$FS/etc/group" "$FS/etc/nsswitch.conf"
chmod 1777 "$FS/tmp"

# --- checks -------------------------------------------------------------------------------------------------------
"$FS/opt/java/bin/java" -version >/dev/null 2>&1 || die "the jlink'd runtime does not run"
if [[ "$(id -u)" == 0 ]]; then
  require_cmd chroot mount umount
  chroot_prepare "$FS"
  env -i PATH=/opt/java/bin "${CHROOT_ENV[@]}" "$(command -v chroot)" "$FS" /opt/java/bin/java -version \
    >/dev/null 2>"$TMP/chroot.err" \
    || { cat "$TMP/chroot.err" >&2; die "the runtime does not run inside the root filesystem (chroot)"; }
  ldso="$(cd "$FS" && find lib64 lib -maxdepth 2 -name 'ld-linux*' -type f | head -1)"
  # Loaded only for desktop, image, font and sound work, which a headless operator does not do.
  exempt='^(libawt_xawt|libjawt|libfontmanager|libjavajpeg|liblcms|libsplashscreen|libjsound)\.so$'
  missing=""
  while IFS= read -r f; do
    out="$(env "${CHROOT_ENV[@]}" chroot "$FS" "/$ldso" --list "/$f" 2>&1)" || true
    if grep -q 'not found' <<<"$out"; then
      if [[ "$(basename "$f")" =~ $exempt ]]; then continue; fi
      missing+="  /$f: $(grep 'not found' <<<"$out" | awk '{print $1}' | paste -sd' ' -)"$'\n'
    fi
  done < <(cd "$FS" && find opt/java/bin opt/java/lib -type f \( -name '*.so' -o -path 'opt/java/bin/*' \))
  chroot_release
  [[ -z "$missing" ]] || die "native libraries missing in the root filesystem:"$'\n'"$missing"
else
  log "not root: skipping the chroot checks (scripts/image.sh runs the image in a chroot)"
fi
log "smoke start of the operator on this runtime"
hport="$(free_port)"
mport="$(free_port)"
[[ "$hport" != "$mport" ]] || mport="$(free_port)"
write_smoke_files "$TMP/smoke" "$TMP/smoke" "$hport" "$mport"
operator_smoke "$TMP/smoke/operator.log" "$hport" "$mport" \
  env -i PATH=/usr/bin:/bin HOME="$TMP/smoke" KUBECONFIG="$TMP/smoke/kubeconfig" \
  "$FS/opt/java/bin/java" -Djava.io.tmpdir="$TMP/smoke" -cp "$JAR" org.spireoperator.Main -config "$TMP/smoke/op.conf" \
  || die "the operator does not start on the jlink'd runtime with modules $MODULES"

# The checks leave hsperfdata_* behind; the image's /tmp starts empty.
find "$FS/tmp" -mindepth 1 -delete
chmod 1777 "$FS/tmp"
cache_key "${versions[@]}" >"$STAGE/key.txt"
printf '%s\n' "${MODULES//,/$'\n'}" >"$STAGE/modules.txt"
touch "$STAGE/complete"
if [[ -e "$OUT/image-base-$KEY" ]]; then rm -rf "$OUT/image-base-$KEY"; fi
mv "$STAGE" "$OUT/image-base-$KEY"
STAGE=""
log "built $OUT/image-base-$KEY: jre $(du -sh "$OUT/image-base-$KEY/rootfs/opt/java" | cut -f1), rootfs $(du -sh "$OUT/image-base-$KEY/rootfs" | cut -f1)"
printf '%s\n' "$OUT/image-base-$KEY/rootfs"
