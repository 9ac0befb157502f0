"""Request ids and problem details on every response (ASGI middleware).

Every response carries `X-Request-Id`: the client's when it sent a valid one (`req_` and 10 to 40
letters or digits), else a new one. Problem details bodies get the same id as `request_id`, and a
platform problem type in place of `about:blank` where the status says which (401 → unauthenticated, ...).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .ids import ulid
from .problems import STATUS_TYPES, problem_type

__all__ = ["REQUEST_ID_HEADER", "RequestIdMiddleware", "request_id_of"]

REQUEST_ID_HEADER = "x-request-id"
_VALID = re.compile(r"^req_[0-9A-Za-z]{10,40}$")
_PROBLEM = b"application/problem+json"
_URI_SAFE = "/:@!$&'()*+,;=-._~"


def request_id_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER.encode():
            candidate = str(value.decode("latin-1"))
            if _VALID.match(candidate):
                return candidate
    return "req_" + ulid()


def _enrich(body: bytes, request_id: str) -> bytes:
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if not isinstance(data, dict):
        return body
    data.setdefault("request_id", request_id)
    if isinstance(data.get("instance"), str):  # the request path, decoded: make it a URI reference again
        data["instance"] = quote(data["instance"], safe=_URI_SAFE)
    status = data.get("status")
    generic = data.get("type", "about:blank") == "about:blank"
    if generic and isinstance(status, int) and status in STATUS_TYPES and (status != 422 or "errors" in data):
        kind, title = STATUS_TYPES[status]
        data["type"] = problem_type(kind)
        data["title"] = title
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        start: dict[str, Any] | None = None
        chunks: list[bytes] = []

        async def send_with_id(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER.encode()]
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(_PROBLEM):
                    start = message  # hold it until the body is complete
                    return
                await send(message)
                return
            if message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = _enrich(b"".join(chunks), request_id)
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, send_with_id)
