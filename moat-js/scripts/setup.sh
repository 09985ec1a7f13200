#!/usr/bin/env bash
# Idempotent setup of moat-js: installs the pinned dev dependency (TypeScript) from the committed
# lockfile when node_modules is missing or older than package-lock.json, then compiles src/ to dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null || { echo "moat-js: node (20 or later) is required" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "moat-js: node 20 or later is required, found $(node --version)" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ ! -e node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
rm -rf dist
node node_modules/typescript/bin/tsc -p tsconfig.json
echo "moat-js: built dist/ with TypeScript $(node -p 'require("./node_modules/typescript/package.json").version')"
