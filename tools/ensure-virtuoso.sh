#!/usr/bin/env bash
# Install Debian's Virtuoso 7 (virtuoso-t and isql-vt) when missing: the remote-store tests start a
# real Virtuoso of their own (config, ports and database folder in a temporary folder, bound to
# 127.0.0.1). Idempotent and quick when both are present. The package's own service is not used;
# where invoke-rc.d would start it, the tests still use only their own server.
set -euo pipefail
if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v apt-get >/dev/null; then
  echo "error: Virtuoso 7 (virtuoso-t, isql-vt) is needed for the remote-store tests; install it (Debian: virtuoso-opensource)" >&2
  exit 2
fi
$SUDO apt-get update -qq
if ! apt-cache policy virtuoso-opensource | grep -q 'Candidate: [0-9]'; then
  echo "error: no virtuoso-opensource package in the configured apt sources (Debian main has it)" >&2
  exit 2
fi
$SUDO apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null
command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null
