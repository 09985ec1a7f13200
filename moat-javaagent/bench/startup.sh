#!/bin/sh
# Start-up cost of the Moat agent: N rounds of whole runs of samples/legacy-app (a full LangChain4j
# chat with three tool calls, then exit), plain and with -javaagent:moat-agent.jar=config=moat.yaml,
# alternating within each round. With MOAT_AGENT_BASELINE=<another moat-agent.jar> each round also
# runs that jar (e.g. one built from an older commit), for an A/B comparison in the same run, with
# MOAT_AGENT_BASELINE_CONFIG (default moat.yaml, relative to samples/legacy-app) as its policy.
# Prints min and median wall time (ms) of each and the median differences, plus the load average.
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
baseline="${MOAT_AGENT_BASELINE:-}"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
run() { t0=$(ms); "$java_cmd" "$@" -cp "$cp" com.example.legacy.SupportApp >/dev/null 2>&1 || { echo "startup.sh: a run failed: $*" >&2; exit 1; }; echo $(( $(ms) - t0 )); }
plain=""; guarded=""; base=""
load0="$(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ "$i" -lt "$n" ]; do
  plain="$plain $(run)"
  guarded="$guarded $(run "$agent")"
  if [ -n "$baseline" ]; then
    base="$base $(run "-javaagent:$baseline=config=${MOAT_AGENT_BASELINE_CONFIG:-moat.yaml}")"
  fi
  i=$((i + 1))
done
sorted() { echo "$1" | tr ' ' '\n' | grep . | sort -n; }
med() { sorted "$1" | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
stats() { echo "min $(sorted "$1" | head -1) ms, median $(med "$1") ms"; }
echo "java: $("$java_cmd" -version 2>&1 | head -1); rounds: $n"
echo "plain:          $(stats "$plain")"
echo "with agent:     $(stats "$guarded")   added: median $(awk -v a="$(med "$guarded")" -v b="$(med "$plain")" 'BEGIN {print a - b}') ms"
if [ -n "$baseline" ]; then
  echo "baseline agent: $(stats "$base")   added: median $(awk -v a="$(med "$base")" -v b="$(med "$plain")" 'BEGIN {print a - b}') ms ($baseline)"
fi
echo "load average: before $load0, after $(cut -d' ' -f1-3 /proc/loadavg)"
