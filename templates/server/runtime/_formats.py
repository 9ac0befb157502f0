"""String formats the server checks (static runtime): the value stays a `str`, only its shape is validated.

`date`, `date-time` and `uuid` are typed (the models hold `datetime`/`UUID`); these formats are not. Each check
is the format's syntax, never a lookup (no DNS, no mailbox check), and errs on the side of accepting.
"""

from __future__ import annotations

import ipaddress
import re

import pydantic_core

__all__ = ["email", "ipv4", "ipv6", "uri"]

_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]+")  # RFC 3986: a scheme, then no space or control
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")  # RFC 5321 in its simplest reading: local part, @, domain


def _invalid(kind: str, message: str) -> pydantic_core.PydanticCustomError:
    return pydantic_core.PydanticCustomError(kind, message)


def uri(value: str) -> str:
    """`format: uri`: an absolute URI (a scheme, then something without whitespace or control characters)."""
    if not _URI.fullmatch(value):
        raise _invalid("uri_format", "must be an absolute URI")
    return value


def email(value: str) -> str:
    """`format: email`: one `@` between a non-empty local part and domain, no whitespace."""
    if not _EMAIL.fullmatch(value):
        raise _invalid("email_format", "must be an email address")
    return value


def ipv4(value: str) -> str:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise _invalid("ipv4_format", "must be an IPv4 address") from None
    return value


def ipv6(value: str) -> str:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        raise _invalid("ipv6_format", "must be an IPv6 address") from None
    return value
