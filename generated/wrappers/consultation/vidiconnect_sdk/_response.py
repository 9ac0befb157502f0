"""Raw and streamed responses (static runtime).

``client.with_raw_response.<resource>.<method>(...)`` returns the HTTP response with ``.parse()``;
``client.with_streaming_response`` does the same without reading the body first (use it as a
context manager and iterate ``iter_bytes()``), for large downloads.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar, cast

import httpx
from typing_extensions import ParamSpec

from ._base_client import RAW_RESPONSE_HEADER

__all__ = ["APIResponse", "async_to_raw_response_wrapper", "to_raw_response_wrapper"]

_T = TypeVar("_T")
_P = ParamSpec("_P")


class APIResponse(Generic[_T]):
    """The HTTP response of a call, with the parsed body one ``parse()`` away."""

    def __init__(self, http_response: httpx.Response, parse: Callable[[], _T]) -> None:
        self.http_response = http_response
        self._parse = parse
        self._parsed: list[_T] = []

    @property
    def http_request(self) -> httpx.Request:
        """The request as it was sent (its final attempt)."""
        return self.http_response.request

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def parse(self) -> _T:
        """The body as the method would have returned it (parsed once, then cached)."""
        if not self._parsed:
            if not self.http_response.is_stream_consumed and not self.http_response.is_closed:
                self.http_response.read()
            self._parsed.append(self._parse())
        return self._parsed[0]

    # streaming (with_streaming_response): the body is read only as you iterate

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def close(self) -> None:
        self.http_response.close()

    async def aclose(self) -> None:
        await self.http_response.aclose()

    def __enter__(self) -> APIResponse[_T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> APIResponse[_T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.http_response.request.method} {self.http_response.url}>"


def _mark(kwargs: dict[str, Any], mode: str) -> None:
    headers = dict(kwargs.get("extra_headers") or {})
    headers[RAW_RESPONSE_HEADER] = mode
    kwargs["extra_headers"] = headers


def to_raw_response_wrapper(func: Callable[_P, _T], mode: str = "raw") -> Callable[_P, APIResponse[_T]]:
    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        _mark(kwargs, mode)
        return cast(APIResponse[_T], func(*args, **kwargs))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_T]], mode: str = "raw"
) -> Callable[_P, Awaitable[APIResponse[_T]]]:
    @functools.wraps(func)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        _mark(kwargs, mode)
        return cast(APIResponse[_T], await func(*args, **kwargs))

    return wrapped
