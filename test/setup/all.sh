#!/usr/bin/env bash
# Everything the test command needs on a fresh Debian 12 machine, each step idempotent:
# npm packages, then the real parts the integration tests use (Docker engine + base images,
# Podman, a local OCI registry, code-server + Chromium for the VS Code end-to-end suite).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
step() { printf '\n[setup] %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "apt-get update"
apt-get update -qq

step "npm ci"
npm ci --no-audit --no-fund

step "Docker engine and base images"
bash test/setup/docker.sh
bash test/setup/variant-images.sh
step "local PyPI/Maven mirror for the rewrite samples"
bash test/setup/mirrors.sh
step "base images of the rewrite samples (Rust image from Debian rustc)"
bash test/setup/rewrite-images.sh
step "Podman for the image X-ray tests (base image copied from the Docker engine)"
bash test/setup/podman.sh
step "docker-registry for the registry tests"
bash test/setup/registry.sh
step "code-server, Node 24 and Chromium for the end-to-end suite"
bash test/setup/e2e.sh
step "done"
