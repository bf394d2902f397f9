#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the browser tests, Prometheus's
# promtool and Alertmanager's amtool for the generated rules and routes,
# bubblewrap (bwrap) for the pipelines' build sandbox and umoci for the OCI
# image layouts their image-publish steps produce.
# Installs only what is missing; never downloads a browser build of its own.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v umoci >/dev/null 2>&1 || need+=(umoci)
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "[system-deps] installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# policy-rc.d keeps the packages' own services from being started during install.
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
