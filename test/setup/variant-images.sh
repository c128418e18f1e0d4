#!/usr/bin/env bash
# Base images the image-rule Docker tests use (test/docker/baseImageVariants.test.ts,
# test/docker/buildContextRules.test.ts): each full image and the smaller variant Multistage proposes for
# it. test/setup/docker.sh makes all of them offline with make-images.sh; on machines where it pulls
# from Docker Hub instead, this pulls the ones it does not. Idempotent: present images are skipped.
set -Eeuo pipefail
DOCKER=${DOCKER:-/usr/bin/docker}
log() { printf '[variant-images] %s\n' "$*" >&2; }
"$DOCKER" info >/dev/null 2>&1 || { log "no Docker engine (run test/setup/docker.sh first)"; exit 1; }
for image in node:20 node:20-slim node:20-bookworm node:20-bookworm-slim python:3.11 python:3.11-slim \
  python:3.11-bookworm python:3.11-slim-bookworm python:3-slim eclipse-temurin:17-jdk eclipse-temurin:17-jre \
  debian:bookworm debian:bookworm-slim golang:1.23; do
  "$DOCKER" image inspect "$image" >/dev/null 2>&1 && continue
  log "pulling $image"
  "$DOCKER" pull -q "$image" >/dev/null
done
log "ready"
