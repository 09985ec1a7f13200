#!/usr/bin/env bash
# `./moat demo mcp`: installs the pinned npm packages (once), creates the sample's identities (once),
# then runs demo.mjs, which starts `moat mcp proxy` in front of server-filesystem as a client would.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command -v node >/dev/null || { echo "demo mcp: node (20+) is required" >&2; exit 1; }
if [ ! -d "$here/node_modules/@modelcontextprotocol/server-filesystem" ]; then
  echo "demo mcp: installing @modelcontextprotocol/sdk and server-filesystem (npm ci)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
for name in owner assistant; do
  if [ ! -f "$here/.moat/keys/$name.key" ]; then
    "$root/moat" --home "$here/.moat" --init identity generate --name "$name" >/dev/null
  fi
done
exec node "$here/demo.mjs" "$@"
