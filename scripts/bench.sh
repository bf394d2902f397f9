#!/usr/bin/env bash
# `npm run bench -- <name> [args]`: runs bench/<name>.ts (TypeScript through
# Backstage's node transform). Benchmarks print their figures beside a
# baseline measured in the same run; they are not part of `npm test`.
set -euo pipefail
name="${1:?usage: npm run bench -- <name> [args]; names: $(ls bench | sed 's/\.ts$//' | tr '\n' ' ')}"
shift
exec node --require @backstage/cli-node/config/nodeTransform.cjs "bench/$name.ts" "$@"
