#!/usr/bin/env bash
# Builds the base root filesystem of the operator's container image for one architecture (linux/amd64 or
# linux/arm64), without a registry or a Docker daemon, into
#   <outdir>/image-base-<key>/rootfs          (outdir: default $HOME/.cache/spire-operator)
# and prints that path on stdout (last line). Reused when present: <key> hashes the OpenJDK package version, the JRE's
# module list, the Debian package versions, the architecture and this script (with lib/image.sh).
#
# Usage: scripts/image-base.sh [--arch amd64|arm64] [outdir]     (default: this machine's architecture)
#        scripts/image-base.sh --emulator amd64|arm64           prints a static qemu user-mode emulator for that
#                                                                architecture (PATH, else Debian's qemu-user-static
#                                                                unpacked into <cache>/image-qemu/<version>/bin)
#   env OPERATOR_JAR  shaded operator jar that jdeps reads (default operator/target/operator-0.1.0-SNAPSHOT-all.jar,
#                     built with ./mvnw when missing or older than the sources)
#
# Where everything comes from: Debian bookworm packages, fetched with `apt-get download` through a private apt state
# (<outdir>/apt: package lists for amd64 and arm64, whatever architectures dpkg on this machine knows; made with
# `apt-get update` on first use and again only when a download fails). Nothing is installed on this machine.
#   * the JDK: openjdk-17-jdk-headless of the target architecture gives the jmods; openjdk-17-jre-headless and
#     -jdk-headless of the same version for this machine's architecture, unpacked into
#     <outdir>/image-jdk/openjdk-17-<version>-<arch>, give jdeps and jlink (jlink links a foreign architecture from its
#     jmods, and must be of the same version). Both images thus run the same Java, whatever JDK builds the operator.
#   * the libraries: libc6, libstdc++6, libgcc-s1, zlib1g of the target architecture.
#
# The root filesystem (scripts/image.sh hands it to Jib as an extra directory on a `scratch` base):
#   /opt/java                  jlink'd runtime (--strip-java-debug-attributes --no-header-files --no-man-pages
#                              --compress=2): the modules jdeps finds in the shaded jar (its answer cached per jar
#                              content in <outdir>/image-jdeps) plus the ones only reached through services or
#                              reflection (EXTRA_MODULES below)
#                              and its class-data sharing archive (lib/server/classes.jsa, java -Xshare:dump: what
#                              a JDK ships and jlink leaves out)
#   /lib/<triplet>, /lib64 or /lib, /usr/lib/<triplet>
#                              the lib directories and ld-linux of the packages above (dpkg-deb -x); glibc's gconv
#                              modules are left out (Java does not use iconv); symlinks are replaced by files, as Jib
#                              would copy them anyway
#   /usr/share/doc/<pkg>/copyright   Debian copyright files of those packages (and of the JDK)
#   /etc/passwd, /etc/group    root (0) and nonroot (65532); /etc/nsswitch.conf (files, then dns)
#   /tmp                       empty, mode 1777
# Checks before it is cached, for every architecture: each ELF file is built for the target machine, and every library
# the JRE's programs and libraries need (and their program interpreter) is found in the root filesystem as the
# dynamic loader would find it (readelf; the AWT/font/sound libraries of java.desktop are exempt); the runtime runs
# (`java -version`; as root also in a chroot of the root filesystem) and the operator jar starts on it and serves
# /healthz and /metrics. Another architecture's runtime runs under qemu user-mode emulation (qemu-aarch64-static,
# see --emulator), never natively.
#
# Needs: apt-get, apt-cache and dpkg-deb (Debian), readelf (binutils), unzip, flock; root for the chroot check and for
# `apt-get update` into the private state.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib/common.sh
SCRIPT_NAME="image-base"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/image.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/image.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST_ARCH="$(dpkg --print-architecture)"
ARCH="$HOST_ARCH"
MODE=rootfs
case "${1:-}" in
  --arch|--emulator)
    [[ "$1" == --emulator ]] && MODE=emulator
    ARCH="${2:-}"
    shift 2 || die "usage: scripts/image-base.sh [--arch amd64|arm64] [outdir] | --emulator amd64|arm64"
    ;;
