#!/usr/bin/env bash
# Makes sure Debian's Chromium (/usr/bin/chromium) is installed; the admin console's browser test drives it
# headless through playwright-core (which never downloads a browser of its own here). Idempotent: does nothing
# when /usr/bin/chromium exists, and runs `apt-get update` only when the package is not known to apt yet or the
# install fails for lack of a package list.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: /usr/bin/chromium is missing and apt-get is unavailable; install Chromium by other means" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ensure-chromium: need root (or passwordless sudo) to apt-get install chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show chromium >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
  # A stale or missing package list: refresh it once and try again.
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

[ -x /usr/bin/chromium ] || { echo "ensure-chromium: installation did not provide /usr/bin/chromium" >&2; exit 1; }
