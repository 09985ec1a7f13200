"""The spec's shared vectors (spec/vectors), sent from Python through the sidecar's verify
endpoint: the wire bytes survive the trip, and the Java verifiers give the expected answers."""
from __future__ import annotations

import json

import pytest
from conftest import ROOT

VECTORS = ROOT / "spec" / "vectors"
KINDS = {"resource", "pattern", "match", "covers", "message", "chain"}


def vectors():
    out = []
    for name in ("resources.json", "messages.json", "chains.json"):
        for v in json.loads((VECTORS / name).read_text())["vectors"]:
            if v["kind"] in KINDS:
                out.append(pytest.param(v, id=v["name"]))
    return out


@pytest.fixture(scope="module")
def client(sidecar):
    return sidecar.client()


@pytest.mark.parametrize("vector", vectors())
def test_vector(client, vector):
    kind, inp, expect = vector["kind"], dict(vector["input"]), vector["expect"]
    if kind == "chain" and expect.get("ok"):
        inp["requests"] = [{"resource": r["resource"], "action": r["action"]} for r in expect["requests"]]
    got = client.verify(kind, inp)
    if kind in ("resource", "pattern"):
        assert got == {"valid": expect["valid"]}
    elif kind == "match":
        assert got == {"matches": expect["matches"]}
    elif kind == "covers":
        assert got == {"covers": expect["covers"]}
    elif not expect["ok"]:
        assert got == {"ok": False, "code": expect["code"]}
    elif kind == "message":
        assert got == expect
    else:
        want = {k: v for k, v in expect.items() if k != "requests"}
        assert {k: v for k, v in got.items() if k != "requests"} == want
        assert got["requests"] == [r["result"] for r in expect["requests"]]


def test_every_vector_kind_that_the_sidecar_verifies_is_present():
    assert {p.values[0]["kind"] for p in vectors()} == KINDS
