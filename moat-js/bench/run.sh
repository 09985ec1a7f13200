#!/usr/bin/env bash
# Token verify and message verify in Node (@moat/core) and in Java (moat-core), alternately in the
# same run, with the same setup, iterations and raw Ed25519 baselines (bench/verify.mjs and
# bench/VerifyHarness.java); JMH=1 adds moat-bench's JMH benchmarks of the same operations.
# Needs the benchmark jar: ./mvnw -q -pl moat-bench -am package -DskipTests (from the repository root).
#   bash moat-js/bench/run.sh            ROUNDS=2 by default
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
echo "== machine: $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "${ROUNDS:-2}"); do
  echo "== round $round, Node: @moat/core"
  node bench/verify.mjs
  echo "== round $round, Java: moat-core (same harness)"
  java -cp ../moat-bench/target/benchmarks.jar bench/VerifyHarness.java
done
if [ "${JMH:-0}" = 1 ]; then
  echo "== Java: moat-core (JMH, java $(java -version 2>&1 | head -1 | cut -d'"' -f2))"
  java -jar ../moat-bench/target/benchmarks.jar \
    'TokenBenchmark\.(tokenVerify|rawVerify)|MessageBenchmark\.(messageVerifyWire|rawVerify)' \
    -f 1 -wi 3 -i 5 -w 2s -r 2s -tu us -bm avgt 2>&1 | sed -n '/^Benchmark/,$p'
fi
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
