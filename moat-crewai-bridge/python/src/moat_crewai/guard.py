"""``moat_crewai.guard``: puts a CrewAI crew (or a list of agents) behind the Moat sidecar.

Three layers, each failing closed:

* a PRE tool-call hook asks the sidecar for a decision as the agent's Moat identity; a denial, or
  any error at all (sidecar down, timeout, garbage, a bug here), raises ``HookAborted`` (CrewAI
  swallows any other exception and would run the tool);
* every tool of the guarded agents is wrapped, so the body only runs with an approval for exactly
  the arguments it receives (a later hook that edits ``tool_input`` is caught by the hash check),
  and a direct ``tool.run()`` without an approval is decided on the spot;
* a POST hook shows the agent the real denial (``denied: ... (capability/not_granted)``) instead of
  CrewAI's fixed "blocked" text, and closes approvals whose tool never ran.

The body receives the arguments decoded from the signed canonical bytes: what Moat checked is what
the tool gets. Outcomes (result digest, error type, duration) are recorded in the sidecar's audit
log; if that fails the result is withheld.
"""
from __future__ import annotations

import json
import re
import threading
import time
from typing import Any, Callable, Iterable, Optional

from . import _state
from .canonical import encode, sha256_b64url
from .client import BridgeError, MoatClient

_TOOL_CHARS = re.compile(r"[^a-z0-9_.-]+")
_WRAP_LOCK = threading.Lock()


class MoatDenied(Exception):
    """A guarded tool call was refused; ``str(e)`` is the text the agent reads."""


def tool_name(name: str) -> str:
    """The sidecar's tool name for a CrewAI tool name: lower case, runs of other characters as
    ``_`` (``"Read File"`` is ``read_file``); the resource is ``tool://<that>``."""
    t = _TOOL_CHARS.sub("_", str(name).strip().lower()).strip("_")
    return t[:128] or "unnamed"


def guard(crew_or_agents: Any, agents: dict[str, str], *, bridge_file: Optional[str] = None,
          client: Optional[MoatClient] = None, timeout: float = 2.0, user: Optional[str] = None,
          conversation: Optional[str] = None) -> "MoatGuard":
    """Maps each CrewAI agent (by role) to a Moat identity held by the sidecar, registers Moat's
    PRE/POST tool-call hooks and wraps the agents' tools. Every agent of the crew must be mapped
    (an unmapped one raises ``ValueError``: no agent runs unguarded by oversight). Returns a
    :class:`MoatGuard`; ``close()`` removes the hooks."""
    if client is None:
        client = MoatClient.from_file(bridge_file, timeout=timeout)
    crew_agents = list(getattr(crew_or_agents, "agents", None) or crew_or_agents)
    tasks = list(getattr(crew_or_agents, "tasks", None) or [])
    g = MoatGuard(client, user, conversation)
    for agent in crew_agents:
        role = getattr(agent, "role", None)
        if role not in agents:
            raise ValueError(f"agent {role!r} has no Moat identity in agents={{...}}")
        g._add_agent(agent, agents[role])
    for task in tasks:
        owner = getattr(task, "agent", None)
        if owner is not None and id(owner) in g._sessions_by_agent:
            for t in list(getattr(task, "tools", None) or []):
                g._wrap(t, g._sessions_by_agent[id(owner)])
    g._register()
    return g


