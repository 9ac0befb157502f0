"""`Client.with_options`: a copy of a client with some settings changed, sharing the connection pool."""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import httpx
import pytest
import respx

BASE = "https://eu.shop.test/v1"
ITEM = {"id": "it_1", "name": "Lamp", "status": "active", "created_at": "2026-01-02T03:04:05Z"}


def test_unchanged_settings_are_kept_and_given_ones_replaced(shop: ModuleType) -> None:
    with shop.Client(
        bearer_token="tok", api_key="key", timeout=30.0, max_retries=4, default_headers={"X-Team": "a"}
    ) as client:
        copy = client.with_options(timeout=None, max_retries=0)
        assert type(copy) is shop.Client
        assert copy is not client
        assert (copy.timeout, copy.max_retries) == (None, 0)
        assert str(copy.base_url) == str(client.base_url)
        assert (client.timeout, client.max_retries) == (30.0, 4)  # the original is left as it was
        kept = client.with_options()
        assert (kept.timeout, kept.max_retries) == (30.0, 4)


def test_the_copy_sends_the_original_credentials_and_headers_plus_its_own(shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock, shop.Client(bearer_token="tok", default_headers={"X-Team": "a"}) as client:
        route = mock.get("/items/it_1").respond(json=ITEM)
        copy = client.with_options(default_headers={"X-Trace": "t1"}, default_query={"locale": "ko"})
        assert copy.items.get("it_1").name == "Lamp"
        sent = route.calls.last.request
        assert sent.headers["authorization"] == "Bearer tok"
        assert (sent.headers["x-team"], sent.headers["x-trace"]) == ("a", "t1")
        assert sent.url.params["locale"] == "ko"
        client.items.get("it_1")
        original = route.calls.last.request
        assert "x-trace" not in original.headers and "locale" not in original.url.params


def test_a_header_given_again_replaces_the_original_value(shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock, shop.Client(default_headers={"X-Team": "a"}) as client:
        route = mock.get("/items/it_1").respond(json=ITEM)
        client.with_options(default_headers={"X-Team": "b"}).items.get("it_1")
        assert route.calls.last.request.headers.get_list("x-team") == ["b"]


def test_a_credential_given_replaces_only_that_credential(shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock, shop.Client(bearer_token="old", api_key="key") as client:
        route = mock.get("/items/it_1").respond(json=ITEM)
        client.with_options(bearer_token="new").items.get("it_1")
        assert route.calls.last.request.headers["authorization"] == "Bearer new"
        client.items.get("it_1")
        assert route.calls.last.request.headers["authorization"] == "Bearer old"


def test_base_url_can_be_changed(shop: ModuleType) -> None:
    with respx.mock() as mock, shop.Client() as client:
        route = mock.get("https://staging.shop.test/v2/items/it_1").respond(json=ITEM)
        client.with_options(base_url="https://staging.shop.test/v2").items.get("it_1")
        assert route.called


def test_the_copy_shares_the_pool_and_closing_it_leaves_the_pool_open(shop: ModuleType) -> None:
    client = shop.Client()
    copy = client.with_options(max_retries=0)
    assert copy._client is client._client
    copy.close()
    assert not client._client.is_closed
    client.close()
    assert client._client.is_closed


def test_an_http_client_given_is_used_and_not_closed_by_the_copy(shop: ModuleType) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json=ITEM)

    own = httpx.Client(transport=httpx.MockTransport(handler))
    with shop.Client(bearer_token="tok") as client:
        copy = client.with_options(http_client=own)
        copy.items.get("it_1")
        copy.close()
    assert not own.is_closed
    assert calls[0].headers["authorization"] == "Bearer tok"
    own.close()


@pytest.mark.parametrize("settings", [{"timeout": 1.5}, {"max_retries": 3}])
def test_async_client_copies_too(shop: ModuleType, settings: dict[str, Any]) -> None:
    async def scenario() -> None:
        with respx.mock(base_url=BASE) as mock:
            route = mock.get("/items/it_1").respond(json=ITEM)
            async with shop.AsyncClient(bearer_token="tok", default_headers={"X-Team": "a"}) as client:
                copy = client.with_options(**settings)
                assert type(copy) is shop.AsyncClient and copy._client is client._client
                for name, value in settings.items():
                    assert getattr(copy, name) == value
                item = await copy.items.get("it_1")
                assert item.name == "Lamp"
                await copy.close()
                assert not client._client.is_closed
            sent = route.calls.last.request
            assert (sent.headers["authorization"], sent.headers["x-team"]) == ("Bearer tok", "a")

    asyncio.run(scenario())


def test_timeout_given_is_sent_with_each_request(shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock, shop.Client(timeout=30.0) as client:
        route = mock.get("/items/it_1").respond(json=ITEM)
        client.with_options(timeout=2.5).items.get("it_1")
        assert route.calls.last.request.extensions["timeout"]["read"] == 2.5
        client.items.get("it_1")
        assert route.calls.last.request.extensions["timeout"]["read"] == 30.0
