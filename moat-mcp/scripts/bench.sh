#!/usr/bin/env bash
# Scripted benchmark: latency Moat's MCP proxy adds per tools/call over a direct client-server round
# trip, measured in the same run, and calls per second. Rebuilds moat.jar when stale (via ./moat), makes a throw-away
# home with two identities and a policy (audit batched, rate limit off), runs bench.mjs.
#   moat-mcp/scripts/bench.sh [calls-per-round] [rounds]
set -euo pipefail
mod="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$mod/.." && pwd)"
bash "$mod/scripts/setup.sh"
jar="$root/moat-cli/target/moat.jar"
"$root/moat" --version >/dev/null   # the launcher rebuilds moat.jar when it is missing or stale
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
work="$(mktemp -d "${TMPDIR:-/tmp}/moat-mcp-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
for n in owner assistant; do "$java_cmd" -jar "$jar" --home "$work/.moat" --init identity generate --name "$n" >/dev/null; done
cat > "$work/moat.yaml" <<YAML
version: 1
id: mcp-bench
home: .moat
agents:
  - {name: owner, key: .moat/keys/owner.key}
  - {name: assistant, key: .moat/keys/assistant.key}
trusted_roots: [owner]
grants:
  - {issuer: owner, subject: assistant, allow: [{resource: "tool://mcp/bench/*", actions: [execute]}], valid_for: 1h}
router: {rate_limit: 1000000}
audit: {durability: batched}
YAML
proxy="[\"$java_cmd\",\"-jar\",\"$jar\",\"mcp\",\"proxy\",\"--policy\",\"$work/moat.yaml\",\"--agent\",\"assistant\",\"--server\",\"bench\"]"
echo "machine: $(nproc) vCPU, $(uname -sr), $("$java_cmd" -version 2>&1 | head -1), node $(node --version)"
node "$mod/src/test/node/bench.mjs" "$proxy" "${1:-2000}" "${2:-5}"
