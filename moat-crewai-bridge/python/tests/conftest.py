"""Fixtures: a real Moat sidecar (the built Java module, started with java -cp) and a scripted LLM
that drives real CrewAI offline."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

os.environ.setdefault("CREWAI_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OTEL_SDK_DISABLED", "true")
os.environ.setdefault("CREWAI_TRACING_ENABLED", "false")

MODULE = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("MOAT_BRIDGE_TARGET", MODULE / "target"))
ROOT = MODULE.parent

POLICY = """\
version: 1
id: crewai-tests
home: home
agents:
  - {name: owner, key: keys/owner.key}
  - {name: researcher, key: keys/researcher.key}
  - {name: writer, key: keys/writer.key}
trusted_roots: [owner]
grants:
  - issuer: owner
    subject: researcher
    allow:
      - {resource: "tool://fetch_page", actions: [execute]}
      - {resource: "tool://read_file/workspace/**", actions: [execute]}
      - {resource: "tool://count_call", actions: [execute]}
      - {resource: "tool://echo", actions: [execute]}
      - {resource: "tool://mcp.add", actions: [execute]}
      - {resource: "tool://pay", actions: [execute]}
    valid_for: 8h
  - issuer: owner
    subject: writer
    allow:
      - {resource: "tool://write_note", actions: [execute]}
    valid_for: 8h
router: {rate_limit: 100000, rate_window: 1s}
tools:
  pay:
    arguments:
      - {path: amount, required: true, min: "0.1", max: "10000"}
"""


def classpath() -> str:
    cp = (TARGET / "classpath.txt").read_text().strip()
    return os.pathsep.join([str(TARGET / "classes"), str(TARGET / "test-classes"), cp])


class Sidecar:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.secret = workdir / "bridge.json"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> "Sidecar":
        (self.workdir / "keys").mkdir(parents=True, exist_ok=True)
        subprocess.run(["java", "-cp", classpath(), "dev.moat.bridge.testing.WriteKeys", str(self.workdir / "keys"),
                        "owner", "researcher", "writer"], check=True, timeout=60)
        (self.workdir / "moat.yaml").write_text(POLICY)
        self.proc = subprocess.Popen(
            ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath(), "dev.moat.bridge.BridgeMain",
             "--policy", str(self.workdir / "moat.yaml"), "--secret-file", str(self.secret),
             "--path-argument", "read_file=path"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        assert "listening on" in line, line
        return self

    def client(self, timeout: float = 5.0):
        from moat_crewai import MoatClient
        return MoatClient.from_file(str(self.secret), timeout=timeout)

    def pause(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.resume()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="session")
def sidecar(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sidecar]:
    s = Sidecar(tmp_path_factory.mktemp("sidecar")).start()
    yield s
    s.stop()


@pytest.fixture()
def own_sidecar(tmp_path: Path) -> Iterator[Sidecar]:
    """A sidecar of its own, for tests that pause or stop it."""
    s = Sidecar(tmp_path).start()
    yield s
    s.stop()


@pytest.fixture(autouse=True)
def _no_leftover_hooks() -> Iterator[None]:
    yield
    from crewai.hooks import clear_all_global_hooks
    clear_all_global_hooks()


def tool_call(name: str, args: dict[str, Any], call_id: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}


def scripted_llm(steps: list[Any]):
    """A real crewai BaseLLM whose call() replays ``steps``: a list of tool calls (native tool
    calling) or a final answer string. Once the script is spent it answers "done"."""
    from crewai.llms.base_llm import BaseLLM

    class ScriptedLLM(BaseLLM):
        def call(self, messages: Any, tools: Any = None, callbacks: Any = None, available_functions: Any = None,
                 from_task: Any = None, from_agent: Any = None, response_model: Any = None) -> Any:
            self.seen.append(messages)
            step = self.script.pop(0) if self.script else "done"
            return step(tools) if callable(step) else step

        def supports_function_calling(self) -> bool:
            return True

    llm = ScriptedLLM(model="scripted")
    object.__setattr__(llm, "script", list(steps))
    object.__setattr__(llm, "seen", [])
    return llm


def tool_messages(llm: Any) -> list[str]:
    """The tool results the LLM was shown, in order."""
    out: list[str] = []
    seen_ids: set[str] = set()
    for msgs in llm.seen:
        if isinstance(msgs, list):
            for m in msgs:
                if isinstance(m, dict) and m.get("role") == "tool" and m.get("tool_call_id") not in seen_ids:
                    seen_ids.add(m.get("tool_call_id"))
                    out.append(str(m.get("content")))
    return out
