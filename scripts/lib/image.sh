# shellcheck shell=bash
# Helpers shared by scripts/image-base.sh and scripts/image.sh. Source it after lib/common.sh; do not execute it.

# Failures that mean the runtime lacks a module, a class or a native library.
IMAGE_MISSING_PATTERN='NoClassDefFoundError|ClassNotFoundException|UnsatisfiedLinkError|ServiceConfigurationError|No implementation of|not available here|error while loading shared libraries|LinkageError'

# http_status <port> <path>: prints the status code of GET http://127.0.0.1:<port><path> (bash /dev/tcp, no curl);
# prints nothing when nothing answers.
http_status() {
  local line=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 2>/dev/null || true
  IFS= read -r -t 5 line <&3 || true
  exec 3<&- 3>&-
  line="${line#HTTP/* }"
  printf '%s' "${line%% *}"
}

# write_smoke_files <dir> <dir-as-the-operator-sees-it> <health-port> <metrics-port>
# Writes op.conf (reconcile mode, a SPIRE socket that does not exist, loopback listeners) and kubeconfig (an API
# server on 127.0.0.1:1, where nothing listens): enough for the operator to start every part and serve /healthz.
write_smoke_files() {
  local dir="$1" seen="$2" hport="$3" mport="$4"
  mkdir -p "$dir"
  cat >"$dir/op.conf" <<CONF
trust_domain       = "example.org"
cluster            = "image-smoke"
server_socket_path = "$seen/no-spire-server.sock"
health_addr        = "127.0.0.1:$hport"
metrics_addr       = "127.0.0.1:$mport"
CONF
  cat >"$dir/kubeconfig" <<'KUBE'
apiVersion: v1
kind: Config
clusters:
  - name: none
    cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
users:
  - name: none
    user: {token: none}
contexts:
  - name: none
    context: {cluster: none, user: none}
current-context: none
KUBE
  chmod 0755 "$dir"
  chmod 0644 "$dir/op.conf" "$dir/kubeconfig"
}

# operator_smoke <log> <health-port> <metrics-port> <command...>
# Starts the operator (the command), waits (up to SMOKE_SECONDS, default 120; an emulated start needs more) until
# /healthz and /metrics answer 200 (metrics, health endpoints, the
# Kubernetes client, gRPC with netty's native epoll transport and logging are all up by then), stops it with TERM and
# fails if it did not come up, did not stop, or logged a missing class, module or native library.
operator_smoke() {
  local log="$1" hport="$2" mport="$3"; shift 3
  local pid up=0 rc=0 deadline
  "$@" >"$log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + ${SMOKE_SECONDS:-120}))
  while (( SECONDS < deadline )) && kill -0 "$pid" 2>/dev/null; do
    if [[ "$(http_status "$hport" /healthz)" == 200 && "$(http_status "$mport" /metrics)" == 200 ]]; then
      up=1
      break
    fi
    sleep 0.5
  done
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 20))
  while (( SECONDS < deadline )) && kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    log_tail "$log"
    log "the operator ignored TERM for 20 s"
    return 1
  fi
  wait "$pid" || rc=$?
  if (( up == 0 )); then
    log_tail "$log"
    log "the operator did not serve /healthz and /metrics (exit code $rc)"
    return 1
  fi
  if grep -Eq "$IMAGE_MISSING_PATTERN" "$log"; then
    grep -E "$IMAGE_MISSING_PATTERN" "$log" | head -5 >&2
    log "the operator logged a missing class, module or library (log: $log)"
    return 1
  fi
  # 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
  [[ "$rc" == 0 || "$rc" == 143 ]] || { log_tail "$log"; log "the operator exited with $rc after TERM"; return 1; }
}

