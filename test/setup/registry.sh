#!/usr/bin/env bash
# Provides what the registry tests need: Debian's docker-registry binary (distribution 2.8) and openssl
# (the token-auth test makes its signing certificate with it). Nothing is started here: each test starts
# its own registry on a random free 127.0.0.1 port with temp storage and stops it afterwards.
# Idempotent: installs only what is missing.
set -Eeuo pipefail
log() { printf '[setup/registry] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

missing=()
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
# The Debian package enables a system-wide registry service on :5000; the tests do not use it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  as_root systemctl stop docker-registry || true
fi
/usr/bin/docker-registry --version
