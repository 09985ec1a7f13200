"""Real CrewAI tools for the tests; each counts how often its body really ran."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from crewai.tools import BaseTool, tool


class Counter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.runs: dict[str, int] = {}

    def hit(self, name: str) -> None:
        with self._lock:
            self.runs[name] = self.runs.get(name, 0) + 1

    def __getitem__(self, name: str) -> int:
        return self.runs.get(name, 0)


def make_tools(counter: Counter, base: Path) -> dict[str, Any]:
    class Echo(BaseTool):
        name: str = "echo"
        description: str = "Echo text back."

        def _run(self, text: str) -> str:
            counter.hit("echo")
            return "echo:" + text

    class ReadFile(BaseTool):
        name: str = "read_file"
        description: str = "Read a file below the working folder."

        def _run(self, path: str) -> str:
            counter.hit("read_file")
            return (base / path).read_text()

    class WriteNote(BaseTool):
        name: str = "write_note"
        description: str = "Write a note."

        def _run(self, text: str) -> str:
            counter.hit("write_note")
            return "written"

    @tool("count_call")
    def count_call(n: int) -> str:
        """Count one call (a function tool)."""
        counter.hit("count_call")
        return f"counted {n}"

    return {"echo": Echo(), "read_file": ReadFile(), "write_note": WriteNote(), "count_call": count_call}
