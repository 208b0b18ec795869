#!/usr/bin/env bash
# Builds the operator's container image offline (no registry, no Docker daemon) and proves that it runs:
#   operator/target/spire-k8s-operator-image.tar      image ghcr.io/spireoperator/spire-k8s-operator:<version>
# Load it with `docker load -i <tar>`, `podman load -i <tar>` or `ctr image import <tar>`.
#
# Usage: scripts/image.sh [--check-only]
#   --check-only   build nothing; check the existing operator/target/spire-k8s-operator-image.tar
#
# Steps:
#   1. scripts/image-base.sh: the base root filesystem (jlink'd JRE, glibc/libstdc++/zlib from Debian packages,
#      nonroot user 65532), cached in $HOME/.cache/spire-operator
#   2. ./mvnw -B -q -pl operator -am package jib:buildTar -DskipTests -Dimage.root=<rootfs>  (base `scratch`)
#   3. the check, without a container runtime: the image config (user 65532:65532, entrypoint, arguments, ports,
#      environment, architecture); the layers (nothing in them writable by the image's user except /tmp; the
#      launcher and ld-linux executable); then the layers unpacked into a temporary root filesystem and run there
#      with `chroot --userspec=65532:65532`, with the image's environment and /proc (what a runtime provides):
#      `--help`, `-config /nonexistent.conf` (one line, exit code 2), `java -version`, and a start of the operator
#      against an unreachable API server and SPIRE socket until it serves /healthz and /metrics, then SIGTERM.
# Prints the tar's size, the layer count, the JRE's size and modules, then "image ok".
#
# Needs: root (chroot, mknod, mount of /proc), tar, gzip; for building also what scripts/image-base.sh needs
# (a JDK 17 with jmods, apt-get and dpkg-deb).
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
EXPECTED_ENTRYPOINT='["/opt/java/bin/java","-XX:MaxRAMPercentage=75","-XX:+ExitOnOutOfMemoryError","-cp","@/app/jib-classpath-file","org.spireoperator.Main"]'
EXPECTED_CMD='["-config","/run/spire/config/k8s-workload-registrar.conf"]'
EXPECTED_USER="65532:65532"
START=$SECONDS

check_only=0
case "${1:-}" in
  "") ;;
  --check-only) check_only=1 ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1' (usage: scripts/image.sh [--check-only])" ;;
esac

[[ "$(id -u)" == 0 ]] || die "the check runs the image in a chroot: run as root"
require_cmd tar gzip chroot mount umount mknod dpkg
CHROOT="$(command -v chroot)"

# --- build --------------------------------------------------------------------------------------------------------
if (( check_only == 0 )); then
  log "base root filesystem: scripts/image-base.sh"
  IMAGE_ROOT="$(scripts/image-base.sh | tail -1)" || die "scripts/image-base.sh failed"
  [[ -x "$IMAGE_ROOT/opt/java/bin/java" ]] || die "scripts/image-base.sh printed '$IMAGE_ROOT', which has no /opt/java"
  log "image: ./mvnw -B -q -pl operator -am package jib:buildTar -DskipTests -Dimage.root=$IMAGE_ROOT"
  rm -f "$TAR"
  ./mvnw -B -q -pl operator -am package jib:buildTar -DskipTests -Dimage.root="$IMAGE_ROOT" \
    -Dimage.arch="$(dpkg --print-architecture)" -Djib.disableUpdateChecks=true >&2 \
    || die "the Jib build failed"
fi
[[ -f "$TAR" ]] || die "no image tar at $TAR (run scripts/image.sh without --check-only)"

# --- check --------------------------------------------------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/image-check.XXXXXX")"
cleanup() {
  chroot_release
  rm -rf "$TMP"
}
trap cleanup EXIT
FS="$TMP/rootfs"
mkdir -p "$TMP/tar" "$FS"
tar -xf "$TAR" -C "$TMP/tar"
[[ -f "$TMP/tar/manifest.json" ]] || die "$TAR has no manifest.json (not a docker image tar)"

# Jib writes compact JSON whose strings here hold no quotes or escapes; these read it without jq.
# json_string <json> <key>: the value of "key":"value".
json_string() { grep -o "\"$2\":\"[^\"]*\"" <<<"$1" | head -1 | sed -e "s/^\"$2\":\"//" -e 's/"$//'; }
# json_array <json> <key>: "key":[...] as it is written.
json_array() { grep -o "\"$2\":\[[^]]*\]" <<<"$1" | head -1 | sed -e "s/^\"$2\"://"; }
# json_items <array>: its string items, one per line.
json_items() { sed -e 's/^\[//' -e 's/\]$//' -e 's/^"//' -e 's/"$//' -e 's/","/\n/g' <<<"$1" | sed '/^$/d'; }

