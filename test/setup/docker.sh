#!/usr/bin/env bash
# Provides a running Docker engine and the base images the Docker integration tests build on.
# Idempotent: every step checks first and does nothing when its result is already there.
#   1. docker.io (Debian's engine + CLI) installed when /usr/bin/docker or dockerd is missing;
#   2. dockerd started in the background (own session, so it outlives this script) when `docker info` fails;
#   3. base images: built from Debian's mirror by ../shared/offline-images/make-images.sh when that
#      script exists (Docker Hub is unreachable there); otherwise pulled from Docker Hub.
set -Eeuo pipefail

DOCKER=${DOCKER:-/usr/bin/docker}
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
make_images=${MAKE_IMAGES:-$repo_root/../shared/offline-images/make-images.sh}
log() { printf '[setup/docker] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

if [ ! -x "$DOCKER" ] || ! command -v dockerd >/dev/null 2>&1; then
  log "installing docker.io"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null; }
fi

if ! "$DOCKER" info >/dev/null 2>&1; then
  # A second caller may be starting it right now: serialise on a lock, re-check inside.
  exec 9>/tmp/multistage-dockerd.lock
  flock 9
  if ! "$DOCKER" info >/dev/null 2>&1; then
    log "starting dockerd (log: /tmp/dockerd.log)"
    # 9>&-: dockerd must not inherit the lock, or it would hold it for as long as it runs.
    as_root setsid nohup dockerd >/tmp/dockerd.log 2>&1 < /dev/null 9>&- &
    for _ in $(seq 90); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 1; done
  fi
  flock -u 9
  "$DOCKER" info >/dev/null 2>&1 || { log "dockerd did not come up; last log lines:"; tail -20 /tmp/dockerd.log >&2; exit 1; }
fi
log "engine: $("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null)"

# Images the compare tests use: golang:1.23 (builder), distroless/static :nonroot (runtime), busybox.
needed="golang:1.23 gcr.io/distroless/static-debian12:nonroot busybox:latest debian:bookworm-slim"
# Other suites build on the rest of what make-images.sh makes: skip it only when all of that exists too.
if [ -x "$make_images" ]; then needed="$needed $("$make_images" list | awk '{ print $3 }' | tr '\n' ' ')"; fi
have_all() { for image in $needed; do "$DOCKER" image inspect "$image" >/dev/null 2>&1 || return 1; done; }
if have_all; then
  log "base images present ($(echo $needed | wc -w) tags)"
elif [ -x "$make_images" ]; then
  log "making offline base images with $make_images (cold ~8 min, warm ~3 s)"
  # The lock serialises parallel setups; a holder that never lets go (a daemon that inherited it) must not
  # hang CI forever, hence the wait limit.
  as_root flock -w 1800 /tmp/make-images.lock env DOCKER="$DOCKER" "$make_images" >&2 \
    || { log "make-images.sh failed or /tmp/make-images.lock stayed held for 30 min"; exit 1; }
  have_all || { log "make-images.sh ran but some of these are missing: $needed"; exit 1; }
else
  for image in golang:1.23 gcr.io/distroless/static-debian12:nonroot busybox:latest debian:bookworm-slim; do
    "$DOCKER" image inspect "$image" >/dev/null 2>&1 || { log "pulling $image"; "$DOCKER" pull -q "$image" >/dev/null; }
  done
fi
log "ready"
