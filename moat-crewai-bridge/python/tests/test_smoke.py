from conftest import scripted_llm, tool_call, tool_messages


def test_allowed_and_denied_calls_through_a_real_crew(sidecar):
    from crewai import Agent, Crew, Task
    from crewai.tools import BaseTool

    import moat_crewai

    runs = {"echo": 0, "write_note": 0}

    class Echo(BaseTool):
        name: str = "echo"
        description: str = "Echo text back."

        def _run(self, text: str) -> str:
            runs["echo"] += 1
            return "echo:" + text

    class WriteNote(BaseTool):
        name: str = "write_note"
        description: str = "Write a note."

        def _run(self, text: str) -> str:
            runs["write_note"] += 1
            return "written"

    llm = scripted_llm([[tool_call("echo", {"text": "hi"}, "c1")], [tool_call("write_note", {"text": "x"}, "c2")], "final"])
    agent = Agent(role="Researcher", goal="g", backstory="b", llm=llm, tools=[Echo(), WriteNote()], verbose=False)
    crew = Crew(agents=[agent], tasks=[Task(description="do it", expected_output="text", agent=agent)], verbose=False)
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    out = crew.kickoff()
    assert "final" in str(out)
    assert runs == {"echo": 1, "write_note": 0}
    shown = tool_messages(llm)
    assert shown[0] == "echo:hi"
    assert "not_granted" in shown[1] and "denied" in shown[1]
