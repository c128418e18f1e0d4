#!/usr/bin/env bash
# Base images of the rewrite Docker tests' sample apps (test/docker/samples/), after test/setup/docker.sh:
#   1. where Docker Hub is reachable (no offline image kit), pulls the samples' base images that are
#      missing; on the offline machines make-images.sh (run by docker.sh) has made them already;
#   2. multistage-test/rust:1.63-bookworm = buildpack-deps:bookworm + Debian's rustc/cargo 1.63, built
#      from Debian's mirror (no Rust image can be pulled offline, and crates.io is unreachable there).
# Idempotent: nothing is pulled or built when the image exists.
set -Eeuo pipefail
DOCKER=${DOCKER:-/usr/bin/docker}
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
make_images=${MAKE_IMAGES:-$repo_root/../shared/offline-images/make-images.sh}
rust_tag=multistage-test/rust:1.63-bookworm
log() { printf '[setup/rewrite-images] %s\n' "$*" >&2; }
have() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

if [ ! -x "$make_images" ]; then
  for image in golang:1.23 gcr.io/distroless/static-debian12:nonroot node:20 node:20-slim nginx:stable \
               python:3.11 python:3.11-slim maven:3.8.7-openjdk-17 eclipse-temurin:17-jre debian:bookworm-slim \
               buildpack-deps:bookworm; do
    have "$image" || { log "pulling $image"; "$DOCKER" pull -q "$image" >/dev/null; }
  done
fi

if have "$rust_tag"; then
  log "$rust_tag is there"
else
  log "building $rust_tag from Debian's rustc and cargo"
  DOCKER_BUILDKIT=1 "$DOCKER" build -q -t "$rust_tag" -f "$repo_root/test/docker/samples/rust-http/rust-image.Dockerfile" \
    "$repo_root/test/docker/samples/rust-http" >/dev/null
  log "built $rust_tag"
fi
