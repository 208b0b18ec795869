#!/usr/bin/env bash
# Builds the operator's container image for linux/amd64 and linux/arm64 offline (no registry, no Docker daemon) and
# checks both:
#   operator/target/spire-k8s-operator-image.tar          multi-platform OCI image layout (an image index of both)
#   operator/target/spire-k8s-operator-image-<arch>.tar   one platform, Docker archive format (as Jib writes it)
# all of image ghcr.io/spireoperator/spire-k8s-operator:<project version>. Push the first to a registry
# (README, "Image": skopeo copy --all, crane push --index, ...); `docker load -i` / `kind load image-archive` /
# `ctr image import` the one of your nodes' architecture.
#
# Usage: scripts/image.sh [--check-only]
#   --check-only   build nothing; check the existing tars
#   env IMAGE_ARCHES  the architectures to build (default "amd64 arm64")
#
# Steps:
#   1. scripts/image-base.sh --arch <arch>, per architecture: the base root filesystem (JRE jlink'd from Debian's
#      OpenJDK 17 for that architecture, glibc/libstdc++/zlib from Debian packages, nonroot user 65532), cached in
#      $HOME/.cache/spire-operator
#   2. ./mvnw -B -q -pl operator -am package jib:buildTar@image-amd64 jib:buildTar@image-arm64 -DskipTests
#      -Dimage.root.<arch>=<rootfs> -Dimage.revision=<git commit>  (base `scratch`; Jib builds one platform per tar)
#   2b. per architecture, the class-data sharing archive of the operator: the built image unpacked, its own JVM (under
#      the emulator for the other architecture) runs java -Xshare:dump in a chroot of it with its classpath and the
#      class list operator/src/main/cds/operator.classlist (scripts/cds-classlist.sh), and scripts/lib/oci_layout.py
#      add-layer adds the archive to the image as its last layer, /app/cds/operator.jsa (the entrypoint's
#      -XX:SharedArchiveFile; the JVM checks the jars' paths, sizes and times against it at every start)
#   3. scripts/lib/oci_layout.py assemble: the per-architecture tars joined into one OCI image layout with an image
#      index (same config and layer blobs, so the same image digests)
#   4. the check, without a container runtime, of the layout (digests, sizes, media types, platforms, diff_ids; the
#      per-architecture tars are its images) and of each platform's image: config (user 65532:65532, entrypoint,
#      arguments, ports, environment, os/architecture), layers (nothing writable by the image's user except /tmp; the
#      launcher and ld-linux executable), then the layers unpacked: every ELF file of the JRE and the libraries is
#      built for the platform's machine and finds every library it needs in the image, and so do the native
#      libraries in the operator's jars for that platform (netty epoll, grpc-netty-shaded's tcnative). The image of
#      this machine's architecture then runs with `chroot --userspec=65532:65532`, with the image's environment and
#      /proc (what a runtime provides): `--help`, `-config /nonexistent.conf` (one line, exit code 2),
#      `java -version`, `--help` with -Xshare:on (the JVM exits where the archive does not map or match the image),
#      and a start of the operator against an unreachable API server and SPIRE socket until it serves /healthz and
#      /metrics, then SIGTERM. The other architecture's image runs the same way, but not natively:
#      every program under a static qemu user-mode emulator (qemu-aarch64-static; from PATH, else Debian's
#      qemu-user-static unpacked into the cache by `scripts/image-base.sh --emulator <arch>`), copied into the
#      unpacked root filesystem for the check only.
# Prints per platform the layer count and JRE size and modules, the tags to push, then "image ok".
#
# Needs: root (chroot, mknod, mount of /proc), tar, gzip, python3, readelf, unzip; for building also what
# scripts/image-base.sh needs (apt-get and dpkg-deb).
set -euo pipefail
# shellcheck disable=SC2034 # read by lib/common.sh
SCRIPT_NAME="image"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/image.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/image.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TAR="$ROOT/operator/target/spire-k8s-operator-image.tar"
CLASSLIST="$ROOT/operator/src/main/cds/operator.classlist"
arch_tar() { printf '%s/operator/target/spire-k8s-operator-image-%s.tar' "$ROOT" "$1"; }
EXPECTED_ENTRYPOINT='["/opt/java/bin/java","-XX:+UseSerialGC","-XX:TieredStopAtLevel=1","-XX:MaxRAMPercentage=75","-XX:MinHeapFreeRatio=20","-XX:MaxHeapFreeRatio=40","-XX:+ExitOnOutOfMemoryError","-XX:SharedArchiveFile=/app/cds/operator.jsa","-cp","@/app/jib-classpath-file","org.spireoperator.Main"]'
EXPECTED_CMD='["-config","/run/spire/config/k8s-workload-registrar.conf"]'
EXPECTED_USER="65532:65532"
HOST_ARCH="$(dpkg --print-architecture)"
read -r -a ARCHES <<<"${IMAGE_ARCHES:-${IMAGE_ARCHITECTURES[*]}}"
START=$SECONDS

