#!/bin/sh
# The Java agent's per-call overhead as paired differences: ROUNDS rounds, each one JMH fork of
# AgentOverheadBenchmark.agentDirectCall and one of guardDirect (through agent-overhead.sh, so both
# forks run with -javaagent), in alternating order (agent first in odd rounds). A slow minute of a
# shared machine then slows both members of a pair, which separate runs of 3 forks each cannot
# cancel. Prints each pair, the mean difference (agent - direct) and its 95 % confidence interval
# (Student's t over the rounds). Extra arguments go to JMH (default: -wi 4 -i 8 -w 2 -r 3).
# Usage: moat-bench/scripts/agent-overhead-paired.sh [ROUNDS] [JMH options]   (default 8 rounds)
# Needs: ./mvnw -B -ntp package -pl moat-bench,moat-javaagent -am -DskipTests
set -e
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${1:-8}"
[ $# -gt 0 ] && shift
[ "$rounds" -ge 2 ] 2>/dev/null || { echo "agent-overhead-paired.sh: ROUNDS must be a number of at least 2" >&2; exit 1; }
if [ $# -eq 0 ]; then
  set -- -wi 4 -i 8 -w 2 -r 3
fi
out="$(mktemp -d "${TMPDIR:-/tmp}/moat-agent-paired.XXXXXX")"
trap 'rm -rf "$out"' EXIT
trap 'exit 1' INT TERM
score() { # one fork of benchmark $1; prints its score (us/op)
  "$here/agent-overhead.sh" "AgentOverheadBenchmark.$1\$" -f 1 -rf csv -rff "$out/$1.csv" "$@" >"$out/$1.log" 2>&1 \
    || { echo "agent-overhead-paired.sh: the $1 fork failed:" >&2; tail -20 "$out/$1.log" >&2; exit 1; }
  awk -F, 'NR == 2 {print $5}' "$out/$1.csv"
}
echo "java: $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1); rounds: $rounds; JMH: $*; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
diffs=""
r=1
while [ "$r" -le "$rounds" ]; do
  if [ $((r % 2)) -eq 1 ]; then
    a="$(score agentDirectCall "$@")"; d="$(score guardDirect "$@")"
  else
    d="$(score guardDirect "$@")"; a="$(score agentDirectCall "$@")"
  fi
  diff="$(awk -v a="$a" -v d="$d" 'BEGIN {printf "%.3f", a - d}')"
  echo "round $r: through the agent $a us, directly $d us, difference $diff us"
  diffs="$diffs $diff"
  r=$((r + 1))
done
echo "$diffs" | tr ' ' '\n' | grep . | awk '
  {x[NR] = $1; s += $1}
  END {
    n = NR; m = s / n
    for (i = 1; i <= n; i++) v += (x[i] - m) ^ 2
    sd = sqrt(v / (n - 1))
    split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23 2.20 2.18 2.16 2.14 2.13 2.12 2.11 2.10 2.09", t, " ")
    q = (n - 1 <= 19) ? t[n - 1] : 2.05
    h = q * sd / sqrt(n)
    printf "agent - direct: mean %.2f us, sd %.2f us, 95%% confidence interval %.2f .. %.2f us (n = %d)\n", m, sd, m - h, m + h, n
  }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
