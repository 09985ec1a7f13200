#!/bin/sh
# Runs the legacy app twice: plain (the injected transfer goes through), then with the Moat agent
# (the transfer is refused, the model reads why, everything is in the audit log). The app's pom
# does not mention Moat. Usage: samples/legacy-app/run.sh [plain|agent|both]   (default both)
set -e
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mode="${1:-both}"
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
agent_jar="$root/moat-javaagent/target/moat-agent.jar"

if [ ! -f "$agent_jar" ]; then
  echo "moat demo: building moat-agent.jar (./mvnw -q -pl moat-javaagent -am package -DskipTests)" >&2
  (cd "$root" && ./mvnw -q -pl moat-javaagent -am package -DskipTests)
fi
if [ ! -f "$here/target/classpath.txt" ]; then
  echo "moat demo: building the legacy app (its own pom, no Moat in it)" >&2
  (cd "$here" && "$root/mvnw" -q -f "$here/pom.xml" package)
fi
cd "$here"
if [ ! -f .moat/keys/assistant.key ]; then
  "$root/moat" --home .moat --init identity generate --name owner >/dev/null
  "$root/moat" --home .moat --init identity generate --name assistant >/dev/null
fi
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"

if [ "$mode" = plain ] || [ "$mode" = both ]; then
  echo "== plain: java -cp app com.example.legacy.SupportApp"
  "$java_cmd" -cp "$cp" com.example.legacy.SupportApp
  echo
fi
if [ "$mode" = agent ] || [ "$mode" = both ]; then
  echo "== with Moat: java -javaagent:moat-agent.jar=config=moat.yaml -cp app com.example.legacy.SupportApp"
  "$java_cmd" -javaagent:"$agent_jar"=config=moat.yaml -cp "$cp" com.example.legacy.SupportApp
  echo
  echo "== audit log: .moat/audit.jsonl ($(wc -l < .moat/audit.jsonl) entries; verify with: ./moat --home samples/legacy-app/.moat audit verify)"
fi
