#!/usr/bin/env bash
# Install Debian's headless Chromium and its driver when missing: the actor-graph page and the
# query page are tested in a real browser. Idempotent and quick when both are present.
set -euo pipefail
exec bash "$(dirname "$0")/apt-ensure.sh" "the browser tests" "chromium chromedriver" chromium chromium-driver
