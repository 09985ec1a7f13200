#!/usr/bin/env bash
# Token verify and message verify in Node (@moat/core) and in Java (moat-core, JMH), one after the
# other in the same run, with the same setup, iterations and raw Ed25519 baselines.
# Needs the benchmark jar: ./mvnw -q -pl moat-bench -am package -DskipTests (from the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
echo "== machine: $(nproc) vCPU, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Node: @moat/core"
node bench/verify.mjs
echo "== Java: moat-core, the same harness (bench/VerifyHarness.java)"
java -cp ../moat-bench/target/benchmarks.jar bench/VerifyHarness.java
echo "== Java: moat-core (JMH, java $(java -version 2>&1 | head -1 | cut -d'"' -f2))"
java -jar ../moat-bench/target/benchmarks.jar \
  'TokenBenchmark\.(tokenVerify|rawVerify)|MessageBenchmark\.(messageVerifyWire|rawVerify)' \
  -f 1 -wi 3 -i 5 -w 2s -r 2s -tu us -bm avgt 2>&1 | sed -n '/^Benchmark/,$p'
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
