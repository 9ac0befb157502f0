"""Checks pydantic has no constraint for (static runtime), used as `AfterValidator`s: string formats and
`uniqueItems`. The value is returned as it came. And `literal_text`, which reads a parameter's text as the
boolean or number literal it spells, and `or_default`, which reads a value its type refuses as a default.

`date`, `date-time` and `uuid` are typed (the models hold `datetime`/`UUID`); the formats here are not. Each check
is the format's syntax, never a lookup (no DNS, no mailbox check), and errs on the side of accepting.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

import pydantic
import pydantic_core

__all__ = ["email", "ipv4", "ipv6", "literal_text", "or_default", "unique_items", "uri"]

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
    """`format: ipv4`: dotted quad, as the standard library reads it."""
    return _address(value, ipaddress.IPv4Address, "ipv4")


def ipv6(value: str) -> str:
    """`format: ipv6`: as the standard library reads it (`::1`, `fe80::1`)."""
    return _address(value, ipaddress.IPv6Address, "ipv6")


def _address(value: str, parse: Callable[[str], object], kind: str) -> str:
    try:
        parse(value)
    except ValueError:
        raise _invalid(f"{kind}_format", f"must be an {kind.replace('ip', 'IP')} address") from None
    return value


_ANY: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(Any)  # dumps models, enums and dates as JSON data


def unique_items(value: list[Any]) -> list[Any]:
    """`uniqueItems: true`: no two items equal as JSON values (`true` is not `1`; objects compare by content)."""
    seen: set[object] = set()
    for index, item in enumerate(value):
        key = _json_key(item)
        if key in seen:
            raise pydantic_core.PydanticCustomError(
                "unique_items", "must not repeat an item (item {index} repeats an earlier one)", {"index": index}
            )
        seen.add(key)
    return value


def _json_key(item: object) -> object:
    if isinstance(item, bool) or item is None:
        return ("literal", item)
    if isinstance(item, (int, float)):
        return ("number", item)  # 1 and 1.0 are the same JSON number
    if isinstance(item, str):
        return ("string", item)
    data = _ANY.dump_python(item, mode="json", by_alias=True, exclude_unset=True)
    return ("json", json.dumps(data, sort_keys=True, separators=(",", ":")))


def or_default(default: Any) -> Callable[[Any, pydantic.ValidatorFunctionWrapHandler], Any]:
    """A `WrapValidator` reading a value its type refuses as `default` (a header the HTTP stack sets itself, such
    as node's `Accept-Language: *`, where the spec lists the languages it serves)."""

    def validate(value: Any, handler: pydantic.ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except pydantic.ValidationError:
            return default

    return validate


def literal_text(values: tuple[str | int | float | bool, ...]) -> Callable[[Any], Any]:
    """A `BeforeValidator` for a parameter typed by literals some of which are booleans or numbers: the text a URL
    or header carries (`true`, `2`, `0.5`, `2.0`) becomes the literal it spells, unless it is a string literal
    itself; anything else is left for the type to judge."""
    strings = {v for v in values if isinstance(v, str)}
    booleans = {("true" if v else "false"): v for v in values if isinstance(v, bool)}
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]

    def read(value: Any) -> Any:
        if not isinstance(value, str) or value in strings:
            return value
        if value in booleans:
            return booleans[value]
        try:
            number = float(value)
        except ValueError:
            return value
        return next((n for n in numbers if n == number), value)

    return read
