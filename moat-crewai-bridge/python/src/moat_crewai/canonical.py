"""Canonical JSON exactly as Moat signs it (spec/PROTOCOL.md, "Canonical JSON").

Object keys sorted by Unicode code point (the byte order of their UTF-8 forms, as moat-core does), no whitespace, integers only,
strings escaped minimally: ``\\"``, ``\\\\`` and ``\\u00XX`` for control characters; everything else
raw UTF-8. Floats and other types are refused (``ValueError``), so what the guard hashes is what the
sidecar signs.
"""
from __future__ import annotations

import base64
import hashlib
from typing import Any

_HEX = "0123456789abcdef"


def encode(value: Any) -> bytes:
    """The canonical UTF-8 bytes of ``value`` (dict with str keys, list, str, int, bool, None)."""
    out: list[str] = []
    _write(out, value, 0)
    return "".join(out).encode("utf-8", "surrogatepass")


def sha256_b64url(data: bytes) -> str:
    """SHA-256 of ``data`` as unpadded base64url, as the sidecar reports ``arguments_sha256``."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _java_order(key: str) -> str:
    return key  # Python compares str by code point: the order spec/PROTOCOL.md section 4 requires


def _write(out: list[str], value: Any, depth: int) -> None:
    if depth > 30:
        raise ValueError("arguments nest too deeply")
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise ValueError("integer out of the 64-bit range")
        out.append(str(int(value)))
    elif isinstance(value, str):
        _write_string(out, value)
    elif isinstance(value, dict):
        keys = list(value.keys())
        for k in keys:
            if not isinstance(k, str):
                raise ValueError("object keys must be strings")
        out.append("{")
        for i, k in enumerate(sorted(keys, key=_java_order)):
            if i:
                out.append(",")
            _write_string(out, k)
            out.append(":")
            _write(out, value[k], depth + 1)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, v in enumerate(value):
            if i:
                out.append(",")
            _write(out, v, depth + 1)
        out.append("]")
    else:
        raise ValueError(f"not canonical-JSON encodable: {type(value).__name__} (Moat signs integers, "
                         "strings, booleans, null, objects and arrays; pass decimals as strings)")


def _write_string(out: list[str], s: str) -> None:
    out.append('"')
    for c in s:
        o = ord(c)
        if c == '"' or c == "\\":
            out.append("\\" + c)
        elif o < 0x20:
            out.append("\\u00" + _HEX[o >> 4] + _HEX[o & 15])
        else:
            out.append(c)
    out.append('"')
