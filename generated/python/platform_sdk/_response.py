"""Raw responses (static runtime): ``client.with_raw_response.<resource>.<method>(...)``."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
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
            self._parsed.append(self._parse())
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.http_response.request.method} {self.http_response.url}>"


def _mark_raw(kwargs: dict[str, Any]) -> None:
    headers = dict(kwargs.get("extra_headers") or {})
    headers[RAW_RESPONSE_HEADER] = "raw"
    kwargs["extra_headers"] = headers


def to_raw_response_wrapper(func: Callable[_P, _T]) -> Callable[_P, APIResponse[_T]]:
    @functools.wraps(func)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        _mark_raw(kwargs)
        return cast(APIResponse[_T], func(*args, **kwargs))

    return wrapped


def async_to_raw_response_wrapper(func: Callable[_P, Awaitable[_T]]) -> Callable[_P, Awaitable[APIResponse[_T]]]:
    @functools.wraps(func)
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        _mark_raw(kwargs)
        return cast(APIResponse[_T], await func(*args, **kwargs))

    return wrapped
