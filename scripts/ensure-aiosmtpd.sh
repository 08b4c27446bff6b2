#!/usr/bin/env bash
# aiosmtpd (PyPI), the SMTP sink the alert e-mail end-to-end test receives Alertmanager's mail with, in a
# project-local virtualenv (.local/aiosmtpd-venv); with a Python whose venv module is missing, `pip install --target`
# into .local/aiosmtpd-lib instead. Prints nothing when already there. The test reads .local/aiosmtpd.env.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=1.4.6
venv="$root/.local/aiosmtpd-venv"
target="$root/.local/aiosmtpd-lib"
envfile="$root/.local/aiosmtpd.env"
python=$(command -v python3 || true)
if [ -z "$python" ]; then
  bash "$root/scripts/ensure-debian-package.sh" python3 'command -v python3'
  python=$(command -v python3)
fi
mkdir -p "$root/.local"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import aiosmtpd' >/dev/null 2>&1; then
  printf 'AIOSMTPD_PYTHON=%s\nAIOSMTPD_PYTHONPATH=\n' "$venv/bin/python" > "$envfile"
  exit 0
fi
if [ -d "$target/aiosmtpd" ] && PYTHONPATH="$target" "$python" -c 'import aiosmtpd' >/dev/null 2>&1; then
  printf 'AIOSMTPD_PYTHON=%s\nAIOSMTPD_PYTHONPATH=%s\n' "$python" "$target" > "$envfile"
  exit 0
fi
echo "[ensure] installing aiosmtpd $version from PyPI" >&2
rm -rf "$venv" "$target"
if "$python" -m venv "$venv" >/dev/null 2>&1 && [ -x "$venv/bin/pip" ]; then
  "$venv/bin/pip" install -q --disable-pip-version-check "aiosmtpd==$version"
  printf 'AIOSMTPD_PYTHON=%s\nAIOSMTPD_PYTHONPATH=\n' "$venv/bin/python" > "$envfile"
else
  rm -rf "$venv"
  "$python" -m pip install -q --disable-pip-version-check --target "$target" "aiosmtpd==$version"
  printf 'AIOSMTPD_PYTHON=%s\nAIOSMTPD_PYTHONPATH=%s\n' "$python" "$target" > "$envfile"
fi