esac
arch_triplet "$ARCH" >/dev/null || die "unknown architecture '$ARCH' (amd64 or arm64)"
arch_triplet "$HOST_ARCH" >/dev/null || die "this machine's architecture '$HOST_ARCH' is neither amd64 nor arm64"
OUT="${1:-$SPIRE_CACHE_ROOT}"
JAR="${OPERATOR_JAR:-$ROOT/operator/target/operator-0.1.0-SNAPSHOT-all.jar}"
PACKAGES=(libc6 libstdc++6 libgcc-s1 zlib1g)
JDK_PACKAGE=openjdk-17-jdk-headless
JRE_PACKAGE=openjdk-17-jre-headless
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

require_cmd apt-get apt-cache dpkg dpkg-deb sha256sum flock find readelf unzip od

mkdir -p "$OUT"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/image-base.XXXXXX")"
chmod 0755 "$TMP"  # apt-get download hands the download to the _apt user
STAGE=""
cleanup() {
  chroot_release
  rm -rf "$TMP"
  [[ -z "$STAGE" ]] || rm -rf "$STAGE"
}
trap cleanup EXIT

# One build at a time per cache (the private apt state, the JDK toolchain and the root filesystems are shared).
exec 9>"$OUT/.image-base.lock"
flock -w 1800 9 || die "timed out waiting for another image-base build (lock $OUT/.image-base.lock)"

