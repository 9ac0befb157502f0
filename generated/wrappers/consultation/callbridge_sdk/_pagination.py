"""Pages of list operations (static runtime).

A method that lists returns a page: ``.items`` holds this page's items, ``has_next_page()`` and
``next_page()`` move by hand, and iterating the page yields every item of every page, fetching
lazily. The async client returns an ``AsyncPaginator``: ``await`` it for the first page, or
``async for`` over it for every item.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Awaitable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._base_client import PageSpec, Request, parse_body

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage"]

_T = TypeVar("_T")
_LINK_NEXT = re.compile(r'<([^>]*)>\s*;[^,]*rel="?next"?', re.IGNORECASE)


def _dig(body: object, path: tuple[str, ...]) -> Any:
    for name in path:
        if body is None:
            return None
        body = body.get(name) if isinstance(body, dict) else getattr(body, name, None)
    return body


def _next_request(
    spec: PageSpec, request: Request, response: httpx.Response, body: object, items: list[Any]
) -> Request | None:
    query = dict(request.query)
    count = len(items)
    if spec.style == "cursor":
        if spec.has_more and _dig(body, spec.has_more) is False:
            return None
        if spec.next_cursor or not spec.item_cursor:
            cursor = _dig(body, spec.next_cursor)
        else:
            cursor = _dig(items[-1], spec.item_cursor) if items else None
        if cursor in (None, "") or cursor == query.get(spec.cursor_param or ""):
            return None
        query[spec.cursor_param or "cursor"] = cursor
    elif spec.style == "offset":
        if count == 0:
            return None
        limit = query.get(spec.limit_param or "")
        if isinstance(limit, int) and count < limit:
            return None
        offset = query.get(spec.offset_param or "offset")
        query[spec.offset_param or "offset"] = (offset if isinstance(offset, int) else 0) + count
    elif spec.style == "page":
        if count == 0:
            return None
        limit = query.get(spec.limit_param or "")
        if isinstance(limit, int) and count < limit:
            return None
        page = query.get(spec.page_param or "page")
        query[spec.page_param or "page"] = (page if isinstance(page, int) else 1) + 1
    else:  # RFC 8288 Link: <...>; rel="next"
        match = _LINK_NEXT.search(response.headers.get("link", ""))
        if match is None:
            return None
        url = httpx.URL(match.group(1))
        next_query = dict(url.params.multi_items())
        return dataclasses.replace(request, query=next_query, path_params={})
    return dataclasses.replace(request, query=query)


class _PageBase(Generic[_T]):
    items: list[_T]
    """The items of this page."""
    body: Any
    """The whole parsed response of this page."""
    response: httpx.Response

    def __init__(self, request: Request, response: httpx.Response, body: Any) -> None:
        self._request = request
        self.response = response
        self.body = body
        spec = request.endpoint.page
        assert spec is not None
        found = _dig(body, spec.items) if spec.items else body
        self.items = list(found or [])
        self._next = _next_request(spec, request, response, body, self.items)

    def has_next_page(self) -> bool:
        return self._next is not None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(items={len(self.items)}, has_next_page={self.has_next_page()})"


class SyncPage(_PageBase[_T]):
    def __init__(self, client: SyncAPIClient, request: Request, response: httpx.Response, body: Any) -> None:
        super().__init__(request, response, body)
        self._client = client

    @classmethod
    def _from_response(cls, client: SyncAPIClient, request: Request, response: httpx.Response) -> SyncPage[_T]:
        return cls(client, request, response, parse_body(response, request.endpoint.response))

    def next_page(self) -> SyncPage[_T]:
        if self._next is None:
            raise StopIteration("no next page; check has_next_page() first")
        response = self._client._send(self._next)
        return type(self)._from_response(self._client, self._next, response)

    def iter_pages(self) -> Iterator[SyncPage[_T]]:
        page: SyncPage[_T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.next_page()

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_PageBase[_T]):
    def __init__(self, client: AsyncAPIClient, request: Request, response: httpx.Response, body: Any) -> None:
        super().__init__(request, response, body)
        self._client = client

    @classmethod
    def _from_response(cls, client: AsyncAPIClient, request: Request, response: httpx.Response) -> AsyncPage[_T]:
        return cls(client, request, response, parse_body(response, request.endpoint.response))

    async def next_page(self) -> AsyncPage[_T]:
        if self._next is None:
            raise StopAsyncIteration("no next page; check has_next_page() first")
        response = await self._client._send(self._next)
        return type(self)._from_response(self._client, self._next, response)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[_T]]:
        page: AsyncPage[_T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPaginator(Awaitable[AsyncPage[_T]], Generic[_T]):
    """What an async list method returns: await it for the first page, or ``async for`` every item."""

    def __init__(self, first: Awaitable[AsyncPage[_T]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[_T]]:
        return self._first.__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = await self._first
        async for item in page:
            yield item
