#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh machine: installs what it needs (idempotently),
# checks types and schemas, then runs unit, integration (real Kafka + PostgreSQL) and end-to-end tests.
# Jest's global set-up starts Kafka and PostgreSQL on test ports and stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/ensure-node-deps.sh
# shellcheck source=use-node.sh
source scripts/use-node.sh
bash scripts/ensure-java.sh
bash scripts/ensure-postgres.sh
bash scripts/ensure-xmlsec1.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-slapd.sh
bash scripts/ensure-prometheus.sh
bash scripts/ensure-aiosmtpd.sh
# helm and the manifest/compose validator for test/deploy (built once from the Go module proxy, then cached)
bash scripts/ensure-helm.sh >/dev/null
bash scripts/ensure-deploy-validator.sh >/dev/null
# Jaeger for test/observability/tracing.e2e-spec.ts (built once from the Go module proxy, then cached)
bash scripts/ensure-jaeger.sh >/dev/null
echo "== typecheck and lint"
npx tsc --noEmit -p tsconfig.json
npx tsc -p libs/admin-console/tsconfig.json
npx eslint --max-warnings=50 .
echo "== schema compatibility"
npm run --silent schemas:check
echo "== tests"
mkdir -p .local
rm -f .local/jest-*.json
status=0
npx jest --selectProjects unit --maxWorkers=2 --json --outputFile=.local/jest-unit.json || status=$?
if [ "$status" -eq 0 ]; then
  npx jest --selectProjects integration e2e --runInBand --json --outputFile=.local/jest-infra.json "$@" || status=$?
fi
# One plain closing line over both runs, for CI and humans.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of [".local/jest-unit.json", ".local/jest-infra.json"]) {
    if (!fs.existsSync(file)) continue;
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
'
exit "$status"
