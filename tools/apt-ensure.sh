#!/usr/bin/env bash
# Install Debian packages when any of some commands is missing (the body of tools/ensure-*.sh).
# Idempotent and quick when every command is present.
#   bash tools/apt-ensure.sh "WHAT THEY ARE FOR" "COMMAND ..." [--apt-get-install-option ...] PACKAGE ...
set -euo pipefail
purpose=$1
commands=$2
shift 2
present() {
  local c
  for c in $commands; do command -v "$c" >/dev/null || return 1; done
}
present && exit 0
packages=()
for arg in "$@"; do [[ $arg == -* ]] || packages+=("$arg"); done
if ! command -v apt-get >/dev/null; then
  echo "error: ${commands// /, } are needed for $purpose; install them (Debian: ${packages[*]})" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
for p in "${packages[@]}"; do
  # read the whole policy first: with pipefail, grep -q leaving early made apt-cache die of SIGPIPE
  policy=$(apt-cache policy "$p" 2>/dev/null || true)
  if ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
    echo "error: no $p package in the configured apt sources (Debian main has it)" >&2
    exit 2
  fi
done
$SUDO apt-get install -y -qq "$@" >/dev/null
present
