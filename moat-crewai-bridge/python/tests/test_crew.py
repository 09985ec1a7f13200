"""Real CrewAI crews behind the real sidecar: allowed and denied calls, folder confinement, the
denial text the agent reads, and what the audit view records."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import scripted_llm, tool_call, tool_messages
from tools import Counter, make_tools

import moat_crewai


def crew_of(llm, tools, role="Researcher"):
    from crewai import Agent, Crew, Task

    agent = Agent(role=role, goal="g", backstory="b", llm=llm, tools=tools, verbose=False)
    return Crew(agents=[agent], tasks=[Task(description="do it", expected_output="text", agent=agent)], verbose=False)


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "workspace").mkdir()
    (tmp_path / "workspace" / "notes.txt").write_text("granted notes")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "key.txt").write_text("TOP-SECRET")
    return tmp_path


def test_an_allowed_call_runs_and_a_denied_one_never_does(sidecar, workspace):
    c = Counter()
    t = make_tools(c, workspace)
    llm = scripted_llm([[tool_call("echo", {"text": "hi"}, "c1")], [tool_call("write_note", {"text": "x"}, "c2")], "final"])
    crew = crew_of(llm, [t["echo"], t["write_note"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    assert "final" in str(crew.kickoff())
    assert (c["echo"], c["write_note"]) == (1, 0)
    shown = tool_messages(llm)
    assert shown[0] == "echo:hi"
    # the agent reads Moat's real reason, not CrewAI's fixed "blocked by hook" text
    assert shown[1].startswith("denied:") and "(capability/not_granted)" in shown[1]


def test_a_path_outside_the_granted_folder_is_refused(sidecar, workspace):
    c = Counter()
    t = make_tools(c, workspace)
    llm = scripted_llm([
        [tool_call("read_file", {"path": "workspace/notes.txt"}, "r1")],
        [tool_call("read_file", {"path": "secrets/key.txt"}, "r2")],
        [tool_call("read_file", {"path": "workspace/../secrets/key.txt"}, "r3")],
        [tool_call("read_file", {"path": str(workspace / "secrets" / "key.txt")}, "r4")],
        "final"])
    crew = crew_of(llm, [t["read_file"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    crew.kickoff()
    shown = tool_messages(llm)
    assert shown[0] == "granted notes"
    assert "not_granted" in shown[1]
    assert "invalid_resource" in shown[2]
    assert "invalid_resource" in shown[3]
    assert all("TOP-SECRET" not in s for s in shown)
    assert c["read_file"] == 1


def test_the_writer_identity_has_only_its_own_grants(sidecar, workspace):
    c = Counter()
    t = make_tools(c, workspace)
    llm = scripted_llm([[tool_call("write_note", {"text": "x"}, "w1")], [tool_call("echo", {"text": "x"}, "w2")], "ok"])
    crew = crew_of(llm, [t["write_note"], t["echo"]], role="Writer")
    moat_crewai.guard(crew, agents={"Writer": "writer"}, client=sidecar.client())
    crew.kickoff()
    assert (c["write_note"], c["echo"]) == (1, 0)
    assert "not_granted" in tool_messages(llm)[1]


def test_an_agent_without_a_moat_identity_is_refused_at_setup(sidecar, workspace):
    crew = crew_of(scripted_llm(["x"]), [make_tools(Counter(), workspace)["echo"]], role="Stranger")
    with pytest.raises(ValueError, match="no Moat identity"):
        moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())


def test_an_unknown_moat_identity_is_refused_at_setup(sidecar, workspace):
    crew = crew_of(scripted_llm(["x"]), [make_tools(Counter(), workspace)["echo"]])
    with pytest.raises(moat_crewai.BridgeError) as e:
        moat_crewai.guard(crew, agents={"Researcher": "nobody"}, client=sidecar.client())
    assert e.value.code == "unknown_agent"


def test_decisions_and_outcomes_reach_the_audit_view(sidecar, workspace):
    c = Counter()
    t = make_tools(c, workspace)
    llm = scripted_llm([[tool_call("echo", {"text": "audit-me"}, "a1")], "ok"])
    crew = crew_of(llm, [t["echo"]])
    client = sidecar.client()
    before = client.audit(256)["audit_entries"]
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=client)
    crew.kickoff()
    view = client.audit(2)
    assert view["audit_entries"] >= before + 2  # the decision and the outcome, hash-chained
    events = [e["event"] for e in view["recent"]]
    assert events == ["decision", "outcome"]
    assert view["recent"][0]["decision"] == view["recent"][1]["decision"]
    assert view["recent"][1]["status"] == "ok"


def test_a_function_tool_is_guarded_too(sidecar, workspace):
    c = Counter()
    t = make_tools(c, workspace)
    llm = scripted_llm([[tool_call("count_call", {"n": 7}, "f1")], "ok"])
    crew = crew_of(llm, [t["count_call"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    crew.kickoff()
    assert c["count_call"] == 1
    assert tool_messages(llm)[0] == "counted 7"
