#!/usr/bin/env bash
# ensure-debian-package.sh PACKAGE CHECK: installs Debian's PACKAGE with apt-get unless the shell command CHECK
# already succeeds (idempotent). Runs `apt-get update` only when the package is unknown to apt or the install
# fails for a stale list, and verifies CHECK afterwards. Used by the ensure-*.sh scripts.
set -euo pipefail
package=$1
check=$2

if bash -c "$check" >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure: $package is missing and apt-get is unavailable; install it by other means" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ensure: need root (or passwordless sudo) to apt-get install $package" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "[ensure] installing Debian package $package" >&2
if ! apt-cache show "$package" >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends "$package" >/dev/null; then
  # A stale or missing package list: refresh it once and try again.
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "$package" >/dev/null
fi
bash -c "$check" >/dev/null 2>&1 || { echo "ensure: installing $package did not satisfy: $check" >&2; exit 1; }