# --- private apt state (lists of both architectures) ---------------------------------------------------------------
APT_DIR="$OUT/apt"
APT_OPTS=(-o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache")
for a in $(printf '%s\n' "$HOST_ARCH" "${IMAGE_ARCHITECTURES[@]}" $(dpkg --print-foreign-architectures) | sort -u); do
  APT_OPTS+=(-o "APT::Architectures::=$a")
done
apt_update() {
  [[ "$(id -u)" == 0 ]] || die "the private apt state $APT_DIR needs 'apt-get update' as root once"
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
  if id _apt >/dev/null 2>&1; then chown -R _apt "$APT_DIR/lists" "$APT_DIR/cache"; fi
  log "apt-get update into $APT_DIR (package lists of ${IMAGE_ARCHITECTURES[*]})"
  apt-get -q "${APT_OPTS[@]}" update >&2 || die "apt-get update failed"
}
[[ -n "$(find "$APT_DIR/lists" -name '*_Packages*' -print -quit 2>/dev/null)" ]] || apt_update

candidate_version() { # <pkg:arch>
  apt-cache "${APT_OPTS[@]}" policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '^(none)$' || true
}
DEBS="$TMP/debs"
mkdir -p "$DEBS"
if [[ "$(id -u)" == 0 ]] && id _apt >/dev/null 2>&1; then chown _apt "$DEBS"; fi
updated=0
fetch_debs() { # <pkg:arch=version>...
  if (cd "$DEBS" && apt-get -q "${APT_OPTS[@]}" download "$@") >&2 2>"$TMP/apt.err"; then return 0; fi
  if (( updated == 0 )); then
    log "apt-get download $* failed ($(tail -1 "$TMP/apt.err"))"
    apt_update
    updated=1
    (cd "$DEBS" && apt-get -q "${APT_OPTS[@]}" download "$@") >&2 && return 0
  fi
  cat "$TMP/apt.err" >&2
  die "apt-get download $* failed"
}
deb_of() { # <pkg> <arch>
  local f
  for f in "$DEBS/${1}_"*"_$2.deb" "$DEBS/${1}_"*"_all.deb"; do [[ -f "$f" ]] && { printf '%s' "$f"; return 0; }; done
  die "no .deb of $1 ($2) in $DEBS"
}

# --- a user-mode emulator for another architecture ----------------------------------------------------------------
# ensure_emulator <arch>: prints a static qemu for <arch> (PATH, else qemu-user-static's unpacked into the cache).
ensure_emulator() {
  local q version dir
  if emulator "$1"; then return 0; fi
  q="$(arch_qemu "$1")"
  version="$(candidate_version "qemu-user-static:$HOST_ARCH")"
  [[ -n "$version" ]] || die "Debian has no qemu-user-static for $HOST_ARCH"
  dir="$OUT/image-qemu/${version//[:~]/_}"
  log "qemu-$q-static: apt-get download qemu-user-static:$HOST_ARCH=$version (into $dir)"
  fetch_debs "qemu-user-static:$HOST_ARCH=$version"
  rm -rf "$dir"
  mkdir -p "$dir/bin" "$dir/doc"
  dpkg-deb --fsys-tarfile "$(deb_of qemu-user-static "$HOST_ARCH")" | tar -x -C "$TMP" ./usr/bin ./usr/share/doc/qemu-user-static/copyright
  local a
  for a in "${IMAGE_ARCHITECTURES[@]}"; do
    [[ -x "$TMP/usr/bin/qemu-$(arch_qemu "$a")-static" ]] && cp "$TMP/usr/bin/qemu-$(arch_qemu "$a")-static" "$dir/bin/"
  done
  cp "$TMP/usr/share/doc/qemu-user-static/copyright" "$dir/doc/"
  rm -rf "$TMP/usr" "$DEBS"/*.deb
  touch "$dir/complete"
  emulator "$1" || die "qemu-user-static $version has no qemu-$q-static"
}
if [[ "$MODE" == emulator ]]; then
  [[ "$ARCH" != "$HOST_ARCH" ]] || die "no emulator needed for $ARCH on this $HOST_ARCH machine"
  ensure_emulator "$ARCH"
  exit 0
fi

# --- the operator jar ---------------------------------------------------------------------------------------------
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

# --- the JDK: one version for every architecture ------------------------------------------------------------------
JDK_VERSION="$(candidate_version "$JDK_PACKAGE:$ARCH")"
[[ -n "$JDK_VERSION" ]] || { apt_update; JDK_VERSION="$(candidate_version "$JDK_PACKAGE:$ARCH")"; }
[[ -n "$JDK_VERSION" ]] || die "Debian has no $JDK_PACKAGE for $ARCH"
host_version="$(candidate_version "$JDK_PACKAGE:$HOST_ARCH")"
[[ "$host_version" == "$JDK_VERSION" ]] \
  || die "$JDK_PACKAGE is $JDK_VERSION for $ARCH but $host_version for $HOST_ARCH; jlink needs one version"

# jdeps and jlink of that version for this machine, unpacked once.
TOOLCHAIN="$OUT/image-jdk/openjdk-17-$JDK_VERSION-$HOST_ARCH"
JDK_HOME="$TOOLCHAIN/usr/lib/jvm/java-17-openjdk-$HOST_ARCH"
if [[ ! -f "$TOOLCHAIN/complete" ]]; then
  log "OpenJDK $JDK_VERSION for $HOST_ARCH (jdeps, jlink): apt-get download $JRE_PACKAGE $JDK_PACKAGE"
  fetch_debs "$JRE_PACKAGE:$HOST_ARCH=$JDK_VERSION" "$JDK_PACKAGE:$HOST_ARCH=$JDK_VERSION"
  rm -rf "$TOOLCHAIN"
  mkdir -p "$TOOLCHAIN"
  dpkg-deb -x "$(deb_of "$JRE_PACKAGE" "$HOST_ARCH")" "$TOOLCHAIN"
  dpkg-deb -x "$(deb_of "$JDK_PACKAGE" "$HOST_ARCH")" "$TOOLCHAIN"
  # Debian links the JDK's configuration to /etc/java-17-openjdk; point those links into the unpacked tree.
  while IFS= read -r -d '' link; do
    target="$(readlink "$link")"
    if [[ "$target" == /etc/* && -e "$TOOLCHAIN$target" ]]; then ln -sfn "$TOOLCHAIN$target" "$link"; fi
  done < <(find "$TOOLCHAIN" -type l -print0)
  "$JDK_HOME/bin/jlink" --version >/dev/null 2>&1 || die "the unpacked OpenJDK $JDK_VERSION does not run here"
  rm -f "$DEBS"/*.deb
  touch "$TOOLCHAIN/complete"
fi
for tool in java jlink jdeps jar; do
  [[ -x "$JDK_HOME/bin/$tool" ]] || die "$JDK_HOME/bin/$tool missing"
done
JAVA_VERSION="$("$JDK_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.runtime\.version = //p')"

# --- the modules the operator needs -------------------------------------------------------------------------------
# jdeps refuses the shaded jar as it is: the module-info.class files of shaded dependencies (in META-INF/versions/)
# make it a module whose requirements are not there. Their classes are read unpacked, without module descriptors and
# without versions newer than 17.
# jdeps takes a minute or more: its answer is kept per jar content (the CRC and name of every entry, which a rebuild
# of the same sources keeps) and JDK version.
JDEPS_CACHE="$OUT/image-jdeps/$({ printf '%s\n' "$JAVA_VERSION"; unzip -v "$JAR" \
  | awk 'length($7) == 8 && $7 ~ /^[0-9a-f]+$/ { $1 = $2 = $3 = $4 = $5 = $6 = ""; print }'; } | sha256sum | cut -c1-16)"
if [[ -s "$JDEPS_CACHE" ]]; then
  found="$(cat "$JDEPS_CACHE")"
  log "jdeps over $(basename "$JAR"): as before (${JDEPS_CACHE#"$OUT/"})"
else
  log "jdeps over $(basename "$JAR")"
  mkdir -p "$TMP/classes"
  (cd "$TMP/classes" && "$JDK_HOME/bin/jar" xf "$JAR")
  find "$TMP/classes" -name module-info.class -delete
  for v in "$TMP"/classes/META-INF/versions/*; do
    [[ -d "$v" ]] || continue
    n="$(basename "$v")"
    if [[ "$n" =~ ^[0-9]+$ ]] && (( n > 17 )); then rm -rf "$v"; fi
  done
  found="$("$JDK_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$TMP/classes" 2>"$TMP/jdeps.err")" \
    || { cat "$TMP/jdeps.err" >&2; die "jdeps failed"; }
  found="$(tail -1 <<<"$found")"
  [[ "$found" == java.base* ]] || { cat "$TMP/jdeps.err" >&2; die "unexpected jdeps output: $found"; }
  rm -rf "$TMP/classes"
  mkdir -p "$(dirname "$JDEPS_CACHE")"
  printf '%s\n' "$found" >"$JDEPS_CACHE"
fi
MODULES="$(printf '%s\n' "${found//,/$'\n'}" "${EXTRA_MODULES[@]}" | sort -u | paste -sd, -)"
log "modules: $MODULES"

# --- cache key ----------------------------------------------------------------------------------------------------
SCRIPT_SUM="$(cat "${BASH_SOURCE[0]}" "$(dirname "${BASH_SOURCE[0]}")/lib/image.sh" | sha256sum | cut -c1-16)"
cache_key() { # <pkg=version>...
  printf 'jdk=%s %s\narch=%s\nmodules=%s\nscript=%s\n' "$JDK_PACKAGE" "$JDK_VERSION" "$ARCH" "$MODULES" "$SCRIPT_SUM"
  printf '%s\n' "$@"
}
key_of() { cache_key "$@" | sha256sum | cut -c1-16; }
cached() { [[ -f "$OUT/image-base-$1/complete" && -x "$OUT/image-base-$1/rootfs/opt/java/bin/java" ]]; }
reuse() {
  log "reusing $OUT/image-base-$1 ($ARCH, java $JAVA_VERSION, ${*:2})"
  printf '%s\n' "$OUT/image-base-$1/rootfs"
  exit 0
}

versions=()
for p in "${PACKAGES[@]}"; do versions+=("$p=$(candidate_version "$p:$ARCH")"); done
KEY="$(key_of "${versions[@]}")"
cached "$KEY" && reuse "$KEY" "${versions[@]}"

# --- Debian packages of the target architecture ---------------------------------------------------------------------
if [[ "$ARCH" == "$HOST_ARCH" ]]; then
  log "apt-get download ${PACKAGES[*]} ($ARCH; the jmods are the toolchain's)"
  fetch_debs "${PACKAGES[@]/%/:$ARCH}"
else
  log "apt-get download ${PACKAGES[*]} $JDK_PACKAGE ($ARCH)"
  fetch_debs "${PACKAGES[@]/%/:$ARCH}" "$JDK_PACKAGE:$ARCH=$JDK_VERSION"
fi
versions=()
for p in "${PACKAGES[@]}"; do versions+=("$p=$(dpkg-deb -f "$(deb_of "$p" "$ARCH")" Version)"); done
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

# copyright_of <pkg> <unpacked dir>: its copyright file (libgcc-s1 and libstdc++6 link their doc directory to
# gcc-<n>-base, which holds it; that package is fetched at the version the package depends on).
copyright_of() {
  local p="$1" x="$2" doc base bver
  doc="$x/usr/share/doc/$p"
  if [[ -L "$doc" ]]; then
    base="$(basename "$(readlink "$doc")")"
    bver="$(dpkg-deb -f "$(deb_of "$p" "$ARCH")" Depends | tr ',' '\n' | sed -n "s/^ *$base (= \(.*\))/\1/p" | head -1)"
    [[ -n "$bver" ]] || die "$p: doc directory links to $base, which $p does not depend on with a fixed version"
    if [[ ! -d "$TMP/x/$base" ]]; then
      log "apt-get download $base:$ARCH=$bver (copyright of $p)"
      fetch_debs "$base:$ARCH=$bver"
      dpkg-deb -x "$(deb_of "$base" "$ARCH")" "$TMP/x/$base"
    fi
    doc="$TMP/x/$base/usr/share/doc/$base"
  fi
  [[ -f "$doc/copyright" ]] || die "$p: no copyright file in its package"
  mkdir -p "$FS/usr/share/doc/$p"
  cp "$doc/copyright" "$FS/usr/share/doc/$p/copyright"
}

for p in "${PACKAGES[@]}"; do
  x="$TMP/x/$p"
  dpkg-deb -x "$(deb_of "$p" "$ARCH")" "$x"
  for d in lib lib64 usr/lib; do
    [[ -d "$x/$d" ]] || continue
    mkdir -p "$FS/$d"
    cp -a "$x/$d/." "$FS/$d/"
  done
  copyright_of "$p" "$x"
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
JMODS="$JDK_HOME/jmods"
if [[ "$ARCH" != "$HOST_ARCH" ]]; then
  dpkg-deb -x "$(deb_of "$JDK_PACKAGE" "$ARCH")" "$TMP/jdk-$ARCH"
  JMODS="$TMP/jdk-$ARCH/usr/lib/jvm/java-17-openjdk-$ARCH/jmods"
fi
[[ -f "$JMODS/java.base.jmod" ]] || die "no java.base.jmod in $JMODS"
log "jlink (OpenJDK $JDK_VERSION, $ARCH jmods) into /opt/java"
mkdir -p "$FS/opt"
# --strip-java-debug-attributes, not --strip-debug: on Linux that also runs objcopy on the native libraries, which the
# build machine's objcopy cannot read for another architecture (and Debian ships them without debug sections anyway).
"$JDK_HOME/bin/jlink" --module-path "$JMODS" --add-modules "$MODULES" \
  --strip-java-debug-attributes --no-header-files --no-man-pages --compress=2 --output "$FS/opt/java" >&2 \
  || die "jlink failed"
mkdir -p "$FS/usr/share/doc/$JRE_PACKAGE"
cp "$TOOLCHAIN/usr/share/doc/$JRE_PACKAGE/copyright" "$FS/usr/share/doc/$JRE_PACKAGE/copyright"
grep -q "^JAVA_VERSION=\"${JAVA_VERSION%%+*}" "$FS/opt/java/release" \
  || die "the runtime's release file does not name Java $JAVA_VERSION: $(head -3 "$FS/opt/java/release")"

# Class-data sharing for the JDK's own classes: jlink leaves the runtime without the default archive that a JDK
# carries (lib/server/classes.jsa), and without it every start parses and verifies the JDK's classes again. Dumped by
# the runtime itself from its lib/classlist (under emulation for another architecture), then required (-Xshare:on
# fails where the archive does not map) with the deployment's collector and compiler.
if [[ "$ARCH" == "$HOST_ARCH" ]]; then
  RUN_JAVA=("$FS/opt/java/bin/java")
else
  RUN_JAVA=("$(ensure_emulator "$ARCH")" -L "$FS" "$FS/opt/java/bin/java")
fi
log "class-data sharing archive of the runtime's classes (java -Xshare:dump)"
"${RUN_JAVA[@]}" -Xshare:dump >"$TMP/cds.log" 2>&1 || { tail -20 "$TMP/cds.log" >&2; die "java -Xshare:dump failed"; }
[[ -s "$FS/opt/java/lib/server/classes.jsa" ]] || die "java -Xshare:dump wrote no lib/server/classes.jsa"
"${RUN_JAVA[@]}" -Xshare:on -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -version >"$TMP/cds.log" 2>&1 \
  || { cat "$TMP/cds.log" >&2; die "the runtime does not start with its class-data sharing archive (-Xshare:on)"; }

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
elf="$(elf_check_tree "$FS" "$ARCH" /opt/java /lib /lib64 /usr/lib)" \
  || die "the $ARCH root filesystem is not self-contained (see above)"
log "$elf: built for $(arch_elf_machine "$ARCH"), every need of the JRE found in the root filesystem"
if [[ "$ARCH" == "$HOST_ARCH" ]]; then
  "$FS/opt/java/bin/java" -version >/dev/null 2>&1 || die "the jlink'd runtime does not run"
  if [[ "$(id -u)" == 0 ]]; then
    require_cmd chroot mount umount
    chroot_prepare "$FS"
    env -i PATH=/opt/java/bin "${CHROOT_ENV[@]}" "$(command -v chroot)" "$FS" /opt/java/bin/java -version \
      >/dev/null 2>"$TMP/chroot.err" \
      || { cat "$TMP/chroot.err" >&2; die "the runtime does not run inside the root filesystem (chroot)"; }
    chroot_release
  else
    log "not root: skipping the chroot check (scripts/image.sh runs the image in a chroot)"
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
else
  # Not natively: under qemu's user-mode emulation, which looks up the absolute paths the program opens in the root
  # filesystem first (-L), so the runtime finds its ld-linux and libraries there.
  qemu="$(ensure_emulator "$ARCH")"
  out="$("$qemu" -L "$FS" "$FS/opt/java/bin/java" -version 2>&1)" \
    || { printf '%s\n' "$out" >&2; die "the $ARCH runtime does not run under $qemu"; }
  log "$ARCH runtime under $(basename "$qemu"): $(head -1 <<<"$out"); smoke start of the operator on it (emulated)"
  hport="$(free_port)"
  mport="$(free_port)"
  [[ "$hport" != "$mport" ]] || mport="$(free_port)"
  write_smoke_files "$TMP/smoke" "$TMP/smoke" "$hport" "$mport"
  SMOKE_SECONDS=360 operator_smoke "$TMP/smoke/operator.log" "$hport" "$mport" \
    env -i PATH=/usr/bin:/bin HOME="$TMP/smoke" KUBECONFIG="$TMP/smoke/kubeconfig" "$qemu" -L "$FS" \
    "$FS/opt/java/bin/java" -Djava.io.tmpdir="$TMP/smoke" -cp "$JAR" org.spireoperator.Main -config "$TMP/smoke/op.conf" \
    || die "the operator does not start on the $ARCH runtime (emulated) with modules $MODULES"
fi

# The checks leave hsperfdata_* behind; the image's /tmp starts empty.
find "$FS/tmp" -mindepth 1 -delete
chmod 1777 "$FS/tmp"
cache_key "${versions[@]}" >"$STAGE/key.txt"
printf '%s\n' "${MODULES//,/$'\n'}" >"$STAGE/modules.txt"
touch "$STAGE/complete"
if [[ -e "$OUT/image-base-$KEY" ]]; then rm -rf "$OUT/image-base-$KEY"; fi
mv "$STAGE" "$OUT/image-base-$KEY"
STAGE=""
log "built $OUT/image-base-$KEY ($ARCH): jre $(du -sh "$OUT/image-base-$KEY/rootfs/opt/java" | cut -f1), rootfs $(du -sh "$OUT/image-base-$KEY/rootfs" | cut -f1)"
printf '%s\n' "$OUT/image-base-$KEY/rootfs"
