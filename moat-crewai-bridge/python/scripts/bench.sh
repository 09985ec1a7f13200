#!/usr/bin/env bash
# Benchmark: one decision round trip from Python through the sidecar vs one in-process guarded
# call, measured in the same run on the same policy; then decisions/s with 8 Python threads.
# Needs the venv (scripts/setup.sh) and the module's classes:
#   ./mvnw -B -ntp -q process-test-classes -pl moat-crewai-bridge -am
#   moat-crewai-bridge/python/scripts/bench.sh [WARMUP N SECONDS]     (default 3000 3000 10)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$here/../target"
py="$here/.venv/bin/python"
warmup="${1:-3000}" n="${2:-3000}" seconds="${3:-10}"
cp="$target/classes:$target/test-classes:$(cat "$target/classpath.txt")"
work="$(mktemp -d "${TMPDIR:-/tmp}/moat-bridge-bench.XXXXXX")"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export CREWAI_DISABLE_TELEMETRY=true OTEL_SDK_DISABLED=true CREWAI_TRACING_ENABLED=false

policy() { # $1: folder
  mkdir -p "$1/keys"
  cp "$work/keys/"*.key "$1/keys/"
  cat >"$1/moat.yaml" <<YAML
version: 1
id: bridge-bench
home: home
agents:
  - {name: owner, key: keys/owner.key}
  - {name: researcher, key: keys/researcher.key}
trusted_roots: [owner]
grants:
  - {issuer: owner, subject: researcher, allow: [{resource: "tool://echo", actions: [execute]}], valid_for: 8h}
router: {rate_limit: 1000000, rate_window: 1s}
YAML
}
java -cp "$cp" dev.moat.bridge.testing.WriteKeys "$work/keys" owner researcher
policy "$work/inproc"
policy "$work/inproc2"
policy "$work/sidecar"

echo "machine: $(nproc) vCPU, $(java -version 2>&1 | head -n1), $("$py" --version)"
inproc() { # $1: a fresh policy folder (its own replay state)
  java -XX:+UseSerialGC -cp "$cp" dev.moat.bridge.bench.InProcessGuard "$1/moat.yaml" "$warmup" "$n"
}
before="$(inproc "$work/inproc")"
echo "{\"case\":\"java_in_process_guard_call\",${before#\{}"

java -XX:+UseSerialGC -cp "$cp" dev.moat.bridge.BridgeMain --policy "$work/sidecar/moat.yaml" \
  --secret-file "$work/bridge.json" >"$work/bridge.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do [ -f "$work/bridge.json" ] && break; sleep 0.1; done
"$py" "$here/scripts/bench.py" "$work/bridge.json" "$warmup" "$n" "$seconds" | tee "$work/py.jsonl"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
after="$(inproc "$work/inproc2")"  # again after, on a machine shared with other work: the faster run is the baseline
echo "{\"case\":\"java_in_process_guard_call_again\",${after#\{}"
"$py" - "$before" "$after" "$work/py.jsonl" <<'PY'
import json, sys
base = min(json.loads(sys.argv[1])["median_us"], json.loads(sys.argv[2])["median_us"])
for line in open(sys.argv[3]):
    r = json.loads(line)
    if "median_us" in r:
        print(f"ratio {r['case']}: {r['median_us'] / base:.2f}x the in-process guarded call (medians)")
PY
