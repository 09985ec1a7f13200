#!/usr/bin/env bash
# Issue 13 benchmarks in one JMH run, so every ratio compares numbers from the same run.
# Usage (from the repository root):
#   ./mvnw -B -ntp package -pl moat-bench -am -DskipTests    # once
#   moat-bench/scripts/run-issue13.sh [extra JMH options]     # e.g. -prof gc
# Short iterations by default (the build machine is shared); for a quiet machine pass longer ones,
# e.g. -wi 3 -i 5 -w 2s -r 2s. Results: moat-bench/target/issue13.txt (and .json).
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=moat-bench/target/benchmarks.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B -ntp package -pl moat-bench -am -DskipTests" >&2; exit 2; }
{ echo "# $(date -u +%FT%TZ) $(uname -srm), nproc $(nproc), load: $(uptime | sed 's/.*load average: //')"; java -version 2>&1 | head -1; } \
    | tee moat-bench/target/issue13.txt
java -jar "$jar" 'GuardBenchmark|RouteBenchmark|GuardThreadsBenchmark|TokenBenchmark.isActionAllowed' \
    -f 1 -wi 2 -i 3 -w 1s -r 1s -rf json -rff moat-bench/target/issue13.json "$@" | tee -a moat-bench/target/issue13.txt
echo "# load after: $(uptime | sed 's/.*load average: //')" | tee -a moat-bench/target/issue13.txt