# What a container runtime gives a container and a chroot lacks. /proc: the dynamic loader resolves the launcher's
# $ORIGIN RUNPATH (libjli.so) through /proc/self/exe, and the JVM reads its limits there. Where this machine refuses to
# mount it (an unprivileged container), the loader is told the program's directory through LD_ORIGIN_PATH instead.
IMAGE_MOUNTS=()
# shellcheck disable=SC2034 # read by the scripts that source this file
CHROOT_ENV=()
# chroot_prepare <rootfs>: mounts /proc in the rootfs (unmounted by chroot_release) or sets CHROOT_ENV.
chroot_prepare() {
  local fs="$1"
  mkdir -p "$fs/proc"
  if mount -t proc proc "$fs/proc" 2>/dev/null; then
    IMAGE_MOUNTS+=("$fs/proc")
    CHROOT_ENV=()
  else
    log "cannot mount /proc in the chroot here; running without it (LD_ORIGIN_PATH=/opt/java/bin)"
    # shellcheck disable=SC2034 # read by the scripts that source this file
    CHROOT_ENV=(LD_ORIGIN_PATH=/opt/java/bin)
  fi
}

# chroot_release: unmounts what chroot_prepare mounted and removes the mount points. Idempotent.
chroot_release() {
  local m
  for m in "${IMAGE_MOUNTS[@]}"; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    rmdir "$m" 2>/dev/null || true
  done
  IMAGE_MOUNTS=()
}

# --- architectures ------------------------------------------------------------------------------------------------
# Debian architecture -> GNU triplet (lib directories), ELF machine as readelf prints it, netty's native suffix, qemu.
arch_triplet() { case "$1" in amd64) echo x86_64-linux-gnu ;; arm64) echo aarch64-linux-gnu ;; *) return 1 ;; esac; }
arch_elf_machine() { case "$1" in amd64) echo "Advanced Micro Devices X86-64" ;; arm64) echo AArch64 ;; *) return 1 ;; esac; }
arch_native_suffix() { case "$1" in amd64) echo x86_64 ;; arm64) echo aarch_64 ;; *) return 1 ;; esac; }
arch_qemu() { case "$1" in amd64) echo x86_64 ;; arm64) echo aarch64 ;; *) return 1 ;; esac; }
# The image architectures scripts/image.sh builds.
IMAGE_ARCHITECTURES=(amd64 arm64)

# is_elf <file>: true for an ELF file.
is_elf() { [[ -f "$1" && "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" == '177ELF' ]]; }