class MoatGuard:
    """The hooks and wrapped tools of one :func:`guard` call."""

    def __init__(self, client: MoatClient, user: Optional[str], conversation: Optional[str]) -> None:
        self.client = client
        self._user = user
        self._conversation = conversation
        self._sessions_by_identity: dict[str, str] = {}
        self._sessions_by_agent: dict[int, str] = {}
        self._agents: list[Any] = []  # strong refs: ids stay valid while guarded
        self._lock = threading.Lock()
        self._hooks: list[tuple[Any, Callable[[Any], Any]]] = []

    # --- set-up -----------------------------------------------------------------------------
    def _add_agent(self, agent: Any, identity: str) -> None:
        with self._lock:
            session = self._sessions_by_identity.get(identity)
            if session is None:
                session = self.client.bind(identity, getattr(agent, "role", None))
                self._sessions_by_identity[identity] = session
        self._sessions_by_agent[id(agent)] = session
        self._agents.append(agent)
        for t in list(getattr(agent, "tools", None) or []):
            self._wrap(t, session)

    def _register(self) -> None:
        from crewai.hooks import InterceptionPoint, register_hook

        for point, fn in ((InterceptionPoint.PRE_TOOL_CALL, self._pre), (InterceptionPoint.POST_TOOL_CALL, self._post)):
            register_hook(point, fn)
            self._hooks.append((point, fn))

    def close(self) -> None:
        """Unregisters the hooks (wrapped tools keep refusing to run without a decision)."""
        from crewai.hooks import unregister_hook

        for point, fn in self._hooks:
            unregister_hook(point, fn)
        self._hooks.clear()

    def __enter__(self) -> "MoatGuard":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- hooks ------------------------------------------------------------------------------
    def _pre(self, ctx: Any) -> Any:
        from crewai.hooks import HookAborted

        session = self._sessions_by_agent.get(id(getattr(ctx, "agent", None)))
        if session is None:
            return None  # not an agent of this guard
        try:
            _state.take_denial()
            _state.put_approval(None)
            name = self._tool_for(ctx, session)
            args = ctx.tool_input
            if not isinstance(args, dict):
                raise MoatDenied("denied: tool input is not an object (bridge/malformed)")
            approval = self._decide(session, name, args)
            _state.put_approval(approval)
            return None
        except MoatDenied as e:
            _state.put_denial(str(e))
            raise HookAborted(str(e), source="moat") from None
        except BaseException as e:  # noqa: BLE001 - every failure blocks, whatever it is
            text = _failure_text(e)
            _state.put_denial(text)
            raise HookAborted(text, source="moat") from None

    def _post(self, ctx: Any) -> Any:
        if id(getattr(ctx, "agent", None)) not in self._sessions_by_agent:
            return None
        try:
            left = _state.take_approval()
            if left is not None:  # allowed but the body never ran (cache hit, usage limit)
                self._report(left, False, None, "moat.NotRun", 0, raise_on_failure=False)
            denial = _state.take_denial()
            return denial
        except BaseException:  # noqa: BLE001
            return "denied: Moat could not complete the call's record (bridge/internal)"

    def _tool_for(self, ctx: Any, session: str) -> str:
        """The sidecar's name for the called tool. A tool that appeared after guard() (CrewAI
        resolves MCP tools at kickoff, into the task's tool list) is wrapped now, so its body is
        checked too."""
        from crewai.utilities.string_utils import sanitize_tool_name

        candidates = [getattr(ctx.tool, "_original_tool", None)]
        candidates += [t for t in list(getattr(ctx.agent, "tools", None) or [])
                       if sanitize_tool_name(getattr(t, "name", "")) == ctx.tool_name]
        for t in candidates:
            if t is not None and hasattr(t, "_run"):
                self._wrap(t, session)
                b = binding_of(t)
                if b is not None:
                    return b.name
        return tool_name(ctx.tool_name)

    # --- decisions --------------------------------------------------------------------------
    def _decide(self, session: str, name: str, args: dict[str, Any]) -> _state.Approval:
        try:
            canonical = encode(args)
        except ValueError as e:
            raise MoatDenied(f"denied: {e} (bridge/malformed)") from None
        try:
            d = self.client.decide(session, name, json.loads(canonical), self._user, self._conversation)
        except BridgeError as e:
            raise MoatDenied(f"denied: the Moat sidecar gave no decision: {e} (bridge/{e.code})") from None
        if not d.allowed:
            raise MoatDenied(d.explain or f"denied ({d.stage}/{d.reason})")
        if d.arguments_sha256 != sha256_b64url(canonical):
            raise MoatDenied("denied: the sidecar signed other argument bytes than these (bridge/digest_mismatch)")
        return _state.Approval(session, name, d.decision, canonical, d.arguments_sha256)

    def _report(self, a: _state.Approval, ok: bool, result: Optional[str], error_type: Optional[str],
                micros: int, raise_on_failure: bool = True) -> None:
        try:
            self.client.outcome(a.session, a.decision, ok, result, error_type, micros)
        except BaseException as e:  # noqa: BLE001
            if raise_on_failure:
                raise MoatDenied(f"denied: result withheld, its outcome could not be audited: {_failure_text(e)}") from None

    # --- tool wrapping ----------------------------------------------------------------------
    def _wrap(self, tool: Any, session: str) -> None:
        with _WRAP_LOCK:  # parallel first calls of a late (MCP) tool must not wrap it twice
            binding = binding_of(tool)
            if binding is None:
                binding = _Binding(self, _moat_name(tool))
                _install(tool, binding)
            binding.sessions.add(session)

    def _guarded(self, binding: "_Binding", key: int, inner: Callable[..., Any], args: tuple, kwargs: dict,
                 validate: Optional[Callable[[dict], dict]] = None) -> Any:
        if _state.inside(key):
            return inner(*args, **kwargs)  # already approved: the outer entry point checked it
        approval, approved = self._admit(binding, args, kwargs, validate)
        start = time.perf_counter_ns()
        token = _state.enter(key)
        try:
            result = inner(**approved)
        except BaseException as e:
            self._report(approval, False, None, type(e).__qualname__, _micros(start), raise_on_failure=False)
            raise
        finally:
            _state.leave(token)
        return self._completed(approval, result, start)

    async def _guarded_async(self, binding: "_Binding", key: int, inner: Callable[..., Any], args: tuple, kwargs: dict,
                             validate: Optional[Callable[[dict], dict]] = None) -> Any:
        if _state.inside(key):
            return await inner(*args, **kwargs)
        approval, approved = self._admit(binding, args, kwargs, validate)
        start = time.perf_counter_ns()
        token = _state.enter(key)
        try:
            result = await inner(**approved)
        except BaseException as e:
            self._report(approval, False, None, type(e).__qualname__, _micros(start), raise_on_failure=False)
            raise
        finally:
            _state.leave(token)
        return self._completed(approval, result, start)

    def _admit(self, binding: "_Binding", args: tuple, kwargs: dict,
               validate: Optional[Callable[[dict], dict]]) -> tuple[_state.Approval, dict]:
        """The approval for exactly these arguments (the PRE hook's, or one decided now), and the
        arguments decoded from the signed bytes; anything else raises :class:`MoatDenied`."""
        approval = _state.take_approval()
        try:
            if args:
                raise MoatDenied("denied: positional tool arguments cannot be checked; pass keywords (bridge/malformed)")
            try:
                canonical = encode(kwargs)
            except ValueError as e:
                raise MoatDenied(f"denied: {e} (bridge/malformed)") from None
            if approval is None or approval.expired():
                if approval is not None:
                    self._report(approval, False, None, "moat.Expired", 0, raise_on_failure=False)
                approval = self._direct_decision(binding, kwargs)
            if approval.tool != binding.name or not _same_arguments(canonical, approval, validate):
                self._report(approval, False, None, "moat.ArgumentsChanged", 0, raise_on_failure=False)
                raise MoatDenied("denied: the tool call changed after Moat approved it "
                                 "(another hook edited the arguments) (bridge/argument_rejected)")
            approved = json.loads(approval.arguments)
            if validate is not None and sha256_b64url(canonical) != approval.arguments_sha256:
                approved = validate(approved)  # the tool's own schema already ran (defaults filled in)
            return approval, approved
        except MoatDenied as e:
            _state.put_denial(str(e))
            raise
        except BaseException as e:  # noqa: BLE001
            text = _failure_text(e)
            _state.put_denial(text)
            raise MoatDenied(text) from None

    def _completed(self, approval: _state.Approval, result: Any, start: int) -> Any:
        try:
            self._report(approval, True, _result_text(result), None, _micros(start))
        except MoatDenied as e:
            _state.put_denial(str(e))
            raise
        return result

    def _direct_decision(self, binding: "_Binding", kwargs: dict) -> _state.Approval:
        sessions = list(binding.sessions)
        if len(sessions) != 1:
            raise MoatDenied("denied: this tool belongs to several Moat identities; call it through an agent "
                             "(bridge/unknown_sender)")
        return self._decide(sessions[0], binding.name, kwargs)


