#!/bin/sh
# Per-call overhead of the Moat Java agent beyond the guard itself: AgentOverheadBenchmark (JMH) in
# one forked JVM with -javaagent:moat-agent.jar, comparing a tool call through the agent's hook with
# the same Guard calls made directly, same run. Writes the two policies first (the agent reads its
# policy in premain). A first argument that is not an option is the benchmark regex (default: all
# of AgentOverheadBenchmark); the rest go to JMH (e.g. -wi 2 -i 3).
# Usage: moat-bench/scripts/agent-overhead.sh [BENCHMARK_REGEX] [JMH options]   (JMH_JAVA_OPTS: options of the JMH host JVM,
#        e.g. -Djmh.ignoreLock=true when another JMH run holds /tmp/jmh.lock)
# Needs: ./mvnw -B -ntp package -pl moat-bench,moat-javaagent -am -DskipTests
set -e
root="$(cd "$(dirname "$0")/../.." && pwd)"
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
bench="$root/moat-bench/target/benchmarks.jar"
agent="$root/moat-javaagent/target/moat-agent.jar"
for f in "$bench" "$agent"; do
  [ -f "$f" ] || { echo "agent-overhead.sh: $f is missing (./mvnw -B -ntp package -pl moat-bench,moat-javaagent -am -DskipTests)" >&2; exit 1; }
done
dir="$(mktemp -d "${TMPDIR:-/tmp}/moat-agent-bench.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
"$java_cmd" -cp "$bench" dev.moat.bench.AgentBenchPolicy "$dir"
cd "$dir"
echo "java: $("$java_cmd" -version 2>&1 | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
include=AgentOverheadBenchmark
case "${1:-}" in -*|"") ;; *) include="$1"; shift ;; esac # a first argument that is not an option selects the benchmarks
"$java_cmd" ${JMH_JAVA_OPTS:-} -jar "$bench" "$include" \
  -jvmArgsAppend "-javaagent:$agent=config=$dir/agent.yaml -Dmoat.bench.direct.policy=$dir/direct.yaml" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
