#!/bin/sh
# Runs the Moat + Spring AI chatbot sample (Spring Boot app, scripted model, offline).
set -e
cd "$(dirname "$0")/../.."
exec ./mvnw -q -pl samples/chatbot-spring-ai -am package -Prun -DskipTests -Dmoat.foreign.skip=true -Dexec.args="$*"
