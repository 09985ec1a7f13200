"""A small, thread-safe client for the Moat sidecar's HTTP+JSON API (standard library only).

Every failure (sidecar down, slower than the timeout, a non-JSON or unexpected answer, an HTTP
error) raises :class:`BridgeError` with a reason code; callers on the security path turn it into a
block. Each thread keeps one keep-alive connection.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Any, Optional


class BridgeError(Exception):
    """The sidecar could not give a usable answer. ``code`` is stable (``unavailable``, ``timeout``,
    ``bad_response``, or the sidecar's own error code such as ``unknown_session``)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Decision:
    """The sidecar's answer for one tool call."""

    decision: str
    allowed: bool
    resource: str
    arguments_sha256: str
    stage: Optional[str] = None
    reason: Optional[str] = None
    detail: Optional[str] = None
    explain: Optional[str] = None


class MoatClient:
    """Talks to one sidecar. Build with :meth:`from_file` (the owner-only secret file the sidecar
    wrote) or with the URL and token directly."""

    def __init__(self, url: str, token: str, timeout: float = 2.0) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme != "http" or parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the Moat sidecar is reached over loopback http only")
        self._host = parsed.hostname
        self._port = parsed.port or 80
        self._auth = "Bearer " + token
        self._timeout = float(timeout)
        self._local = threading.local()

    @classmethod
    def from_file(cls, path: Optional[str] = None, timeout: float = 2.0) -> "MoatClient":
        """Reads ``{"url","token"}`` from ``path`` (default ``$MOAT_BRIDGE_FILE``)."""
        path = path or os.environ.get("MOAT_BRIDGE_FILE")
        if not path:
            raise ValueError("no sidecar secret file: pass bridge_file=... or set MOAT_BRIDGE_FILE")
        with open(path, "r", encoding="utf-8") as f:
            data = json.load(f)
        return cls(str(data["url"]), str(data["token"]), timeout)

    def __repr__(self) -> str:  # never shows the token
        return f"MoatClient(http://{self._host}:{self._port})"

    # --- endpoints -------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self._call("GET", "/v1/health", None, 200)

    def bind(self, agent: str, label: Optional[str] = None) -> str:
        body: dict[str, Any] = {"agent": agent}
        if label:
            body["label"] = label[:256]
        answer = self._call("POST", "/v1/sessions", body, 201)
        return _text(answer, "session")

    def close_session(self, session: str) -> None:
        self._call("POST", "/v1/sessions/close", {"session": session}, 200)

    def decide(self, session: str, tool: str, arguments: dict[str, Any],
               user: Optional[str] = None, conversation: Optional[str] = None) -> Decision:
        body: dict[str, Any] = {"session": session, "tool": tool, "arguments": arguments}
        if user:
            body["user"] = user
        if conversation:
            body["conversation"] = conversation
        a = self._call("POST", "/v1/decisions", body, 200)
        allowed = a.get("allowed")
        if not isinstance(allowed, bool):
            raise BridgeError("bad_response", "decision without a boolean 'allowed'")
        d = Decision(decision=_text(a, "decision"), allowed=allowed, resource=_text(a, "resource"),
                     arguments_sha256=_text(a, "arguments_sha256"))
        if allowed:
            _text(a, "message_id")
            return d
        return Decision(d.decision, False, d.resource, d.arguments_sha256, _text(a, "stage"), _text(a, "reason"),
                        str(a.get("detail", "")), _text(a, "explain"))

    def outcome(self, session: str, decision: str, ok: bool, result: Optional[str],
                error_type: Optional[str], micros: int) -> None:
        body: dict[str, Any] = {"session": session, "decision": decision, "status": "ok" if ok else "error",
                                "micros": max(0, int(micros))}
        if result is not None:
            body["result"] = result
        if not ok:
            body["error_type"] = (error_type or "Exception")[:200]
        a = self._call("POST", "/v1/outcomes", body, 200)
        if a.get("recorded") is not True:
            raise BridgeError("bad_response", "outcome not recorded")

    def audit(self, limit: int = 50) -> dict[str, Any]:
        return self._call("GET", f"/v1/audit?limit={int(limit)}", None, 200)

    def verify(self, kind: str, input: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/v1/verify", {"kind": kind, "input": input}, 200)

    # --- transport -------------------------------------------------------------------------
    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
            conn.connect()
            # small request/answer pairs: without this, Nagle plus delayed ACK add 40 ms per call
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._local.conn = conn
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - closing a broken socket must not raise
                pass

    def _call(self, method: str, path: str, body: Optional[dict[str, Any]], expect: int) -> dict[str, Any]:
        payload = None if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":"),
                                                        allow_nan=False).encode("utf-8")
        headers = {"Authorization": self._auth, "Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (0, 1):
            reused = getattr(self._local, "conn", None) is not None
            try:
                conn = self._connection()
                conn.request(method, path, body=payload, headers=headers)
                resp = conn.getresponse()
                raw = resp.read(1 << 20)
                status = resp.status
                break
            except (socket.timeout, TimeoutError) as e:
                self._drop()
                raise BridgeError("timeout", f"no answer within {self._timeout}s") from e
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                self._drop()
                if reused and attempt == 0:
                    continue  # a keep-alive connection the server had closed: one fresh try
                raise BridgeError("unavailable", f"sidecar closed the connection ({type(e).__name__})") from e
            except (OSError, http.client.HTTPException) as e:
                self._drop()
                raise BridgeError("unavailable", f"sidecar unreachable ({type(e).__name__})") from e
        try:
            answer = json.loads(raw.decode("utf-8"))
        except Exception as e:  # noqa: BLE001 - garbage is a block, whatever it is
            self._drop()
            raise BridgeError("bad_response", "the sidecar's answer is not JSON") from e
        if not isinstance(answer, dict):
            raise BridgeError("bad_response", "the sidecar's answer is not a JSON object")
        if status != expect:
            code = answer.get("error") if isinstance(answer.get("error"), str) else f"http_{status}"
            raise BridgeError(code, str(answer.get("detail", ""))[:300])
        return answer


def _text(answer: dict[str, Any], name: str) -> str:
    v = answer.get(name)
    if not isinstance(v, str) or not v:
        raise BridgeError("bad_response", f"answer lacks '{name}'")
    return v
