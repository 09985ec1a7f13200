#!/usr/bin/env bash
# Installs the real MCP software the foreign tests and the benchmark drive: the official TypeScript
# SDK (client), @modelcontextprotocol/server-filesystem and server-everything, at the versions pinned
# in src/test/node/package-lock.json, and the Python mcp client in target/mcp-venv. Idempotent:
# does nothing when node_modules and the venv match their lockfiles.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../src/test/node" && pwd)"
command -v node >/dev/null || { echo "moat-mcp setup: node is required (Node 20+)" >&2; exit 1; }
command -v npm >/dev/null || { echo "moat-mcp setup: npm is required" >&2; exit 1; }
stamp="$dir/node_modules/.moat-lock.sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

# The official Python SDK client (mcp, pinned with its dependencies in src/test/python/requirements.txt)
# in a venv under target/ (Python 3.10+).
venv="$(cd "$dir/../../.." && pwd)/target/mcp-venv"
req="$dir/../python/requirements.txt"
pystamp="$venv/.moat-requirements.sha256"
pywant="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -f "$pystamp" ] && [ "$(cat "$pystamp")" = "$pywant" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi
python="${MOAT_PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || { echo "moat-mcp setup: Python 3.10+ is required for the mcp client (set MOAT_PYTHON)" >&2; exit 1; }
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
echo "$pywant" > "$pystamp"