# elf_machine <file>: the ELF machine as readelf names it.
elf_machine() { readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p'; }

# Libraries of the JRE that only desktop, image, font and sound work loads, which a headless operator does not do.
ELF_EXEMPT='^(libawt_xawt|libjawt|libfontmanager|libjavajpeg|liblcms|libsplashscreen|libjsound)\.so$'

# elf_unresolved <rootfs> <arch> <file-inside-rootfs>: prints each need of the file that the dynamic loader would not
# find in the root filesystem, one "<file>: <need>" line (nothing when all resolve): its program interpreter, then every
# NEEDED library looked up as ld.so does without an ld.so.cache: the file's RPATH/RUNPATH ($ORIGIN = its directory),
# then Debian's multiarch and plain lib directories. libjvm.so counts as found when /opt/java/lib/server/libjvm.so
# exists: the java launcher loads it (by path) before any library that needs it.
elf_unresolved() {
  local fs="$1" arch="$2" file="$3" triplet dyn interp need path origin found d
  triplet="$(arch_triplet "$arch")"
  interp="$(readelf -l "$fs$file" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')"
  if [[ -n "$interp" && ! -e "$fs$interp" ]]; then echo "$file: interpreter $interp"; fi
  dyn="$(readelf -d "$fs$file" 2>/dev/null)" || return 0
  origin="$(dirname "$file")"
  path="$(sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]$/\2/p' <<<"$dyn" | tr ':' '\n' | sed "s|\$ORIGIN|$origin|g; s|\${ORIGIN}|$origin|g")"
  while IFS= read -r need; do
    [[ -n "$need" ]] || continue
    found=0
    if [[ "$need" == */* ]]; then
      [[ -e "$fs$need" ]] && found=1
    elif [[ "$need" == libjvm.so && -f "$fs/opt/java/lib/server/libjvm.so" ]]; then
      found=1
    else
      for d in $path "/lib/$triplet" "/usr/lib/$triplet" /lib /usr/lib; do
        if [[ -e "$fs$d/$need" ]]; then found=1; break; fi
      done
    fi
    (( found )) || echo "$file: $need"
  done < <(sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' <<<"$dyn")
}

# elf_check_tree <rootfs> <arch> <dir-inside-rootfs>...: fails (prints why, returns 1) when an ELF file in the
# directories is built for another machine than <arch>, or one of the JRE's (not exempt) needs no library of the root
# filesystem. Prints "<n> ELF files" on success.
elf_check_tree() {
  local fs="$1" arch="$2"; shift 2
  local want f rel m count=0 wrong="" missing="" out
  want="$(arch_elf_machine "$arch")"
  while IFS= read -r -d '' f; do
    is_elf "$f" || continue
    count=$((count + 1))
    rel="${f#"$fs"}"
    m="$(elf_machine "$f")"
    [[ "$m" == "$want" ]] || wrong+="  $rel: $m"$'\n'
    [[ "$(basename "$rel")" =~ $ELF_EXEMPT ]] && continue
    out="$(elf_unresolved "$fs" "$arch" "$rel")"
    [[ -z "$out" ]] || missing+="$(sed 's/^/  /' <<<"$out")"$'\n'
  done < <(for d in "$@"; do [[ -d "$fs$d" ]] && find "$fs$d" -type f -print0; done)
  if [[ -n "$wrong" ]]; then log "ELF files not built for $arch ($want):"$'\n'"$wrong"; return 1; fi
  if [[ -n "$missing" ]]; then log "unresolved ELF needs in the $arch root filesystem:"$'\n'"$missing"; return 1; fi
  (( count > 0 )) || { log "no ELF files in $*"; return 1; }
  echo "$count ELF files"
}

# jar_natives_check <rootfs> <arch> <jar>...: the native libraries the jars carry for <arch> (META-INF/native/*_<netty
# suffix>.so: netty's epoll transport, grpc-netty-shaded's tcnative and epoll) are ELF files of that machine whose needs
# resolve in the root filesystem. Prints "<n> native libraries in jars" on success; fails when a jar set carries none.
jar_natives_check() {
  local fs="$1" arch="$2"; shift 2
  local suffix tmp jar entry count=0 bad="" lib m out
  suffix="$(arch_native_suffix "$arch")"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/jar-natives.XXXXXX")"
  for jar in "$@"; do
    while IFS= read -r entry; do
      lib="$tmp/$(basename "$entry")"
      unzip -p "$jar" "$entry" >"$lib"
      count=$((count + 1))
      m="$(elf_machine "$lib")"
      if [[ "$m" != "$(arch_elf_machine "$arch")" ]]; then bad+="  $(basename "$jar")!$entry: $m"$'\n'; continue; fi
      mkdir -p "$fs/.jar-natives" && cp "$lib" "$fs/.jar-natives/"
      out="$(elf_unresolved "$fs" "$arch" "/.jar-natives/$(basename "$entry")")"
      [[ -z "$out" ]] || bad+="  $(basename "$jar")!$entry needs ${out#*: }"$'\n'
    done < <(unzip -Z1 "$jar" 2>/dev/null | grep -E "^META-INF/native/[^/]*_${suffix}\.so$" || true)
  done
  rm -rf "$tmp" "$fs/.jar-natives"
  if [[ -n "$bad" ]]; then log "native libraries in jars for $arch:"$'\n'"$bad"; return 1; fi
  (( count > 0 )) || { log "no native library for $arch ($suffix) in the jars"; return 1; }
  echo "$count native libraries in jars"
}

# emulator <arch>: prints the path of a static qemu user-mode emulator for <arch> (qemu-aarch64-static, ...): from PATH,
# else the one `scripts/image-base.sh --emulator <arch>` unpacked into the cache. Static, so that it also runs inside
# a chroot of an image. Fails when there is none.
emulator() {
  local q found
  q="$(arch_qemu "$1")" || return 1
  if command -v "qemu-$q-static" 2>/dev/null; then return 0; fi
  found="$(find "$SPIRE_CACHE_ROOT/image-qemu" -path "*/bin/qemu-$q-static" 2>/dev/null | sort -V | tail -1)"
  [[ -n "$found" && -x "$found" && -f "$(dirname "$(dirname "$found")")/complete" ]] && printf '%s\n' "$found"
}
