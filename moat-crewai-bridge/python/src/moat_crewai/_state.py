"""Hand-over between Moat's PRE hook, the guarded tool body and the POST hook.

CrewAI runs one tool call's PRE hooks, the tool and its POST hooks in one context (parallel native
calls each in their own ``contextvars.copy_context()`` on a pool thread; an asyncio task has its own
context too), so context variables carry the approval from the PRE hook to the tool body, and a
denial from either to the POST hook, without one call seeing another's. An approval is for one
tool and one argument hash, and expires.
"""
from __future__ import annotations

import contextvars
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


_approval: contextvars.ContextVar[Optional[Approval]] = contextvars.ContextVar("moat_approval", default=None)
_denial: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("moat_denial", default=None)


def put_approval(a: Optional[Approval]) -> None:
    _approval.set(a)


def take_approval() -> Optional[Approval]:
    a = _approval.get()
    _approval.set(None)
    return a


def put_denial(text: Optional[str]) -> None:
    _denial.set(text)


def take_denial() -> Optional[str]:
    d = _denial.get()
    _denial.set(None)
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
