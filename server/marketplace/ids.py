"""Resource ids: a type prefix, an underscore and a ULID (`exp_01HZX3K8Q2V7Y4N6M0PBR5T9WA`)."""

from __future__ import annotations

import secrets
import time

__all__ = ["new_id", "ulid"]

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(milliseconds: int | None = None) -> str:
    """A 26-character ULID: 48 bits of Unix milliseconds, then 80 random bits, in Crockford base32."""
    ms = int(time.time() * 1000) if milliseconds is None else milliseconds
    value = (ms & ((1 << 48) - 1)) << 80 | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """A new id of the given type: `new_id("con")` → `con_01…`."""
    return f"{prefix}_{ulid()}"
