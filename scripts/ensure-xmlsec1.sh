#!/usr/bin/env bash
# Makes sure the xmlsec1 CLI (Debian package `xmlsec1`, OpenSSL backend) is installed; used by the
# XML-signature interoperability tests. Idempotent: does nothing when xmlsec1 is already on PATH, and runs
# `apt-get update` only when the package is not known to apt yet.
set -euo pipefail

if command -v xmlsec1 >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-xmlsec1: xmlsec1 is missing and apt-get is unavailable; install xmlsec1 (OpenSSL flavour) by other means" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ensure-xmlsec1: need root (or passwordless sudo) to apt-get install xmlsec1" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show xmlsec1 >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends xmlsec1 >/dev/null

command -v xmlsec1 >/dev/null 2>&1 || { echo "ensure-xmlsec1: installation did not provide xmlsec1" >&2; exit 1; }
