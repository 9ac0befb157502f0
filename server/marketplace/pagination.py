"""Cursor pagination: keyset pages behind an opaque cursor.

A list orders its rows by a few columns ending with the unique id (e.g. `created_at DESC, id DESC`).
The cursor is the last row's values of those columns, with the name of the list it belongs to,
as base64url JSON; a cursor from another list, or not one at all, is 400.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from . import problems

__all__ = ["Page", "SortKey", "decode_cursor", "encode_cursor", "paginate"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SortKey:
    """One column of a list's order."""

    column: ColumnElement[Any] | QueryableAttribute[Any]
    descending: bool
    kind: str = "str"  # how its value travels in the cursor: "str", "int", "float", "datetime"


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    has_more: bool


def _dump(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        assert isinstance(value, datetime.datetime)
        return value.isoformat()
    return value


def _load(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return datetime.datetime.fromisoformat(str(value))
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(value)
        return value
    if kind == "float":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ValueError(value)
        return float(value)
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def encode_cursor(list_name: str, values: Sequence[Any], keys: Sequence[SortKey]) -> str:
    data = {"l": list_name, "v": [_dump(v, k.kind) for v, k in zip(values, keys, strict=True)]}
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(list_name: str, cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    invalid = problems.bad_request("cursor is not a valid cursor for this list")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("l") != list_name:
            raise invalid
        values = data.get("v")
        if not isinstance(values, list) or len(values) != len(keys):
            raise invalid
        return [_load(v, k.kind) for v, k in zip(values, keys, strict=True)]
    except (binascii.Error, ValueError, UnicodeDecodeError, TypeError):
        raise invalid from None


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `keys` (values are never null: lists coalesce)."""
    clauses = []
    for i, key in enumerate(keys):
        equal = [keys[j].column == values[j] for j in range(i)]
        beyond = key.column < values[i] if key.descending else key.column > values[i]
        clauses.append(and_(*equal, beyond))
    return or_(*clauses)


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    *,
    list_name: str,
    keys: Sequence[SortKey],
    cursor: str | None,
    limit: int,
) -> Page[Any]:
    """One page of the entities `statement` selects: ordered by `keys`, after `cursor`, at most `limit`."""
    if cursor is not None:
        statement = statement.where(_after(keys, decode_cursor(list_name, cursor, keys)))
    statement = statement.add_columns(*(k.column for k in keys))
    statement = statement.order_by(*(k.column.desc() if k.descending else k.column.asc() for k in keys))
    rows = list((await session.execute(statement.limit(limit + 1))).all())
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(list_name, tuple(rows[-1])[1:], keys) if has_more and rows else None
    return Page([row[0] for row in rows], next_cursor, has_more)
