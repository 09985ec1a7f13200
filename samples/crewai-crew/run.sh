#!/usr/bin/env bash
# The CrewAI sample: starts `moat bridge serve` on a fresh policy and runs crew.py against it.
# Set-up once: moat-crewai-bridge/python/scripts/setup.sh (a venv with crewai and moat-crewai).
#   MOAT_SAMPLE_KEEP=1  keep the work folder (keys, policy, audit log) and print where it is
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py="$root/moat-crewai-bridge/python/.venv/bin/python"
if [ ! -x "$py" ]; then
  echo "crewai-crew: no venv yet; run: moat-crewai-bridge/python/scripts/setup.sh" >&2
  exit 3
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/moat-crew.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ "${MOAT_SAMPLE_KEEP:-}" = "1" ]; then echo "crewai-crew: work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir -p "$work/workspace" "$work/private"
printf 'Moat keeps private keys in the sidecar; Python only names the agent it acts for.\n' >"$work/workspace/notes.md"
printf 'db-password=hunter2-do-not-share\n' >"$work/private/credentials.txt"
for name in owner researcher writer; do
  "$root/moat" --home "$work/.moat" --init identity generate --name "$name" >/dev/null
done
cp "$here/moat.yaml" "$work/moat.yaml"

"$root/moat" --home "$work/.moat" bridge serve --policy "$work/moat.yaml" --secret-file "$work/.moat/bridge.json" \
  --path-argument read_file=path >"$work/bridge.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
  [ -f "$work/.moat/bridge.json" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/bridge.log" >&2; exit 3; }
  sleep 0.1
done
[ -f "$work/.moat/bridge.json" ] || { echo "crewai-crew: the sidecar did not start" >&2; cat "$work/bridge.log" >&2; exit 3; }
echo "moat: $(head -n1 "$work/bridge.log")"

cd "$work"
MOAT_BRIDGE_FILE="$work/.moat/bridge.json" MOAT_SAMPLE_DIR="$work" \
  CREWAI_DISABLE_TELEMETRY=true OTEL_SDK_DISABLED=true CREWAI_TRACING_ENABLED=false \
  "$py" "$here/crew.py" "$@" 2> >(grep -v -e DeprecationWarning -e '^  ' >&2)
