"""Benchmark harness (not a test): one decision round trip from Python through the sidecar
(decide + outcome, the same work as one in-process guard.call), a full guarded tool.run(), and
decisions per second with 8 Python threads. Prints JSON lines. Run by bench.sh."""
from __future__ import annotations

import json
import statistics
import sys
import threading
import time

from moat_crewai import MoatClient


def timed(fn, warmup: int, n: int) -> dict:
    for _ in range(warmup):
        fn()
    t = []
    for _ in range(n):
        s = time.perf_counter_ns()
        fn()
        t.append(time.perf_counter_ns() - s)
    t.sort()
    return {"median_us": round(t[n // 2] / 1000, 1), "mean_us": round(statistics.fmean(t) / 1000, 1),
            "p99_us": round(t[int(n * 0.99)] / 1000, 1), "n": n}


def main() -> None:
    secret, warmup, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    client = MoatClient.from_file(secret, timeout=5.0)
    session = client.bind("researcher")

    def round_trip() -> None:
        d = client.decide(session, "echo", {"text": "hello"})
        if not d.allowed:
            raise SystemExit("the benchmark call was not allowed")
        client.outcome(session, d.decision, True, "echo:hello", None, 1)

    print(json.dumps({"case": "python_round_trip", **timed(round_trip, warmup, n)}))
    # the transport alone: one authenticated request and JSON answer, no signing or audit
    print(json.dumps({"case": "python_health_request", **timed(client.health, warmup, n)}))

    from crewai import Agent
    from crewai.tools import BaseTool

    import moat_crewai

    class Echo(BaseTool):
        name: str = "echo"
        description: str = "Echo."

        def _run(self, text: str) -> str:
            return "echo:" + text

    echo = Echo()
    agent = Agent(role="Researcher", goal="g", backstory="b", llm="gpt-4o-mini", tools=[echo])
    moat_crewai.guard([agent], agents={"Researcher": "researcher"}, client=client).close()
    print(json.dumps({"case": "python_guarded_tool_run", **timed(lambda: echo.run(text="hello"), warmup, n)}))

    count = [0] * 8
    stop = time.monotonic() + seconds
    sessions = [client.bind("researcher") for _ in range(8)]

    def worker(k: int) -> None:
        while time.monotonic() < stop:
            d = client.decide(sessions[k], "echo", {"text": "hello"})
            client.outcome(sessions[k], d.decision, True, "echo:hello", None, 1)
            count[k] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    print(json.dumps({"case": "python_8_threads", "decisions_per_s": round(sum(count) / elapsed), "seconds": round(elapsed, 1)}))


if __name__ == "__main__":
    main()
