#!/usr/bin/env bash
# Installs npm dependencies when package-lock.json or patches/ (patch-package, applied by npm's postinstall) changed
# since the last install (idempotent, quick when nothing changed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
stamp=node_modules/.korpu-lock-hash
want=$(cat package-lock.json patches/*.patch 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
echo "[deps] installing npm dependencies" >&2
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