manifest="$(cat "$TMP/tar/manifest.json")"
config_file="$(json_string "$manifest" Config)"
mapfile -t layers < <(json_items "$(json_array "$manifest" Layers)")
[[ -n "$config_file" && -f "$TMP/tar/$config_file" ]] || die "manifest.json names no config file: $manifest"
(( ${#layers[@]} > 0 )) || die "manifest.json names no layers: $manifest"
config="$(cat "$TMP/tar/$config_file")"

problems=()
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
mapfile -t image_env < <(json_items "$(json_array "$config" Env)")
printf '%s\n' "${image_env[@]}" | grep -qx 'JAVA_HOME=/opt/java' || problems+=("no JAVA_HOME=/opt/java in ${image_env[*]}")
arch="$(json_string "$config" architecture)"
[[ "$arch" == "$(dpkg --print-architecture)" ]] || problems+=("architecture '$arch', this machine's is $(dpkg --print-architecture)")

# Layers: list (numeric owners), refuse whiteouts, find anything the image's user could write outside /tmp.
: >"$TMP/listing"
for layer in "${layers[@]}"; do
  [[ -f "$TMP/tar/$layer" ]] || die "layer $layer named in manifest.json is missing from the tar"
  tar --warning=no-unknown-keyword --numeric-owner -tvzf "$TMP/tar/$layer" >>"$TMP/listing"
done
if grep -q '/\.wh\.' "$TMP/listing"; then problems+=("a layer has whiteout entries (not expected from Jib)"); fi
# mode owner/group size date time path: writable for group or others, or owned by the image's user.
writable="$(awk '{ split($2, o, "/"); p = $6; for (i = 7; i <= NF; i++) p = p " " $i
  if (p ~ /^\.?\/?tmp\/?$/) next
  if (substr($1, 1, 1) == "l") next
  if (substr($1, 6, 1) == "w" || substr($1, 9, 1) == "w" || o[1] == "65532" || o[2] == "65532") print $1, $2, p }' \
  "$TMP/listing")"
[[ -z "$writable" ]] || problems+=("writable by the image's user outside /tmp: $(head -5 <<<"$writable" | paste -sd';' -)")
grep -Eq '^drwxrwxrw[xt] .* \.?/?tmp/?$' "$TMP/listing" || problems+=("/tmp is not writable by everyone")
for f in opt/java/bin/java 'lib64/ld-linux[^ ]*' app/jib-classpath-file; do
  line="$(grep -E " \.?/?$f\$" "$TMP/listing" | head -1)"
  if [[ -z "$line" ]]; then problems+=("/$f is not in the image"); continue; fi
  if [[ "$f" != app/* && "${line:3:1}" != x ]]; then problems+=("/$f is not executable: ${line%% *}"); fi
done

if (( ${#problems[@]} )); then
  printf '  - %s\n' "${problems[@]}" >&2
  die "the image config or layers are wrong (${#problems[@]} problem(s))"
fi
log "config and ${#layers[@]} layers ok: user $user, entrypoint $entrypoint $cmd"

for layer in "${layers[@]}"; do
  tar --warning=no-unknown-keyword --numeric-owner -xpzf "$TMP/tar/$layer" -C "$FS"
done

# What a runtime provides: /proc, device nodes, the host's name resolution files.
chroot_prepare "$FS"
mkdir -p "$FS/dev"
for dev in null:3 zero:5 full:7 random:8 urandom:9; do
  mknod -m 0666 "$FS/dev/${dev%%:*}" c 1 "${dev##*:}" 2>/dev/null \
    || log "cannot create /dev/${dev%%:*} in the chroot (mknod refused)"
done
for f in /etc/hosts /etc/resolv.conf; do
  if [[ -f "$f" ]]; then cp "$f" "$FS$f"; fi
done
mapfile -t ENTRYPOINT < <(json_items "$entrypoint")
RUN_ENV=("${image_env[@]}" "HOME=/home/nonroot" "${CHROOT_ENV[@]}")
# in_image <program> <args...>: runs it in the unpacked image as the image's user with the image's environment.
# It execs, so that a background job's pid is the program's: call it only in a subshell ($(...) or &).
in_image() { exec env -i "${RUN_ENV[@]}" "$CHROOT" --userspec="$user" "$FS" "$@"; }

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

hport="$(free_port)"
mport="$(free_port)"
[[ "$hport" != "$mport" ]] || mport="$(free_port)"
write_smoke_files "$FS/run/image-smoke" /run/image-smoke "$hport" "$mport"
RUN_ENV+=("KUBECONFIG=/run/image-smoke/kubeconfig")
operator_smoke "$TMP/operator.log" "$hport" "$mport" in_image "${ENTRYPOINT[@]}" -config /run/image-smoke/op.conf \
  || die "the operator does not start in the image"
log "operator start as 65532: /healthz and /metrics answered 200, stopped on SIGTERM"

modules="$(in_image /opt/java/bin/java --list-modules 2>/dev/null | sed 's/@.*//' | paste -sd, -)"
chroot_release
tar_bytes="$(stat -c %s "$TAR")"
jre_bytes="$(du -sb "$FS/opt/java" | cut -f1)"
printf 'image:   %s (%s bytes, %s MiB)\n' "${TAR#"$ROOT/"}" "$tar_bytes" "$(( (tar_bytes + 524288) / 1048576 ))"
printf 'layers:  %s\n' "${#layers[@]}"
printf 'jre:     %s bytes (%s MiB) in /opt/java; modules %s\n' "$jre_bytes" "$(( (jre_bytes + 524288) / 1048576 ))" "$modules"
printf 'time:    %s s\n' "$((SECONDS - START))"
echo "image ok"
