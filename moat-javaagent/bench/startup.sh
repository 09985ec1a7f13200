#!/bin/sh
# Start-up cost of the Moat agent: N paired runs of samples/legacy-app (a full LangChain4j chat with
# three tool calls, then exit), plain and with -javaagent:moat-agent.jar=config=moat.yaml, alternating.
# Prints min and median wall time (ms) of each and the median difference.
# Usage: moat-javaagent/bench/startup.sh [N]    (default 10; builds what is missing via run.sh)
set -e
n="${1:-10}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
app="$root/samples/legacy-app"
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$app/run.sh" plain >/dev/null 2>&1 || { echo "startup.sh: samples/legacy-app/run.sh failed" >&2; exit 1; }
cd "$app"
cp="$app/target/classes:$(cat "$app/target/classpath.txt")"
agent="-javaagent:$root/moat-javaagent/target/moat-agent.jar=config=moat.yaml"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
plain=""; guarded=""
i=0
while [ "$i" -lt "$n" ]; do
  t0=$(ms); "$java_cmd" -cp "$cp" com.example.legacy.SupportApp >/dev/null 2>&1; t1=$(ms)
  "$java_cmd" "$agent" -cp "$cp" com.example.legacy.SupportApp >/dev/null 2>&1; t2=$(ms)
  plain="$plain $((t1 - t0))"; guarded="$guarded $((t2 - t1))"
  i=$((i + 1))
done
stats() { echo "$1" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "min %d ms, median %d ms", a[1], m}'; }
med() { echo "$1" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
echo "java: $("$java_cmd" -version 2>&1 | head -1); runs: $n pairs"
echo "plain:      $(stats "$plain")"
echo "with agent: $(stats "$guarded")"
echo "added: min $(awk -v a="$(echo "$guarded" | tr ' ' '\n' | grep . | sort -n | head -1)" -v b="$(echo "$plain" | tr ' ' '\n' | grep . | sort -n | head -1)" 'BEGIN {print a - b}') ms, median $(awk -v a="$(med "$guarded")" -v b="$(med "$plain")" 'BEGIN {print a - b}') ms"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
