#!/usr/bin/env bash
# `npm start`: the app on :3000 and the backend on :7007, data under .data/.
set -euo pipefail
mkdir -p .data/sqlite
exec yarn dev "$@"