class _Binding:
    def __init__(self, guard: MoatGuard, name: str) -> None:
        self.guard = guard
        self.name = name
        self.sessions: set[str] = set()


_BINDINGS: dict[type, _Binding] = {}


def binding_of(tool: Any) -> Optional[_Binding]:
    """The Moat binding of a wrapped tool, or ``None``."""
    return _BINDINGS.get(type(tool))


def _install(tool: Any, binding: _Binding) -> None:
    """Swaps the tool's class for a subclass whose ``run``, ``_run``, ``arun``, ``_arun`` (and, for
    function tools, ``func``) go through the guard; copies of the tool keep the subclass and so the
    guard."""
    cls = type(tool)
    key = id(binding)

    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        return binding.guard._guarded(binding, key, lambda *a, **k: cls.run(self, *a, **k), args, kwargs)

    def _run(self: Any, *args: Any, **kwargs: Any) -> Any:
        validate = getattr(self, "_validate_kwargs", None)
        return binding.guard._guarded(binding, key, lambda *a, **k: cls._run(self, *a, **k), args, kwargs,
                                      validate if callable(validate) else None)

    async def arun(self: Any, *args: Any, **kwargs: Any) -> Any:
        return await binding.guard._guarded_async(binding, key, lambda *a, **k: cls.arun(self, *a, **k), args, kwargs)

    async def _arun(self: Any, *args: Any, **kwargs: Any) -> Any:
        validate = getattr(self, "_validate_kwargs", None)
        return await binding.guard._guarded_async(binding, key, lambda *a, **k: cls._arun(self, *a, **k), args, kwargs,
                                                  validate if callable(validate) else None)

    sub = type("Moat" + cls.__name__, (cls,),
               {"run": run, "_run": _run, "arun": arun, "_arun": _arun, "__module__": cls.__module__})
    _BINDINGS[sub] = binding
    object.__setattr__(tool, "__class__", sub)
    func = getattr(tool, "func", None)
    if callable(func):
        def guarded_func(*args: Any, **kwargs: Any) -> Any:
            return binding.guard._guarded(binding, key, func, args, kwargs)
        if not _setattr(tool, "func", guarded_func):
            raise ValueError(f"cannot guard tool {binding.name!r}: its function cannot be wrapped")


