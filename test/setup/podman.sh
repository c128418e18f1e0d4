#!/usr/bin/env bash
# Provides Podman for the image X-ray tests (`podman build` + `podman save`, both archive formats), run as
# root without systemd. Idempotent: each step checks first.
#   1. Debian's podman package (with its recommends: buildah, netavark, fuse-overlayfs, slirp4netns);
#   2. a containers.conf for a machine without systemd: cgroupfs as cgroup manager, events to a file
#      (journald is not there), and per-container limits runc can actually set here;
#   3. debian:bookworm-slim and busybox:latest copied from the Docker engine (no registry is reachable),
#      so tests can build on real base images.
set -Eeuo pipefail
log() { printf '[setup/podman] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
DOCKER=${DOCKER:-/usr/bin/docker}
BASE=debian:bookworm-slim
# busybox gives the tests an image FROM scratch whose every byte they wrote themselves (plus a static shell).
IMAGES="$BASE busybox:latest"

if ! command -v podman >/dev/null 2>&1; then
  # Package lists on a fresh machine (or an old image) may not know podman yet: refresh them first.
  log "installing podman"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman >/dev/null
fi

# Without systemd, the defaults (systemd cgroup manager, journald events) make every podman call warn or fail.
# Podman also asks for nofile=1048576 and a large nproc in each container, which runc cannot set where the hard
# limits are lower (in a sandbox they are): the limits written here are the ones podman itself runs under.
conf=/etc/containers/containers.conf
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] && nofile=1048576
# Podman lowers its own (and so conmon's and runc's) process limit to 32768 before starting a container.
nproc=$(ulimit -Hu)
{ [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
limits="nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc"
if ! grep -qs "^# multistage test setup, limits $nofile $nproc\$" "$conf"; then
  log "writing $conf (cgroupfs, events to a file, nofile $nofile, nproc $nproc)"
  as_root mkdir -p /etc/containers
  if [ -e "$conf" ] && ! grep -qs '^# multistage test setup' "$conf"; then as_root cp "$conf" "$conf.before-multistage"; fi
  as_root tee "$conf" >/dev/null <<EOF
# multistage test setup, limits $nofile $nproc
[containers]
log_driver = "k8s-file"
default_ulimits = ["$limits"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
fi

# Storage needs no settings: as root podman picks overlay where the kernel allows it and vfs otherwise.
podman info --format '{{.Host.CgroupManager}} {{.Store.GraphDriverName}} {{.Host.EventLogger}}' >/dev/null \
  || { log "podman info fails:"; podman info >&2; exit 1; }

for image in $IMAGES; do
  podman image exists "$image" 2>/dev/null && continue
  if "$DOCKER" image inspect "$image" >/dev/null 2>&1; then
    log "copying $image from the Docker engine"
    "$DOCKER" save "$image" | podman load -q >/dev/null
  else
    log "$image is not on the Docker engine (run test/setup/docker.sh first); the podman tests will fail without it"
  fi
done
if podman image exists "$BASE" 2>/dev/null; then
  podman run --rm --network none "$BASE" true \
    || { log "podman cannot run a container from $BASE (see the error above)"; exit 1; }
fi
log "podman $(podman version --format '{{.Client.Version}}'): $(podman info --format '{{.Host.CgroupManager}}, {{.Store.GraphDriverName}}, events {{.Host.EventLogger}}')"
