"""Comma-separated array query parameters (`style: form, explode: false`) as FastAPI reads arrays.

The spec sends `status=requested,accepted`; the generated stub's routes read an array from
repeated parameters (`status=requested&status=accepted`). Until the stub splits them itself, this
middleware rewrites the query string of the operations that declare such parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["UNEXPLODED", "UnexplodedQueryMiddleware"]

# (method, path) → the array parameters the spec sends comma-separated.
UNEXPLODED: Mapping[tuple[str, str], frozenset[str]] = {
    ("GET", "/v1/consultations"): frozenset({"status"}),
}


def split_query(query: bytes, names: frozenset[str]) -> bytes:
    pairs: list[tuple[str, str]] = []
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if name in names:  # `status=` is the empty array: no parameter at all
            pairs.extend((name, part) for part in value.split(",") if part)
        else:
            pairs.append((name, value))
    return urlencode(pairs).encode("latin-1")


class UnexplodedQueryMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            names = UNEXPLODED.get((scope["method"], scope["path"]))
            if names:
                scope = {**scope, "query_string": split_query(scope["query_string"], names)}
        await self.app(scope, receive, send)
