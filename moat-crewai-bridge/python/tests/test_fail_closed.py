"""Every failure blocks: a bug in Moat's hook, the sidecar down, hung past the timeout, or
answering garbage. The tool's side-effect counter stays 0 and the agent reads why."""
from __future__ import annotations

import http.server
import socket
import threading
from pathlib import Path

import pytest
from conftest import scripted_llm, tool_call, tool_messages
from test_crew import crew_of
from tools import Counter, make_tools

import moat_crewai
from moat_crewai import MoatClient


def run_one_call(client, tmp_path: Path):
    c = Counter()
    t = make_tools(c, tmp_path)
    llm = scripted_llm([[tool_call("echo", {"text": "hi"}, "x1")], "final"])
    crew = crew_of(llm, [t["echo"]])
    g = moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=client)
    out = crew.kickoff()
    return c, llm, out, g


def test_an_exception_inside_moats_hook_blocks_the_call(sidecar, tmp_path, monkeypatch):
    client = sidecar.client()

    def broken(*a, **k):
        raise KeyError("a bug in the guard")

    c = Counter()
    t = make_tools(c, tmp_path)
    llm = scripted_llm([[tool_call("echo", {"text": "hi"}, "x1")], "final"])
    crew = crew_of(llm, [t["echo"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=client)
    monkeypatch.setattr(client, "decide", broken)
    crew.kickoff()
    assert c["echo"] == 0
    assert "(bridge/internal)" in tool_messages(llm)[0]


def test_another_hook_that_raises_does_not_open_the_gate(sidecar, tmp_path):
    """CrewAI swallows a hook's exception and runs the tool; Moat's own verdict still holds."""
    from crewai.hooks import InterceptionPoint, register_hook

    c = Counter()
    t = make_tools(c, tmp_path)
    llm = scripted_llm([[tool_call("write_note", {"text": "x"}, "x1")], "final"])
    crew = crew_of(llm, [t["write_note"]])
    register_hook(InterceptionPoint.PRE_TOOL_CALL, lambda ctx: 1 / 0)
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=sidecar.client())
    crew.kickoff()
    assert c["write_note"] == 0
    assert "not_granted" in tool_messages(llm)[0]


def test_the_sidecar_down_blocks(tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    client = MoatClient(f"http://127.0.0.1:{port}", "t" * 43, timeout=1.0)
    c = Counter()
    t = make_tools(c, tmp_path)
    llm = scripted_llm([[tool_call("echo", {"text": "hi"}, "x1")], "final"])
    crew = crew_of(llm, [t["echo"]])
    with pytest.raises(moat_crewai.BridgeError) as e:  # binding already fails, loudly
        moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=client)
    assert e.value.code == "unavailable"
    assert c["echo"] == 0


def test_the_sidecar_going_down_after_setup_blocks(own_sidecar, tmp_path):
    client = own_sidecar.client(timeout=1.0)
    c = Counter()
    t = make_tools(c, tmp_path)
    llm = scripted_llm([[tool_call("echo", {"text": "hi"}, "x1")], "final"])
    crew = crew_of(llm, [t["echo"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=client)
    own_sidecar.stop()
    crew.kickoff()
    assert c["echo"] == 0
    assert "(bridge/unavailable)" in tool_messages(llm)[0]


def test_a_sidecar_slower_than_the_timeout_blocks(own_sidecar, tmp_path):
    client = own_sidecar.client(timeout=0.5)
    c = Counter()
    t = make_tools(c, tmp_path)
    llm = scripted_llm([[tool_call("echo", {"text": "hi"}, "x1")], "final"])
    crew = crew_of(llm, [t["echo"]])
    moat_crewai.guard(crew, agents={"Researcher": "researcher"}, client=client)
    own_sidecar.pause()  # the real JVM, stopped: it accepts nothing and answers nothing
    try:
        crew.kickoff()
    finally:
        own_sidecar.resume()
    assert c["echo"] == 0
    assert "(bridge/timeout)" in tool_messages(llm)[0]


class _Garbage(http.server.BaseHTTPRequestHandler):
    body = b"<html>not json</html>"

    def do_GET(self):  # noqa: N802
        self._answer()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._answer()

    def _answer(self):
        if self.path == "/v1/sessions":
            payload = b'{"session":"s_x","agent":"researcher"}'
            self.send_response(201)
        else:
            payload = self.body
            self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *a):
        pass


@pytest.mark.parametrize("garbage", [b"<html>not json</html>", b"[1,2]", b'{"allowed":"yes","decision":"d"}',
                                     b'{"allowed":true}', b'{"allowed":true,"decision":"d","resource":"tool://echo",'
                                     b'"arguments_sha256":"WRONG","message_id":"m"}'])
def test_a_sidecar_answering_garbage_blocks(tmp_path, garbage):
    handler = type("G", (_Garbage,), {"body": garbage})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = MoatClient(f"http://127.0.0.1:{server.server_address[1]}", "t", timeout=2.0)
        c, llm, _, _ = run_one_call(client, tmp_path)
        assert c["echo"] == 0
        assert tool_messages(llm)[0].startswith("denied:")
    finally:
        server.shutdown()
