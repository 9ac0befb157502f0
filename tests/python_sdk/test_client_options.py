"""`Client.with_options` (a copy of a client with some settings changed, sharing the connection pool) and the
per-call `extra_body` (members the spec does not declare, added to the request body)."""

from __future__ import annotations

import asyncio
import io
import json
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs

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


# ---------------------------------------------------------------- extra_body


def test_extra_body_adds_members_to_a_json_body_and_wins(shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock, shop.Client() as client:
        route = mock.post("/items").respond(201, json=ITEM)
        client.items.create(name="Lamp", extra_body={"colour": "red", "name": "Lamp 2"})
        assert json.loads(route.calls.last.request.content) == {"name": "Lamp 2", "colour": "red"}


def test_extra_body_adds_form_and_multipart_fields(shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock, shop.Client() as client:
        login = mock.post("/login").respond(json={"token": "t"})
        client.auth.login(username="ann", password="pw", extra_body={"otp": "123456"})
        assert parse_qs(login.calls.last.request.content.decode()) == {
            "username": ["ann"],
            "password": ["pw"],
            "otp": ["123456"],
        }
        upload = mock.put("/items/it_1/image").respond(204)
        client.items.upload_image("it_1", file=io.BytesIO(b"png"), extra_body={"alt": "front view"})
        sent = upload.calls.last.request.content
        assert b'name="alt"\r\n\r\nfront view' in sent and b"png" in sent


def test_extra_body_alone_is_the_json_body_of_a_call_without_one(shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock, shop.Client() as client:
        route = mock.get("/items/it_1").respond(json=ITEM)
        client.items.get("it_1", extra_body={"probe": True})
        sent = route.calls.last.request
        assert json.loads(sent.content) == {"probe": True}
        assert sent.headers["content-type"] == "application/json"


def test_extra_body_cannot_be_added_to_a_raw_body(shop: ModuleType) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as mock, shop.Client() as client:
        route = mock.put("/items/it_1/raw").respond(204)
        with pytest.raises(TypeError, match="raw"):
            client.items.put_raw("it_1", body=b"\x00", extra_body={"x": 1})
        assert not route.called
