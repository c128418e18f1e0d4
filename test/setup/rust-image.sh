#!/usr/bin/env bash
# The Rust toolchain image the rewrite Docker tests build their Rust sample with:
# multistage-test/rust:1.63-bookworm = buildpack-deps:bookworm + Debian's rustc/cargo 1.63. Built from
# Debian's mirror (Docker Hub and crates.io are unreachable on the offline build machines), so it
# needs buildpack-deps:bookworm from test/setup/docker.sh first. Idempotent: nothing to do when the
# image exists.
set -Eeuo pipefail
DOCKER=${DOCKER:-/usr/bin/docker}
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tag=multistage-test/rust:1.63-bookworm
log() { printf '[setup/rust-image] %s\n' "$*" >&2; }

if "$DOCKER" image inspect "$tag" >/dev/null 2>&1; then
  log "$tag is there"
  exit 0
fi
log "building $tag from Debian's rustc and cargo"
DOCKER_BUILDKIT=1 "$DOCKER" build -q -t "$tag" -f "$repo_root/test/docker/samples/rust-http/rust-image.Dockerfile" "$repo_root/test/docker/samples/rust-http" >/dev/null
log "built $tag"
