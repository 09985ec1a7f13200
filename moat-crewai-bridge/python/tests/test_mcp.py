"""A real MCP server (the `mcp` package's FastMCP over stdio) used through CrewAI's own MCP
support (Agent(mcps=[MCPServerStdio(...)])): its tools are guarded like any other."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from conftest import scripted_llm, tool_messages

import moat_crewai

SERVER = Path(__file__).with_name("mcp_server.py")


def test_an_mcp_tool_is_guarded(sidecar, tmp_path, monkeypatch):
    from crewai import Agent, Crew, Task
    from crewai.mcp import MCPServerStdio

    effects = tmp_path / "effects.txt"
    monkeypatch.setenv("MOAT_MCP_SIDE_EFFECTS", str(effects))

    def call(description, args, call_id):
        """CrewAI names MCP tools after the server command (truncated, hashed): pick by description."""
        def step(tools):
            names = [t["function"]["name"] for t in tools or [] if t["function"].get("description") == description]
            if len(names) != 1:
                raise RuntimeError(f"no tool described {description!r}")
            return [{"id": call_id, "type": "function", "function": {"name": names[0], "arguments": json.dumps(args)}}]
        return step

    llm = scripted_llm([call("Add two integers.", {"a": 2, "b": 3}, "m1"),
                        call("Subtract two integers.", {"a": 9, "b": 1}, "m2"), "final"])
    agent = Agent(role="Researcher", goal="g", backstory="b", llm=llm, verbose=False,
                  mcps=[MCPServerStdio(command=sys.executable, args=[str(SERVER)], env=dict(os.environ))])
    crew = Crew(agents=[agent], tasks=[Task(description="sum", expected_output="n", agent=agent)], verbose=False)
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    crew.kickoff()
    shown = tool_messages(llm)
    assert shown[0] == "5"                      # tool://mcp.add is granted
    assert "not_granted" in shown[1]            # tool://mcp.sub is not
    assert effects.read_text().splitlines() == ["2+3"]
