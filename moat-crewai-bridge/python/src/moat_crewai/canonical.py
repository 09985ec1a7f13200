"""Canonical JSON exactly as Moat signs it (spec/PROTOCOL.md, "Canonical JSON").

Object keys sorted by Unicode code point (the byte order of their UTF-8 forms, as moat-core does), no whitespace,
strings escaped minimally: ``\\"``, ``\\\\`` and ``\\u00XX`` for control characters; everything else
raw UTF-8. Numbers are written once, here, and the sidecar keeps every literal as written (it never
re-spells a number), so what the guard hashes is what the sidecar signs and the rules judge: an
``int`` in decimal (any size, at most 100 characters, the sidecar's limit), a ``float`` as Python's
shortest round-trip ``repr`` (``10000.0``, ``0.1``, ``1e+22``), which ``json.loads`` reads back to the
same float, so the tool body receives the value that was approved. NaN, infinities and other types
are refused (``ValueError``).
"""
from __future__ import annotations

import base64
import hashlib
import math
import re
from typing import Any

_HEX = "0123456789abcdef"
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")  # RFC 8259, as moat-core's JsonNumber
MAX_NUMBER_LENGTH = 100  # the sidecar's limit on a number literal (moat-core JsonLimits.DEFAULT)


def encode(value: Any) -> bytes:
    """The canonical UTF-8 bytes of ``value`` (dict with str keys, list, str, int, float, bool, None)."""
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
        out.append(_number(str(int(value))))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("NaN and infinities have no JSON form")
        out.append(_number(repr(float(value))))
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
        raise ValueError(f"not canonical-JSON encodable: {type(value).__name__} (Moat signs numbers, "
                         "strings, booleans, null, objects and arrays)")


def _number(literal: str) -> str:
    if len(literal) > MAX_NUMBER_LENGTH:
        raise ValueError(f"number literal longer than {MAX_NUMBER_LENGTH} characters")
    if not _NUMBER.fullmatch(literal):  # never expected from int/float; refuse rather than send it
        raise ValueError("not a JSON number literal")
    return literal


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
