#!/usr/bin/env bash
# Install Debian's headless Chromium and its driver when missing: the actor-graph page and the
# query page are tested in a real browser. Idempotent and quick when both are present.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v apt-get >/dev/null; then
  echo "error: Chromium and chromedriver are needed for the browser tests; install them (Debian: chromium chromium-driver)" >&2
  exit 2
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
