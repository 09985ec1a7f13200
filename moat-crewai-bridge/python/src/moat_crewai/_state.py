"""Per-thread hand-over between Moat's PRE hook, the guarded tool body and the POST hook.

CrewAI runs one tool call's PRE hooks, the tool and its POST hooks on one thread (parallel native
calls each on their own pool thread), so a thread-local slot carries the approval from the PRE hook
to the tool body, and a denial from either to the POST hook. A slot is for one tool and expires.
"""
from __future__ import annotations

import contextvars
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

APPROVAL_TTL_S = 60.0


@dataclass
class Approval:
    """An allowed decision not yet used: for ``tool``, for exactly the canonical ``arguments``."""

    session: str
    tool: str
    decision: str
    arguments: bytes
    arguments_sha256: str
    created: float = field(default_factory=time.monotonic)

    def expired(self) -> bool:
        return time.monotonic() - self.created > APPROVAL_TTL_S


_local = threading.local()


def put_approval(a: Optional[Approval]) -> None:
    _local.approval = a


def take_approval() -> Optional[Approval]:
    a = getattr(_local, "approval", None)
    _local.approval = None
    return a


def put_denial(text: Optional[str]) -> None:
    _local.denial = text


def take_denial() -> Optional[str]:
    d = getattr(_local, "denial", None)
    _local.denial = None
    return d


_active: contextvars.ContextVar[tuple[int, ...]] = contextvars.ContextVar("moat_active_tools", default=())


def inside(tool_key: int) -> bool:
    """True while this thread or task runs the approved body of the tool with this key. A context
    variable, not a thread-local: concurrent asyncio tasks on one thread must not see each other's."""
    return tool_key in _active.get()


def enter(tool_key: int) -> contextvars.Token:
    return _active.set(_active.get() + (tool_key,))


def leave(token: contextvars.Token) -> None:
    _active.reset(token)
