#!/usr/bin/env bash
# Debian's Prometheus (promtool, for the alerting-rule tests) and Alertmanager (the alert e-mail end-to-end test).
# The tests run their own Prometheus and Alertmanager on private ports with configuration they generate: the Debian
# services the packages come with are stopped and disabled right after install, so nothing keeps listening on 9090/9093.
set -euo pipefail
here=$(dirname "$0")
installed=0
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  bash "$here/ensure-debian-package.sh" prometheus 'command -v promtool && command -v prometheus'
  installed=1
fi
if ! command -v prometheus-alertmanager >/dev/null 2>&1; then
  bash "$here/ensure-debian-package.sh" prometheus-alertmanager 'command -v prometheus-alertmanager'
  installed=1
fi
if [ "$installed" -eq 1 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
  for service in prometheus prometheus-alertmanager prometheus-node-exporter; do
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
      $SUDO systemctl disable --now "$service" >/dev/null 2>&1 || true
    else
      if [ -x "/etc/init.d/$service" ]; then $SUDO "/etc/init.d/$service" stop >/dev/null 2>&1 || true; fi
      if command -v update-rc.d >/dev/null 2>&1; then $SUDO update-rc.d "$service" disable >/dev/null 2>&1 || true; fi
    fi
  done
fi
