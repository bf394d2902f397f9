#!/usr/bin/env bash
# `npm test`: type-check, API reports, lint, formatting, unit and integration
# tests (SQLite and PostgreSQL), then the browser end-to-end tests in Debian's
# Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
step() { printf '\n== %s\n' "$*" >&2; }

step "system packages"
bash scripts/system-deps.sh

step "PostgreSQL"
source scripts/postgres-env.sh

step "type-check"
yarn tsc

step "API reports"
# Each package's API as checked in (report.api.md; cli-report.md for the
# CLI), read from the declarations the type-check just wrote to dist-types/.
# After a deliberate API change: npm run api-reports.
yarn build:api-reports:only --ci

step "OpenAPI routers up to date with their specs"
node scripts/openapi-spec.js --check plugins/pipelines-backend

step "lint"
yarn backstage-cli repo lint

step "formatting"
yarn prettier --check . >/dev/null || { yarn prettier --list-different .; exit 1; }

step "unit and integration tests"
# --ci: never fall into watch mode; Docker is not available for TestDatabases.
mkdir -p test-results
CI=true BACKSTAGE_TEST_DISABLE_DOCKER=1 yarn backstage-cli repo test \
  --json --outputFile="$ROOT/test-results/jest.json"

step "browser end-to-end tests"
rm -rf .data/e2e   # the browser tests start from an empty database
yarn playwright test

node scripts/test-summary.js test-results/jest.json test-results/e2e.json