check_only=0
case "${1:-}" in
  "") ;;
  --check-only) check_only=1 ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1' (usage: scripts/image.sh [--check-only])" ;;
esac

[[ "$(id -u)" == 0 ]] || die "the check runs the image in a chroot: run as root"
(( check_only == 1 )) || [[ -s "$CLASSLIST" ]] || die "no class list at $CLASSLIST (scripts/cds-classlist.sh writes it)"
require_cmd tar gzip chroot mount umount mknod dpkg python3 readelf unzip od
CHROOT="$(command -v chroot)"
for arch in "${ARCHES[@]}"; do arch_triplet "$arch" >/dev/null || die "unknown architecture '$arch' in IMAGE_ARCHES"; done

# --- build --------------------------------------------------------------------------------------------------------
# add_cds_archive <arch>: the class-data sharing archive of the built image of <arch>, dumped by the image's own JVM
# (under the emulator for another architecture) in its unpacked root filesystem, from its own classpath and the
# class list operator/src/main/cds/operator.classlist (scripts/cds-classlist.sh), then added to that image as its
# last layer, /app/cds/operator.jsa (the entrypoint's -XX:SharedArchiveFile). The JVM checks the jars' paths, sizes
# and times against the archive at every start, so it is dumped from the image's files themselves.
add_cds_archive() {
  local arch="$1" tar fs layer qemu out runner=() layers=()
  tar="$(arch_tar "$arch")"
  fs="$BUILD_TMP/cds-$arch"
  mkdir -p "$fs/archive" "$fs/root" "$fs/layer"
  tar -xf "$tar" -C "$fs/archive"
  mapfile -t layers < <(python3 -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' \
    "$fs/archive/manifest.json")
  for layer in "${layers[@]}"; do
    tar --warning=no-unknown-keyword --numeric-owner -xpzf "$fs/archive/$layer" -C "$fs/root"
  done
  mkdir -p "$fs/root/app/cds"
  cp "$CLASSLIST" "$fs/root/app/cds/operator.classlist"
  if [[ "$arch" != "$HOST_ARCH" ]]; then
    qemu="$(scripts/image-base.sh --emulator "$arch" | tail -1)" || die "no emulator for $arch (scripts/image-base.sh --emulator $arch)"
    mkdir -p "$fs/root/.emulator"
    cp "$qemu" "$fs/root/.emulator/"
    runner=("/.emulator/$(basename "$qemu")")
  fi
  log "linux/$arch: class-data sharing archive (java -Xshare:dump in the image${runner[*]:+, under $(basename "$qemu")})"
  chroot_prepare "$fs/root"
  out="$(env -i "${CHROOT_ENV[@]}" "$CHROOT" "$fs/root" "${runner[@]}" /opt/java/bin/java -Xshare:dump -XX:+UseSerialGC \
    -XX:SharedClassListFile=/app/cds/operator.classlist -XX:SharedArchiveFile=/app/cds/operator.jsa \
    -cp @/app/jib-classpath-file 2>&1)" || { chroot_release; tail -20 <<<"$out" >&2; die "linux/$arch: java -Xshare:dump failed"; }
  chroot_release
  [[ -s "$fs/root/app/cds/operator.jsa" ]] || { tail -20 <<<"$out" >&2; die "linux/$arch: java -Xshare:dump wrote no archive"; }
  log "linux/$arch: $(grep -c 'Preload Warning' <<<"$out" || true) classes of the class list not found (left to load at start)"
  cp "$fs/root/app/cds/operator.jsa" "$fs/layer/"
  python3 scripts/lib/oci_layout.py add-layer "$tar" "$fs/layer" /app/cds \
    "scripts/image.sh: class-data sharing archive (java -Xshare:dump)" >&2 || die "adding the archive to $tar failed"
  rm -rf "$fs"
}

if (( check_only == 0 )); then
  goals=() props=()
  for arch in "${ARCHES[@]}"; do
    log "base root filesystem for $arch: scripts/image-base.sh --arch $arch"
    root="$(scripts/image-base.sh --arch "$arch" | tail -1)" || die "scripts/image-base.sh --arch $arch failed"
    [[ -x "$root/opt/java/bin/java" ]] || die "scripts/image-base.sh printed '$root', which has no /opt/java"
    goals+=("jib:buildTar@image-$arch")
    props+=("-Dimage.root.$arch=$root")
    rm -f "$(arch_tar "$arch")"
  done
  revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  if [[ "$revision" != unknown && -n "$(git status --porcelain 2>/dev/null)" ]]; then revision+="-dirty"; fi
  log "images: ./mvnw -B -q -pl operator -am package ${goals[*]} -DskipTests ${props[*]} -Dimage.revision=$revision"
  rm -f "$TAR"
  ./mvnw -B -q -pl operator -am package "${goals[@]}" -DskipTests "${props[@]}" -Dimage.revision="$revision" \
    -Djib.disableUpdateChecks=true >&2 || die "the Jib build failed"
  BUILD_TMP="$(mktemp -d "${TMPDIR:-/tmp}/image-build.XXXXXX")"
  trap 'chroot_release; rm -rf "$BUILD_TMP"' EXIT
  for arch in "${ARCHES[@]}"; do add_cds_archive "$arch"; done
  rm -rf "$BUILD_TMP"
  arch_tars=()
  for arch in "${ARCHES[@]}"; do arch_tars+=("$(arch_tar "$arch")"); done
  python3 scripts/lib/oci_layout.py assemble "$TAR" "${arch_tars[@]}" >&2 || die "joining the images into $TAR failed"
fi
[[ -f "$TAR" ]] || die "no image tar at $TAR (run scripts/image.sh without --check-only)"
arch_tars=()
for arch in "${ARCHES[@]}"; do
  [[ -f "$(arch_tar "$arch")" ]] || die "no image tar at $(arch_tar "$arch") (run scripts/image.sh without --check-only)"
  arch_tars+=("$(arch_tar "$arch")")
done

# --- check --------------------------------------------------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/image-check.XXXXXX")"
cleanup() {
  chroot_release
  rm -rf "$TMP"
}
trap cleanup EXIT

python3 scripts/lib/oci_layout.py check "$TAR" "$TMP/oci" "${arch_tars[@]}" >"$TMP/platforms" \
  || die "$TAR is not a valid OCI image layout of the per-architecture images (see above)"
TAG="$(sed -n 's/^tag //p' "$TMP/platforms")"
mapfile -t PLATFORMS < <(grep '^linux/' "$TMP/platforms")
[[ "$(printf '%s\n' "${PLATFORMS[@]%% *}" | sort | paste -sd' ' -)" == "$(printf 'linux/%s\n' "${ARCHES[@]}" | sort | paste -sd' ' -)" ]] \
  || die "the layout's platforms are ${PLATFORMS[*]%% *}, expected linux/${ARCHES[*]}"
log "OCI layout ok: tag $TAG, platforms $(printf '%s ' "${PLATFORMS[@]%% *}")(digests, sizes, media types, diff_ids; the per-architecture tars are its images)"

# Jib writes compact JSON whose strings here hold no quotes or escapes; these read it without jq.
# json_string <json> <key>: the value of "key":"value".
json_string() { grep -o "\"$2\":\"[^\"]*\"" <<<"$1" | head -1 | sed -e "s/^\"$2\":\"//" -e 's/"$//'; }
# json_array <json> <key>: "key":[...] as it is written.
json_array() { grep -o "\"$2\":\[[^]]*\]" <<<"$1" | head -1 | sed -e "s/^\"$2\"://"; }
# json_items <array>: its string items, one per line.
json_items() { sed -e 's/^\[//' -e 's/\]$//' -e 's/^"//' -e 's/"$//' -e 's/","/\n/g' <<<"$1" | sed '/^$/d'; }

# check_config_and_layers <arch> <config file> <layer files...>: the image config and the layers' listing.
check_config_and_layers() {
  local arch="$1" config_file="$2"; shift 2
  local config user entrypoint cmd port arch_seen os listing writable line f ld problems=()
  config="$(cat "$config_file")"
  user="$(json_string "$config" User)"
  [[ "$user" == "$EXPECTED_USER" ]] || problems+=("user is '$user', not $EXPECTED_USER")
  [[ "$user" != 0* && "$user" != root* && -n "$user" ]] || problems+=("the image runs as root")
  entrypoint="$(json_array "$config" Entrypoint)"
  [[ "$entrypoint" == "$EXPECTED_ENTRYPOINT" ]] || problems+=("entrypoint is $entrypoint, not $EXPECTED_ENTRYPOINT")
  cmd="$(json_array "$config" Cmd)"
  [[ "$cmd" == "$EXPECTED_CMD" ]] || problems+=("arguments are $cmd, not $EXPECTED_CMD")
  for port in 8080/tcp 8081/tcp; do
    grep -q "\"$port\":{}" <<<"$config" || problems+=("port $port not exposed")
  done
  mapfile -t IMAGE_ENV < <(json_items "$(json_array "$config" Env)")
  printf '%s\n' "${IMAGE_ENV[@]}" | grep -qx 'JAVA_HOME=/opt/java' || problems+=("no JAVA_HOME=/opt/java in ${IMAGE_ENV[*]}")
  arch_seen="$(json_string "$config" architecture)"
  os="$(json_string "$config" os)"
  [[ "$arch_seen" == "$arch" && "$os" == linux ]] || problems+=("platform '$os/$arch_seen', expected linux/$arch")
  grep -q '"org.opencontainers.image.revision":"[^"]' <<<"$config" || problems+=("no org.opencontainers.image.revision label")

  # Layers: list (numeric owners), refuse whiteouts, find anything the image's user could write outside /tmp.
  listing="$TMP/listing-$arch"
  : >"$listing"
  for f in "$@"; do tar --warning=no-unknown-keyword --numeric-owner -tvzf "$f" >>"$listing"; done
  if grep -q '/\.wh\.' "$listing"; then problems+=("a layer has whiteout entries (not expected from Jib)"); fi
  # mode owner/group size date time path: writable for group or others, or owned by the image's user.
  writable="$(awk '{ split($2, o, "/"); p = $6; for (i = 7; i <= NF; i++) p = p " " $i
    if (p ~ /^\.?\/?tmp\/?$/) next
    if (substr($1, 1, 1) == "l") next
    if (substr($1, 6, 1) == "w" || substr($1, 9, 1) == "w" || o[1] == "65532" || o[2] == "65532") print $1, $2, p }' \
    "$listing")"
  [[ -z "$writable" ]] || problems+=("writable by the image's user outside /tmp: $(head -5 <<<"$writable" | paste -sd';' -)")
  grep -Eq '^drwxrwxrw[xt] .* \.?/?tmp/?$' "$listing" || problems+=("/tmp is not writable by everyone")
  case "$arch" in amd64) ld='lib64/ld-linux-x86-64\.so\.2' ;; arm64) ld='lib/ld-linux-aarch64\.so\.1' ;; esac
  for f in opt/java/bin/java "$ld" app/jib-classpath-file; do
    line="$(grep -E " \.?/?$f\$" "$listing" | head -1)"
    if [[ -z "$line" ]]; then problems+=("/$f is not in the image"); continue; fi
    if [[ "$f" != app/* && "${line:3:1}" != x ]]; then problems+=("/$f is not executable: ${line%% *}"); fi
  done

  if (( ${#problems[@]} )); then
    printf '  - %s\n' "${problems[@]}" >&2
    die "linux/$arch: the image config or layers are wrong (${#problems[@]} problem(s))"
  fi
  ENTRYPOINT_JSON="$entrypoint"
  IMAGE_USER="$user"
  log "linux/$arch: config and $# layers ok: user $user, entrypoint $entrypoint $cmd"
}

# run_in_chroot <rootfs> [<static qemu>]: the image run as a runtime would run it; with an emulator (an image of
# another architecture), every program runs under it, copied into the unpacked root filesystem (not into the image).
run_in_chroot() {
  local fs="$1" qemu="${2:-}" dev f rc out lines hport mport
  RUNNER=()
  if [[ -n "$qemu" ]]; then
    mkdir -p "$fs/.emulator"
    cp "$qemu" "$fs/.emulator/"
    RUNNER=("/.emulator/$(basename "$qemu")")
  fi
  # What a runtime provides: /proc, device nodes, the host's name resolution files.
  chroot_prepare "$fs"
  mkdir -p "$fs/dev"
  for dev in null:3 zero:5 full:7 random:8 urandom:9; do
    mknod -m 0666 "$fs/dev/${dev%%:*}" c 1 "${dev##*:}" 2>/dev/null \
      || log "cannot create /dev/${dev%%:*} in the chroot (mknod refused)"
  done
  for f in /etc/hosts /etc/resolv.conf; do
    if [[ -f "$f" ]]; then cp "$f" "$fs$f"; fi
  done
  mapfile -t ENTRYPOINT < <(json_items "$ENTRYPOINT_JSON")
  RUN_ENV=("${IMAGE_ENV[@]}" "HOME=/home/nonroot" "${CHROOT_ENV[@]}")
  FS="$fs"

  rc=0
  out="$(in_image "${ENTRYPOINT[@]}" --help 2>&1)" || rc=$?
  [[ "$rc" == 0 && "$out" == *"Usage: spire-k8s-operator"* && "$out" == *"-config"* ]] \
    || { printf '%s\n' "$out" >&2; die "entrypoint --help: exit code $rc"; }
  log "entrypoint --help: exit code 0, usage printed"

  rc=0
  out="$(in_image "${ENTRYPOINT[@]}" -config /nonexistent.conf 2>&1)" || rc=$?
  lines="$(grep -c . <<<"$out" || true)"
  [[ "$rc" == 2 && "$lines" == 1 && "$out" == *"/nonexistent.conf"* ]] \
    || { printf '%s\n' "$out" >&2; die "entrypoint -config /nonexistent.conf: exit code $rc, $lines line(s); expected 2 and one line"; }
  log "entrypoint -config /nonexistent.conf: exit code 2, '$out'"

  rc=0
  out="$(in_image /opt/java/bin/java -version 2>&1)" || rc=$?
  [[ "$rc" == 0 && "$out" == *"version \"17"* ]] || { printf '%s\n' "$out" >&2; die "java -version: exit code $rc"; }
  log "java -version: $(head -1 <<<"$out")"

  # -Xshare:on: the JVM exits where the class-data sharing archive does not map or does not match the image's
  # runtime and classpath (the entrypoint alone would start without it).
  rc=0
  out="$(in_image "${ENTRYPOINT[0]}" -Xshare:on -Xlog:class+load=info:file=/tmp/class-load.log "${ENTRYPOINT[@]:1}" --help 2>&1)" \
    || rc=$?
  [[ "$rc" == 0 && -s "$fs/tmp/class-load.log" ]] || { printf '%s\n' "$out" >&2; die "entrypoint with -Xshare:on --help: exit code $rc (/app/cds/operator.jsa does not map or match the image)"; }
  log "class-data sharing: /app/cds/operator.jsa maps and matches the image (-Xshare:on); --help took $(grep -c 'source: shared objects file' "$fs/tmp/class-load.log") of its $(grep -c . "$fs/tmp/class-load.log") classes from it"
  rm -f "$fs/tmp/class-load.log"

  hport="$(free_port)"
  mport="$(free_port)"
  [[ "$hport" != "$mport" ]] || mport="$(free_port)"
  write_smoke_files "$fs/run/image-smoke" /run/image-smoke "$hport" "$mport"
  RUN_ENV+=("KUBECONFIG=/run/image-smoke/kubeconfig")
  operator_smoke "$TMP/operator.log" "$hport" "$mport" in_image "${ENTRYPOINT[@]}" -config /run/image-smoke/op.conf \
    || die "the operator does not start in the image"
  log "operator start as 65532: /healthz and /metrics answered 200, stopped on SIGTERM"
  MODULES_SEEN="$(in_image /opt/java/bin/java --list-modules 2>/dev/null | sed 's/@.*//' | paste -sd, -)"
  chroot_release
}
# in_image <program> <args...>: runs it in the unpacked image as the image's user with the image's environment.
# It execs, so that a background job's pid is the program's: call it only in a subshell ($(...) or &).
in_image() { exec env -i "${RUN_ENV[@]}" "$CHROOT" --userspec="$IMAGE_USER" "$FS" "${RUNNER[@]}" "$@"; }

summary=()
for platform in "${PLATFORMS[@]}"; do
  read -r -a fields <<<"$platform"
  arch="${fields[0]#linux/}"
  manifest_digest="${fields[1]}"
  config_file="${fields[2]}"
  layers=("${fields[@]:3}")
  check_config_and_layers "$arch" "$config_file" "${layers[@]}"

  fs="$TMP/rootfs-$arch"
  mkdir -p "$fs"
  for layer in "${layers[@]}"; do
    tar --warning=no-unknown-keyword --numeric-owner -xpzf "$layer" -C "$fs"
  done
  elf="$(elf_check_tree "$fs" "$arch" /opt/java /lib /lib64 /usr/lib)" || die "linux/$arch: the image is not self-contained (see above)"
  natives="$(jar_natives_check "$fs" "$arch" "$fs"/app/libs/*.jar)" || die "linux/$arch: native libraries in the jars (see above)"
  log "linux/$arch: $elf and $natives, all built for $(arch_elf_machine "$arch") with every library they need in the image"

  if [[ "$arch" == "$HOST_ARCH" ]]; then
    run_in_chroot "$fs"
    ran="run natively in a chroot as 65532"
  else
    qemu="$(scripts/image-base.sh --emulator "$arch" | tail -1)" || die "no emulator for $arch (scripts/image-base.sh --emulator $arch)"
    log "linux/$arch: running it in a chroot as 65532 under $(basename "$qemu") (user-mode emulation, not natively)"
    SMOKE_SECONDS=360 run_in_chroot "$fs" "$qemu"
    ran="run in a chroot as 65532 under $(basename "$qemu")"
  fi
  jre_bytes="$(du -sb "$fs/opt/java" | cut -f1)"
  summary+=("$(printf 'linux/%s: manifest %s, %s layers, jre %s MiB (%s), %s; modules %s' "$arch" "$manifest_digest" \
    "${#layers[@]}" "$(( (jre_bytes + 524288) / 1048576 ))" \
    "$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$fs/opt/java/release")" "$ran" "$MODULES_SEEN")")
  rm -rf "$fs"
done

tar_bytes="$(stat -c %s "$TAR")"
revision="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
printf 'image:   %s (%s bytes, %s MiB), OCI image layout of %s\n' "${TAR#"$ROOT/"}" "$tar_bytes" \
  "$(( (tar_bytes + 524288) / 1048576 ))" "$(printf '%s ' "${PLATFORMS[@]%% *}" | sed 's/ $//')"
for arch in "${ARCHES[@]}"; do printf '         %s (Docker archive)\n' "$(arch_tar "$arch" | sed "s|^$ROOT/||")"; done
printf '%s\n' "${summary[@]}" | sed 's/^/         /'
printf 'tags:    %s, %s-g%s\n' "$TAG" "$TAG" "$revision"
printf 'time:    %s s\n' "$((SECONDS - START))"
echo "image ok"
