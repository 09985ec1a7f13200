#!/bin/sh
# CPU time the Moat agent's premain holds the main thread before the application's main: N runs of
# samples/legacy-app with -javaagent under async-profiler (CPU samples every 1 ms, per thread), and
# for each run the samples of the main thread under the JDK's premain call, i.e. milliseconds of
# CPU. With JAVA_HOME a JDK other than the default, with MOAT_AGENT_JAR another agent jar (e.g. one
# built from an older commit). Prints each run and the median.
# Usage: ASYNC_PROFILER=/path/to/libasyncProfiler.so moat-javaagent/bench/premain-profile.sh [N]
#        (async-profiler 4.x, e.g. tools.profiler:async-profiler:4.1:jar:linux-x64 from Maven Central; default N 3)
set -e
n="${1:-3}"
lib="${ASYNC_PROFILER:-}"
[ -f "$lib" ] || { echo "premain-profile.sh: set ASYNC_PROFILER to async-profiler's libasyncProfiler.so" >&2; exit 1; }
root="$(cd "$(dirname "$0")/../.." && pwd)"
app="$root/samples/legacy-app"
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="${MOAT_AGENT_JAR:-$root/moat-javaagent/target/moat-agent.jar}"
"$app/run.sh" plain >/dev/null 2>&1 || { echo "premain-profile.sh: samples/legacy-app/run.sh failed" >&2; exit 1; }
cd "$app"
cp="$app/target/classes:$(cat "$app/target/classpath.txt")"
out="$(mktemp -d "${TMPDIR:-/tmp}/moat-premain.XXXXXX")"
trap 'rm -rf "$out"' EXIT
trap 'exit 1' INT TERM
echo "java: $("$java_cmd" -version 2>&1 | head -1); agent: $jar; runs: $n"
all=""
i=1
while [ "$i" -le "$n" ]; do
  "$java_cmd" "-agentpath:$lib=start,event=cpu,interval=1ms,threads,collapsed,file=$out/run$i.collapsed" \
    "-javaagent:$jar=config=moat.yaml" -cp "$cp" com.example.legacy.SupportApp >/dev/null 2>&1 \
    || { echo "premain-profile.sh: run $i failed" >&2; exit 1; }
  # the main thread is the one that runs premain (named main, or DestroyJavaVM once main has returned)
  ms="$(grep 'loadClassAndStartAgent' "$out/run$i.collapsed" | awk '{s += $NF} END {print s + 0}')"
  echo "run $i: premain ${ms} ms of CPU"
  all="$all $ms"
  i=$((i + 1))
done
echo "median: $(echo "$all" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}') ms of CPU"
