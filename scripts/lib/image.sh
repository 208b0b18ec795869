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
# Starts the operator (the command), waits until /healthz and /metrics answer 200 (metrics, health endpoints, the
# Kubernetes client, gRPC with netty's native epoll transport and logging are all up by then), stops it with TERM and
# fails if it did not come up, did not stop, or logged a missing class, module or native library.
operator_smoke() {
  local log="$1" hport="$2" mport="$3"; shift 3
  local pid up=0 rc=0 deadline
  "$@" >"$log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 120))
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
