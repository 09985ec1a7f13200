#!/usr/bin/env bash
# Installs the real MCP software the foreign tests and the benchmark drive: the official TypeScript
# SDK (client), @modelcontextprotocol/server-filesystem and server-everything, at the versions pinned
# in src/test/node/package-lock.json. Idempotent: does nothing when node_modules matches the lockfile.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../src/test/node" && pwd)"
command -v node >/dev/null || { echo "moat-mcp setup: node is required (Node 20+)" >&2; exit 1; }
command -v npm >/dev/null || { echo "moat-mcp setup: npm is required" >&2; exit 1; }
stamp="$dir/node_modules/.moat-lock.sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
