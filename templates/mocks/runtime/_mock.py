"""A respx mock of an API, answering every operation with a response valid against its spec (static runtime).

    with ShopMock() as mock:                          # routes every operation of the spec
        mock.respond("getItem", json={...})            # override one operation's answer
        mock.fail("createItem", status=503, times=2)   # inject errors (or exception=httpx.ConnectError("x"))
        mock.delay("listItems", 0.2)                   # inject latency (seconds)
        mock.on("getItem", lambda request: httpx.Response(404))
        ...
        mock.calls("createItem")                       # the recorded httpx.Request objects
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx
import respx
from typing_extensions import Self

__all__ = ["APIMock", "MockOperation"]

Handler = Callable[[httpx.Request], httpx.Response]


@dataclass(frozen=True)
class MockOperation:
    """One operation of the spec and the response it answers with by default."""

    operation_id: str
    method: str
    path: str
    status: int
    content_type: str | None
    body: str | None  # JSON text (or raw text) of the default response body

    def pattern(self) -> str:
        parts = re.split(r"(\{[^}]+\})", self.path)
        return "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"


@dataclass
class _State:
    override: Handler | None = None
    failures: list[httpx.Response | Exception] = field(default_factory=list)
    delay: float = 0.0
    calls: list[httpx.Request] = field(default_factory=list)


class APIMock:
    operations: tuple[MockOperation, ...] = ()
    default_base_url: str = "http://localhost"

    def __init__(self, base_url: str | None = None, *, assert_all_mocked: bool = True) -> None:
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.router = respx.mock(assert_all_called=False, assert_all_mocked=assert_all_mocked)
        self._state = {op.operation_id: _State() for op in self.operations}
        base_path = re.escape(httpx.URL(self.base_url).path.rstrip("/"))
        host = httpx.URL(self.base_url)
        # longest (most specific) templates first, so /items/search wins over /items/{id}
        for op in sorted(self.operations, key=lambda o: (-len(o.path.split("/")), "{" in o.path.split("/")[-1])):
            self.router.route(
                method=op.method,
                scheme=host.scheme,
                host=host.host,
                path__regex="^" + base_path + op.pattern(),
            ).mock(side_effect=self._handler(op))

    # -- hooks

    def respond(
        self,
        operation_id: str,
        *,
        status: int = 200,
        json: Any = None,
        content: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer every later call of the operation with this response."""
        state = self._get(operation_id)
        response_json = json

        def handler(request: httpx.Request) -> httpx.Response:
            if content is not None:
                return httpx.Response(status, content=content, headers=headers)
            return httpx.Response(status, json=response_json, headers=headers)

        state.override = handler

    def on(self, operation_id: str, handler: Handler) -> None:
        """Answer every later call of the operation with whatever `handler(request)` returns."""
        self._get(operation_id).override = handler

    def fail(
        self,
        operation_id: str,
        *,
        status: int = 500,
        times: int = 1,
        json: Any = None,
        headers: dict[str, str] | None = None,
        exception: Exception | None = None,
    ) -> None:
        """Make the next `times` calls fail with an error status (or raise `exception`, e.g. a timeout)."""
        state = self._get(operation_id)
        body = json if json is not None else {"title": "Injected failure", "status": status}
        for _ in range(times):
            state.failures.append(exception if exception is not None else httpx.Response(status, json=body, headers=headers))

    def delay(self, operation_id: str, seconds: float) -> None:
        """Wait this long before answering each call of the operation."""
        self._get(operation_id).delay = seconds

    def calls(self, operation_id: str) -> list[httpx.Request]:
        return list(self._get(operation_id).calls)

    def reset(self) -> None:
        self._state = {op.operation_id: _State() for op in self.operations}

    # -- respx plumbing

    def __enter__(self) -> Self:
        self.router.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.router.__exit__(exc_type, exc, tb)

    def _get(self, operation_id: str) -> _State:
        try:
            return self._state[operation_id]
        except KeyError:
            raise KeyError(f"no operation {operation_id!r} in this mock") from None

    def _handler(self, op: MockOperation) -> Handler:
        def handle(request: httpx.Request) -> httpx.Response:
            state = self._state[op.operation_id]
            state.calls.append(request)
            if state.delay:
                time.sleep(state.delay)
            if state.failures:
                failure = state.failures.pop(0)
                if isinstance(failure, Exception):
                    raise failure
                return failure
            if state.override is not None:
                return state.override(request)
            return default_response(op)

        return handle


def default_response(op: MockOperation) -> httpx.Response:
    if op.body is None:
        return httpx.Response(op.status)
    headers = {"content-type": op.content_type or "application/json"}
    return httpx.Response(op.status, content=op.body.encode("utf-8"), headers=headers)


def example_json(operation: MockOperation) -> Any:
    """The default body of an operation, parsed."""
    return json.loads(operation.body) if operation.body else None
