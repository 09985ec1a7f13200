#!/bin/sh
# Runs the Moat + LangChain4j chatbot sample. Offline (scripted model) unless OPENAI_API_KEY or
# OLLAMA_BASE_URL is set. Arguments are passed to the chatbot, e.g. ./run.sh --interactive
set -e
cd "$(dirname "$0")/../.."
exec ./mvnw -q -pl samples/chatbot-langchain4j -am package -Prun -DskipTests -Dexec.args="$*"
