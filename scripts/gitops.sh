#!/usr/bin/env bash
# `npm run --silent gitops -- <command> <dir>`: paths are relative to where npm was run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${INIT_CWD:-$PWD}"
exec node "$ROOT/packages/cli/bin/gitops" "$@"
