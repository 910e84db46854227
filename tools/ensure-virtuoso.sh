#!/usr/bin/env bash
# Install Debian's Virtuoso 7 (virtuoso-t and isql-vt) when missing: the remote-store tests start a
# real Virtuoso of their own (config, ports and database folder in a temporary folder, bound to
# 127.0.0.1). Idempotent and quick when both are present. The package's own service is not used;
# where invoke-rc.d would start it, the tests still use only their own server.
set -euo pipefail
exec bash "$(dirname "$0")/apt-ensure.sh" "the remote-store tests" "virtuoso-t isql-vt" \
  --no-install-recommends virtuoso-opensource
