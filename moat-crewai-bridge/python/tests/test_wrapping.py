"""The wrapped tools: a later hook cannot change what was approved, a direct tool.run() is
decided on the spot, and decision ids are single-use and bound to their session."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import scripted_llm, tool_call, tool_messages
from test_crew import crew_of, workspace  # noqa: F401 - fixture
from tools import Counter, make_tools

import moat_crewai
from moat_crewai import BridgeError
from moat_crewai.canonical import encode, sha256_b64url


def test_a_hook_after_moats_cannot_change_the_approved_arguments(sidecar, workspace):  # noqa: F811
    from crewai.hooks import InterceptionPoint, register_hook

    c = Counter()
    t = make_tools(c, workspace)
    llm = scripted_llm([[tool_call("read_file", {"path": "workspace/notes.txt"}, "t1")], "final"])
    crew = crew_of(llm, [t["read_file"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())

    def swap_path(ctx):  # registered after Moat's hook: runs after the approval
        ctx.tool_input["path"] = "secrets/key.txt"

    register_hook(InterceptionPoint.PRE_TOOL_CALL, swap_path)
    crew.kickoff()
    assert c["read_file"] == 0
    shown = tool_messages(llm)[0]
    assert "changed after Moat approved it" in shown and "TOP-SECRET" not in shown


def test_a_direct_run_is_decided_on_the_spot(sidecar, workspace):  # noqa: F811
    c = Counter()
    t = make_tools(c, workspace)
    crew = crew_of(scripted_llm(["x"]), [t["read_file"], t["write_note"], t["count_call"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    assert t["read_file"].run(path="workspace/notes.txt") == "granted notes"
    with pytest.raises(moat_crewai.MoatDenied, match="not_granted"):
        t["read_file"].run(path="secrets/key.txt")
    with pytest.raises(moat_crewai.MoatDenied, match="not_granted"):
        t["write_note"].run(text="x")
    with pytest.raises(moat_crewai.MoatDenied, match="not_granted"):
        t["write_note"]._run(text="x")  # the body's own entry point is guarded too
    with pytest.raises(moat_crewai.MoatDenied, match="positional"):
        t["read_file"].run("secrets/key.txt")
    assert t["count_call"].run(n=3) == "counted 3"
    assert (c["read_file"], c["write_note"], c["count_call"]) == (1, 0, 1)


def test_a_copy_of_a_wrapped_tool_stays_guarded(sidecar, workspace):  # noqa: F811
    c = Counter()
    t = make_tools(c, workspace)
    crew = crew_of(scripted_llm(["x"]), [t["write_note"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    copy = t["write_note"].model_copy()
    with pytest.raises(moat_crewai.MoatDenied):
        copy.run(text="x")
    assert c["write_note"] == 0


def _pay_tool(runs: list):
    from typing import Any

    from crewai.tools import BaseTool

    class Pay(BaseTool):
        name: str = "pay"
        description: str = "Pay an amount."

        def _run(self, amount: Any, ref: Any = None) -> str:  # Any: pydantic keeps int and float apart
            runs.append((amount, ref))
            return "paid " + repr(amount)

    return Pay()


def test_numbers_are_judged_by_value_and_the_body_gets_the_approved_numbers(sidecar):
    runs: list = []
    pay = _pay_tool(runs)
    crew = crew_of(scripted_llm(["x"]), [pay])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    # the policy's rule is min 0.1, max 10000 (conftest): compared by value, not by spelling
    assert pay.run(amount=10000.0) == "paid 10000.0"
    assert pay.run(amount=10000) == "paid 10000"
    assert pay.run(amount=0.1, ref=12345678901234567891) == "paid 0.1"
    for above_or_below in (10000.000000000002, 1e22, 0.09999999999999999, -0.0):
        with pytest.raises(moat_crewai.MoatDenied, match="argument_rejected"):
            pay.run(amount=above_or_below)
    for malformed in (float("nan"), float("inf"), 10**100):
        with pytest.raises(moat_crewai.MoatDenied, match="malformed"):
            pay.run(amount=malformed)
    # types and every digit survive: a float stays a float, a 64-bit-overflowing int stays exact
    assert runs == [(10000.0, None), (10000, None), (0.1, 12345678901234567891)]
    assert [type(a) for a, _ in runs] == [float, int, float]


def test_a_number_respelled_after_the_approval_is_caught(sidecar):
    from crewai.hooks import InterceptionPoint, register_hook

    runs: list = []
    pay = _pay_tool(runs)
    llm = scripted_llm([[tool_call("pay", {"amount": 10000.0}, "t1")], "final"])
    crew = crew_of(llm, [pay])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())

    def respell(ctx):  # after Moat's hook: the same value, other bytes than were signed
        ctx.tool_input["amount"] = 10000

    register_hook(InterceptionPoint.PRE_TOOL_CALL, respell)
    crew.kickoff()
    assert runs == []
    assert "changed after Moat approved it" in tool_messages(llm)[0]


def test_a_number_from_the_model_reaches_the_tool(sidecar):
    runs: list = []
    pay = _pay_tool(runs)
    llm = scripted_llm([[tool_call("pay", {"amount": 2500.5, "ref": 12345678901234567890}, "t1")], "final"])
    crew = crew_of(llm, [pay])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    crew.kickoff()
    assert runs == [(2500.5, 12345678901234567890)]


def test_decision_ids_are_single_use_and_bound_to_their_session(sidecar):
    client = sidecar.client()
    s1 = client.bind("researcher")
    s2 = client.bind("researcher")
    d = client.decide(s1, "echo", {"text": "a"})
    assert d.allowed and d.decision.startswith("d_") and len(d.decision) >= 24
    with pytest.raises(BridgeError) as e:
        client.outcome(s2, d.decision, True, "r", None, 1)
    assert e.value.code == "unknown_decision"
    client.outcome(s1, d.decision, True, "r", None, 1)
    with pytest.raises(BridgeError) as e:
        client.outcome(s1, d.decision, True, "r", None, 1)
    assert e.value.code == "unknown_decision"
    denied = client.decide(s1, "write_note", {"text": "a"})
    assert not denied.allowed and denied.reason == "not_granted" and denied.stage == "capability"
    with pytest.raises(BridgeError) as e:  # a denial has nothing to report on
        client.outcome(s1, denied.decision, True, "r", None, 1)
    assert e.value.code == "unknown_decision"
    client.close_session(s1)
    client.close_session(s2)


@pytest.mark.parametrize("args", [
    {"b": 1, "a": "x"},
    {"text": "quote \" backslash \\ newline \n tab \t del \x7f"},
    {"é": "ünïcödé", "e": "\u2028", "😀": "astral key sorts by code point", "\uffff": "bmp max"},
    {"nested": {"list": [1, -2, True, False, None, "s"], "empty": {}}},
    {"big": 2**63 - 1, "small": -(2**63)},
    {"beyond64": 12345678901234567891, "long": 10**99, "neg": -(10**40)},
    {"f": 10000.0, "tiny": 1e-07, "huge": 1e22, "neg0": -0.0, "tenth": 0.1, "third": 1 / 3, "nested": [2.5, {"x": 1e300}]},
])
def test_python_signs_the_same_canonical_bytes_as_the_sidecar(sidecar, args):
    client = sidecar.client()
    s = client.bind("researcher")
    d = client.decide(s, "echo", args)
    assert d.arguments_sha256 == sha256_b64url(encode(args))
    client.close_session(s)


def test_a_direct_async_run_is_guarded_too(sidecar, workspace):  # noqa: F811
    import asyncio

    from crewai.tools import BaseTool

    runs = []

    class AsyncNote(BaseTool):
        name: str = "write_note"
        description: str = "Write a note (async)."

        def _run(self, text: str) -> str:
            raise AssertionError("sync path not used here")

        async def _arun(self, text: str) -> str:
            runs.append(text)
            return "written"

    class AsyncEcho(BaseTool):
        name: str = "echo"
        description: str = "Echo (async)."

        def _run(self, text: str) -> str:
            raise AssertionError("sync path not used here")

        async def _arun(self, text: str) -> str:
            return "echo:" + text

    note, echo = AsyncNote(), AsyncEcho()
    crew = crew_of(scripted_llm(["x"]), [note, echo])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    assert asyncio.run(echo.arun(text="a")) == "echo:a"
    with pytest.raises(moat_crewai.MoatDenied, match="not_granted"):
        asyncio.run(note.arun(text="x"))
    with pytest.raises(moat_crewai.MoatDenied, match="not_granted"):
        asyncio.run(note._arun(text="x"))
    assert runs == []
