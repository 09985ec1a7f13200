"""Guard CrewAI tool calls through the Moat sidecar (``moat bridge serve``).

The sidecar holds the keys, capability tokens, policy enforcement, monitor and audit log; this
package holds none of them. Standard library only; ``crewai`` is needed only for :func:`guard`.
"""
from .client import BridgeError, Decision, MoatClient
from .guard import MoatDenied, MoatGuard, guard, tool_name

__all__ = ["BridgeError", "Decision", "MoatClient", "MoatDenied", "MoatGuard", "guard", "tool_name"]
