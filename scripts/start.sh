#!/usr/bin/env bash
# Runs Körpü for development from a fresh clone: dependencies, the development PKI, a local Kafka broker,
# an embedded database, the partner simulators and every app. Ctrl-C stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/ensure-node-deps.sh
# shellcheck source=use-node.sh
source scripts/use-node.sh
bash scripts/ensure-java.sh
bash scripts/ensure-slapd.sh
exec node -r @swc-node/register scripts/launch.ts