def _moat_name(tool: Any) -> str:
    """``mcp.<tool>`` for an MCP tool (its CrewAI name embeds the server command), else
    :func:`tool_name` of the CrewAI name."""
    original = getattr(tool, "original_tool_name", None)
    if isinstance(original, str) and type(tool).__name__.endswith("MCPNativeTool"):
        return ("mcp." + tool_name(original))[:128]
    return tool_name(getattr(tool, "name", ""))


def _same_arguments(canonical: bytes, approval: _state.Approval, validate: Optional[Callable[[dict], dict]]) -> bool:
    """The body's arguments are the approved ones, or (entered at ``_run``, after the tool's own
    schema validation) the approved ones as that validation shapes them."""
    if sha256_b64url(canonical) == approval.arguments_sha256:
        return True
    if validate is None:
        return False
    try:
        shaped = encode(validate(json.loads(approval.arguments)))
    except Exception:  # noqa: BLE001 - cannot shape: only an exact match counts
        return False
    return shaped == canonical


def _setattr(obj: Any, name: str, value: Any) -> bool:
    try:
        setattr(obj, name, value)
        return True
    except Exception:  # noqa: BLE001
        return False


def _micros(start_ns: int) -> int:
    return (time.perf_counter_ns() - start_ns) // 1000


def _result_text(result: Any) -> str:
    return result if isinstance(result, str) else str(result)


def _failure_text(e: BaseException) -> str:
    if isinstance(e, MoatDenied):
        return str(e)
    if isinstance(e, BridgeError):
        return f"denied: the Moat sidecar gave no decision: {e} (bridge/{e.code})"
    return f"denied: Moat's guard failed ({type(e).__name__}); the call is blocked (bridge/internal)"


def guarded_tools(tools: Iterable[Any]) -> list[Any]:
    """The tools that carry a Moat binding (for tests and diagnostics)."""
    return [t for t in tools if binding_of(t) is not None]
