#!/bin/sh
# The Java agent's own part of a guarded call, from CPU samples: one JMH fork each of
# AgentOverheadBenchmark.agentDirectCall and guardDirect (through agent-overhead.sh, with -javaagent)
# under async-profiler; the samples of the benchmark thread are split into the Guard's work
# (Guard.decide, Guard.recordOutcome: signing, PEP, audit) and everything else on the call path
# (through the agent: the woven code, the bridge, the dispatcher, argument JSON and
# canonicalisation, the tool rule, the body; directly: building the ToolCall, the body). The
# agent's own part is the first "outside" time minus the second. End-to-end
# comparisons of forks cannot resolve a microsecond against the guard's ~50 us (see
# agent-overhead-paired.sh); samples of one fork can.
# Usage: ASYNC_PROFILER=/path/to/libasyncProfiler.so moat-bench/scripts/agent-own-share.sh [JMH options]
#        (async-profiler 4.x, e.g. tools.profiler:async-profiler:4.1:jar:linux-x64 from Maven Central;
#        default JMH options: -f 1 -wi 3 -i 5 -w 2 -r 3)
set -e
here="$(cd "$(dirname "$0")" && pwd)"
lib="${ASYNC_PROFILER:-}"
[ -f "$lib" ] || { echo "agent-own-share.sh: set ASYNC_PROFILER to async-profiler's libasyncProfiler.so" >&2; exit 1; }
if [ $# -eq 0 ]; then
  set -- -f 1 -wi 3 -i 5 -w 2 -r 3
fi
out="$(mktemp -d "${TMPDIR:-/tmp}/moat-agent-share.XXXXXX")"
trap 'rm -rf "$out"' EXIT
trap 'exit 1' INT TERM
share() { # benchmark $1, then the JMH options: prints "score outside_fraction", and a line on stderr
  b="$1"; shift
  "$here/agent-overhead.sh" "AgentOverheadBenchmark.$b\$" "$@" -rf csv -rff "$out/$b.csv" \
    -prof "async:libPath=$lib;output=collapsed;dir=$out/$b;interval=1000000" >"$out/$b.log" 2>&1 \
    || { echo "agent-own-share.sh: the $b run failed:" >&2; tail -20 "$out/$b.log" >&2; exit 1; }
  samples="$(find "$out/$b" -name 'collapsed-cpu.csv' | head -1)"
  [ -n "$samples" ] || { echo "agent-own-share.sh: async-profiler wrote no samples for $b" >&2; exit 1; }
  score="$(awk -F, 'NR == 2 {print $5}' "$out/$b.csv")"
  grep "${b}_avgt_jmhStub" "$samples" | awk -v b="$b" -v score="$score" '
    { n = $NF; total += n
      if ($0 ~ /dev\/moat\/guard\/Guard\.(decide|recordOutcome)[; ]/) guard += n; else rest += n }
    END {
      if (total == 0) { print "agent-own-share.sh: no samples of " b > "/dev/stderr"; exit 1 }
      printf "%s: %.2f us/op (profiled); %d samples on the call path, %.1f %% in the Guard (decide, recordOutcome), %.2f %% outside it\n", b, score, total, 100 * guard / total, 100 * rest / total > "/dev/stderr"
      printf "%s %s\n", score, rest / total
    }'
}
echo "java: $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1); JMH: $*; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
a="$(share agentDirectCall "$@")"
d="$(share guardDirect "$@")"
echo "$a $d" | awk '{ own = $1 * $2 - $3 * $4
  printf "outside the Guard: through the agent %.2f us, directly %.2f us (building the ToolCall, the body); the agent'"'"'s own part: %.2f us per call\n", $1 * $2, $3 * $4, own }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
