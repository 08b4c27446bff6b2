#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh machine: installs what it needs (idempotently),
# checks types and schemas, then runs unit, integration (real Kafka + PostgreSQL) and end-to-end tests.
# Jest's global set-up starts Kafka and PostgreSQL on test ports and stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/ensure-node-deps.sh
bash scripts/ensure-java.sh
bash scripts/ensure-postgres.sh
bash scripts/ensure-xmlsec1.sh
echo "== typecheck and lint"
npx tsc --noEmit -p tsconfig.json
npx eslint --max-warnings=50 .
echo "== schema compatibility"
npm run --silent schemas:check
echo "== tests"
npx jest --selectProjects unit --maxWorkers=2
npx jest --selectProjects integration e2e --runInBand "$@"
