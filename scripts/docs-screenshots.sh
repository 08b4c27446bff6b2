#!/usr/bin/env bash
# Refreshes the pictures of docs/operators.md: runs the admin console's browser test with its screenshots saved in
# docs/images (instead of the OS temp folder). Sets up what the test needs, like scripts/test.sh does.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/ensure-node-deps.sh
# shellcheck source=use-node.sh
source scripts/use-node.sh
bash scripts/ensure-java.sh
bash scripts/ensure-postgres.sh
bash scripts/ensure-chromium.sh
mkdir -p docs/images
KORPU_SCREENSHOT_DIR="$root/docs/images" npx jest test/e2e/admin-console.e2e-spec.ts --selectProjects e2e --runInBand
