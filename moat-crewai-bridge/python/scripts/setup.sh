#!/usr/bin/env bash
# Creates (or reuses) the virtual environment for the moat-crewai tests: pinned crewai and pytest,
# plus this package in editable mode. Idempotent: a venv whose stamp matches the pins is reused.
#   MOAT_PYTHON   the interpreter to build the venv from (default: python3; crewai needs 3.10-3.13)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.venv"
pins="crewai==1.15.30 pytest==9.2.0 mcp==1.30.0"
stamp="$venv/.moat-pins"
python="${MOAT_PYTHON:-python3}"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pins" ] && "$venv/bin/python" -c '
import importlib.metadata as m, importlib.util as u
assert m.version("crewai") == "1.15.30" and u.find_spec("moat_crewai") and u.find_spec("pytest") and u.find_spec("mcp")
' 2>/dev/null; then
  echo "moat-crewai: venv up to date ($venv)"
  exit 0
fi
echo "moat-crewai: creating venv in $venv ($pins); this takes about a minute the first time"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check $pins
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e "$here"
echo "$pins" >"$stamp"
echo "moat-crewai: venv ready"
