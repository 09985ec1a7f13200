"""Eight tool calls at once: CrewAI's parallel native tool calls (up to 8 pool threads), and eight
Python threads calling guarded tools directly. Each call gets its own decision; none leaks into
another."""
from __future__ import annotations

import json
import threading
import time

from conftest import scripted_llm, tool_call, tool_messages
from test_crew import crew_of, workspace  # noqa: F401 - fixture
from tools import Counter, make_tools

import moat_crewai


def test_eight_parallel_native_calls_get_their_own_decisions(sidecar, workspace):  # noqa: F811
    c = Counter()
    t = make_tools(c, workspace)
    calls = []
    for i in range(8):
        if i % 2 == 0:
            calls.append(tool_call("echo", {"text": f"n{i}"}, f"p{i}"))
        else:
            calls.append(tool_call("read_file", {"path": f"secrets/{i}.txt"}, f"p{i}"))
    llm = scripted_llm([calls, "final"])
    crew = crew_of(llm, [t["echo"], t["read_file"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    crew.kickoff()
    shown = tool_messages(llm)
    assert len(shown) == 8
    for i, text in enumerate(shown):
        if i % 2 == 0:
            assert text == f"echo:n{i}"
        else:
            # the model reads stage and code only; which call it was is in the audit log
            assert text.endswith("(capability/not_granted)") and "secrets/" not in text
    assert (c["echo"], c["read_file"]) == (4, 0)
    wanted = {f"tool://read_file/secrets/{i}.txt" for i in range(1, 8, 2)}
    audit = sidecar.workdir / "home" / "audit.jsonl"
    denied: set[str] = set()
    deadline = time.monotonic() + 10
    while not wanted <= denied and time.monotonic() < deadline:
        for line in audit.read_text(encoding="utf-8").splitlines():
            event = json.loads(line).get("event", {})
            if event.get("type") == "decision" and event.get("reasonCode") == "not_granted":
                denied.add(event.get("resource"))
        time.sleep(0.05)
    assert wanted <= denied, f"each denied call has its own decision entry: missing {sorted(wanted - denied)}"


def test_eight_threads_calling_guarded_tools_directly(sidecar, workspace):  # noqa: F811
    c = Counter()
    t = make_tools(c, workspace)
    crew = crew_of(scripted_llm(["x"]), [t["echo"], t["write_note"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    errors: list[str] = []
    denied = [0]
    lock = threading.Lock()

    def worker(k: int) -> None:
        for j in range(20):
            try:
                if j % 5 == 4:
                    try:
                        t["write_note"].run(text="x")
                        errors.append("write_note ran")
                    except moat_crewai.MoatDenied:
                        with lock:
                            denied[0] += 1
                else:
                    out = t["echo"].run(text=f"{k}-{j}")
                    if out != f"echo:{k}-{j}":
                        errors.append(out)
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert errors == []
    assert c["echo"] == 8 * 16 and c["write_note"] == 0 and denied[0] == 8 * 4
