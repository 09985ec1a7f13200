#!/usr/bin/env bash
# Rebuilds the checked-in skills in wasm/ from wat/ (wabt) and c/ (clang + lld + wasi-libc).
# Needs: apt-get install -y wabt clang lld wasi-libc libclang-rt-14-dev-wasm32
# The Java build and tests never call this: they load the checked-in .wasm files.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p wasm
for f in wat/*.wat; do
  name=$(basename "$f" .wat)
  wat2wasm "$f" -o "wasm/$name.wasm"
done
for f in c/*.c; do
  name=$(basename "$f" .c)
  clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror -Wl,--strip-all -o "wasm/$name.wasm" "$f"
done
ls -l wasm
