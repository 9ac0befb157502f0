"""Behaviour of a generated Python SDK, against respx mocks of the fixture spec's API."""

from __future__ import annotations

import asyncio
import inspect
import io
import json
import logging
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import respx

BASE = "https://eu.shop.test/v1"
ITEM = {"id": "it_1", "name": "Lamp", "status": "active", "created_at": "2026-01-02T03:04:05Z"}


def problem(status: int) -> httpx.Response:
    body = {"type": "about:blank", "title": "Nope", "status": status, "detail": f"failed with {status}"}
    return httpx.Response(status, json=body, headers={"x-request-id": "req_42"})


# ---------------------------------------------------------------- client surface


def test_default_base_url_comes_from_the_first_server_and_its_variable_defaults(shop: ModuleType) -> None:
    assert str(shop.Client().base_url) == BASE + "/"


def test_credentials_fall_back_to_environment_variables(shop: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_SDK_BEARER_TOKEN", "from-env")
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/items/it_1").respond(json=ITEM)
        shop.Client().items.get("it_1")
    assert route.calls.last.request.headers["authorization"] == "Bearer from-env"


def test_import_is_lazy_and_does_not_load_httpx(sdk_dir: Path) -> None:
    code = "import sys, shop_sdk; assert 'httpx' not in sys.modules and 'shop_sdk.models.item' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=sdk_dir, check=True)


@respx.mock(base_url=BASE)
def test_path_parameters_are_positional_and_url_encoded(respx_mock: Any, client: Any) -> None:
    route = respx_mock.get("/items/a%2Fb").respond(json=ITEM)
    item = client.items.get("a/b")
    assert route.called
    assert item.name == "Lamp"


@respx.mock(base_url=BASE)
def test_response_is_parsed_into_typed_models(respx_mock: Any, client: Any, shop: ModuleType) -> None:
    body = {**ITEM, "ref_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "price": None, "class": "A"}
    respx_mock.get("/items/it_1").respond(json=body)
    item = client.items.get("it_1")
    import datetime
    import uuid

    assert isinstance(item, shop.models.Item)
    assert item.created_at == datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert isinstance(item.ref_id, uuid.UUID)
    assert item.price is None
    assert item.class_ == "A"


@respx.mock(base_url=BASE)
def test_unknown_enum_value_from_the_server_is_accepted(respx_mock: Any, client: Any, shop: ModuleType) -> None:
    respx_mock.get("/items/it_1").respond(json={**ITEM, "status": "paused"})
    item = client.items.get("it_1")
    assert item.status.value == "paused"
    assert item.status.name == "UNKNOWN"
    assert isinstance(item.status, shop.models.Status)
    assert client.items.get("it_1").status is not shop.models.Status.ACTIVE


@respx.mock(base_url=BASE)
def test_discriminated_union_picks_the_variant_by_its_tag(respx_mock: Any, client: Any, shop: ModuleType) -> None:
    respx_mock.get("/items/it_1").respond(json={**ITEM, "pricing": {"kind": "tiered", "tiers": [1, 2]}})
    item = client.items.get("it_1")
    assert isinstance(item.pricing, shop.models.TieredPrice)
    assert item.pricing.tiers == [1, 2]


@respx.mock(base_url=BASE)
def test_recursive_model_parses_nested_levels(respx_mock: Any, client: Any) -> None:
    tree = {"id": 1, "name": "root", "children": [{"id": 2, "name": "a", "children": [{"id": 3, "name": "b"}]}]}
    respx_mock.get("/categories/1").respond(json=tree)
    category = client.categories.get(1)
    assert category.children[0].children[0].name == "b"


@respx.mock(base_url=BASE)
def test_undeclared_fields_are_kept(respx_mock: Any, client: Any) -> None:
    respx_mock.get("/items/it_1").respond(json={**ITEM, "brand_new_field": 5})
    item = client.items.get("it_1")
    assert item.model_extra == {"brand_new_field": 5}


@respx.mock(base_url=BASE)
def test_delete_with_204_returns_none(respx_mock: Any, client: Any) -> None:
    respx_mock.delete("/items/it_1").respond(204)
    assert client.items.delete("it_1") is None


# ---------------------------------------------------------------- bodies and auth


@respx.mock(base_url=BASE)
def test_json_body_uses_wire_names_and_omits_unset_fields(respx_mock: Any, client: Any, shop: ModuleType) -> None:
    route = respx_mock.put("/items/it_1").respond(json=ITEM)
    client.items.replace("it_1", name="Lamp", price=None, pricing=shop.models.FixedPrice(kind="fixed", amount=5))
    sent = json.loads(route.calls.last.request.content)
    assert sent == {"name": "Lamp", "price": None, "pricing": {"kind": "fixed", "amount": 5}}


def test_read_only_fields_are_never_sent(shop: ModuleType) -> None:
    from shop_sdk._base_client import to_jsonable

    item = shop.models.Item.model_validate(ITEM)
    assert to_jsonable(item) == {"name": "Lamp", "status": "active"}


@respx.mock(base_url=BASE)
def test_bearer_token_is_sent_and_api_key_only_where_declared(respx_mock: Any, client: Any) -> None:
    items = respx_mock.get("/items/it_1").respond(json=ITEM)
    category = respx_mock.get("/categories/1").respond(json={"id": 1, "name": "c"})
    client.items.get("it_1")
    client.categories.get(1)
    assert items.calls.last.request.headers["authorization"] == "Bearer secret-token"
    assert "x-api-key" not in items.calls.last.request.headers
    assert category.calls.last.request.headers["x-api-key"] == "key-123"
    assert "authorization" not in category.calls.last.request.headers


@respx.mock(base_url=BASE)
def test_form_body_is_url_encoded_and_public_operation_sends_no_auth(respx_mock: Any, client: Any) -> None:
    route = respx_mock.post("/login").respond(json={"token": "t"})
    assert client.auth.login(username="ann", password="pw").token == "t"
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == b"username=ann&password=pw"
    assert "authorization" not in request.headers


@respx.mock(base_url=BASE)
def test_query_array_with_explode_false_is_comma_separated(respx_mock: Any, client: Any) -> None:
    route = respx_mock.get("/items").respond(json={"data": [], "next_cursor": None})
    client.items.list(tags=["a", "b"], limit=5)
    assert route.calls.last.request.url.query == b"limit=5&tags=a,b"


@pytest.mark.parametrize(
    "file",
    [
        b"PNGDATA",
        io.BytesIO(b"PNGDATA"),
        ("photo.png", b"PNGDATA", "image/png"),
    ],
    ids=["bytes", "file-object", "tuple"],
)
def test_multipart_upload_accepts_bytes_file_objects_and_tuples(client: Any, file: object) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.put("/items/it_1/image").respond(204)
        client.items.upload_image("it_1", file=file, caption="front")
    request = route.calls.last.request
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="caption"\r\n\r\nfront' in body
    assert b'name="file"; filename="' in body
    assert b"PNGDATA" in body


@respx.mock(base_url=BASE)
def test_binary_download_returns_bytes(respx_mock: Any, client: Any) -> None:
    respx_mock.get("/items/it_1/image").respond(content=b"\x89PNG", headers={"content-type": "image/png"})
    assert client.items.download_image("it_1") == b"\x89PNG"


@respx.mock(base_url=BASE)
def test_binary_download_asks_for_its_media_type(respx_mock: Any, client: Any) -> None:
    route = respx_mock.get("/items/it_1/image").respond(content=b"\x89PNG", headers={"content-type": "image/png"})
    client.items.download_image("it_1")
    assert route.calls.last.request.headers["accept"] == "image/png"
    item = respx_mock.get("/items/it_1").respond(json=ITEM)
    client.items.get("it_1")
    assert item.calls.last.request.headers["accept"] == "application/json"


@respx.mock(base_url=BASE)
def test_each_success_status_is_parsed_as_the_type_it_declares(respx_mock: Any, client: Any, shop: ModuleType) -> None:
    """replaceItem answers 200 with the item or 202 with a job: each body is read as its own type."""
    route = respx_mock.put("/items/it_1")
    route.respond(200, json=ITEM)
    assert isinstance(client.items.replace("it_1", name="n"), shop.models.Item)
    route.respond(202, json={"id": "job_1", "state": "queued"})
    job = client.items.replace("it_1", name="n")
    assert isinstance(job, shop.models.Job)
    assert job.state == "queued"
    raw = client.with_raw_response.items.replace("it_1", name="n")
    assert isinstance(raw.parse(), shop.models.Job)
    annotation = inspect.signature(type(client.items).replace).return_annotation
    assert annotation == "Item | Job"


@respx.mock(base_url=BASE)
def test_octet_stream_upload_sends_raw_bytes(respx_mock: Any, client: Any) -> None:
    route = respx_mock.put("/items/it_1/raw").respond(204)
    client.items.put_raw("it_1", body=b"\x00\x01")
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/octet-stream"
    assert request.content == b"\x00\x01"


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (418, "APIStatusError"),
    ],
)
def test_each_status_raises_its_error_class(client: Any, shop: ModuleType, status: int, name: str) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.get("/items/it_1").mock(return_value=problem(status))
        with pytest.raises(shop.APIStatusError) as caught:
            client.items.get("it_1", max_retries=0)
    error = caught.value
    assert type(error) is getattr(shop, name)
    assert isinstance(error, shop.APIError)
    assert error.status_code == status
    assert error.request_id == "req_42"
    assert error.response.status_code == status


def test_error_body_is_the_declared_error_model(client: Any, shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.get("/items/it_1").mock(return_value=problem(404))
        with pytest.raises(shop.NotFoundError) as caught:
            client.items.get("it_1")
    assert isinstance(caught.value.body, shop.models.Problem)
    assert caught.value.body.detail == "failed with 404"
    assert "failed with 404" in str(caught.value)


def test_undeclared_error_body_is_parsed_json(client: Any, shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.delete("/items/it_1").respond(409, json={"why": "locked"})
        with pytest.raises(shop.ConflictError) as caught:
            client.items.delete("it_1")
    assert caught.value.body == {"why": "locked"}


def test_connection_error_raises_api_connection_error_after_retries(client: Any, shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/items/it_1").mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(shop.APIConnectionError) as caught:
            client.items.get("it_1")
    assert not isinstance(caught.value, shop.APITimeoutError)
    assert route.call_count == 3


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (json.dumps({**ITEM, "name": 5}).encode(), "the first at name: Input should be a valid string"),
        (json.dumps({"id": "it_1"}).encode(), "the first at name: Field required"),
        (b"<html>not json</html>", "Invalid JSON"),
    ],
)
def test_a_2xx_body_unlike_its_type_is_an_api_error_with_the_body(
    client: Any, shop: ModuleType, content: bytes, where: str
) -> None:
    """Every error the SDK raises derives from APIError: a body the models cannot read is one too, not pydantic's."""
    import pydantic

    with respx.mock(base_url=BASE) as mock:
        mock.get("/items/it_1").respond(200, content=content, headers={"content-type": "application/json"})
        with pytest.raises(shop.APIError) as raised:
            client.items.get("it_1")
    error = raised.value
    assert type(error) is shop.APIResponseValidationError
    assert error.status_code == 200 and error.response.status_code == 200
    assert error.body == (json.loads(content) if content.startswith(b"{") else content.decode())
    assert isinstance(error.__cause__, pydantic.ValidationError)
    assert str(error).startswith("GET /v1/items/it_1 answered 200 with a body that is not Item: ")
    assert where in str(error)


def test_timeout_raises_api_timeout_error(client: Any, shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/items/it_1").mock(side_effect=httpx.ReadTimeout("slow"))
        with pytest.raises(shop.APITimeoutError):
            client.items.get("it_1", max_retries=1, timeout=0.5)
    assert route.call_count == 2
    assert route.calls.last.request.extensions["timeout"]["read"] == 0.5


# ---------------------------------------------------------------- retries


def test_get_is_retried_on_503_with_exponential_backoff(client: Any, delays: list[float]) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/items/it_1").mock(side_effect=[problem(503), problem(503), httpx.Response(200, json=ITEM)])
        assert client.items.get("it_1").id == "it_1"
    assert route.call_count == 3
    assert 0.375 <= delays[0] <= 0.5 and 0.75 <= delays[1] <= 1.0
    assert [c.request.headers["x-sdkgen-retry-count"] for c in route.calls] == ["0", "1", "2"]


def test_retry_after_seconds_and_http_date_and_ms_are_honoured(client: Any, delays: list[float]) -> None:
    later = "Wed, 21 Oct 2099 07:28:00 GMT"
    responses = [
        httpx.Response(429, headers={"retry-after": "3"}),
        httpx.Response(429, headers={"retry-after-ms": "250"}),
        httpx.Response(200, json=ITEM),
    ]
    with respx.mock(base_url=BASE) as mock:
        mock.get("/items/it_1").mock(side_effect=responses)
        client.items.get("it_1")
    assert delays == [3.0, 0.25]
    with respx.mock(base_url=BASE) as mock:
        mock.get("/items/it_1").mock(
            side_effect=[httpx.Response(503, headers={"retry-after": later}), httpx.Response(200, json=ITEM)]
        )
        client.items.get("it_1")
    assert delays[2] <= 0.5  # a date beyond 60 s is not honoured: normal backoff instead


def test_post_without_idempotency_key_is_not_retried(client: Any, shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/items/it_1/notes").mock(side_effect=[problem(503), httpx.Response(201)])
        with pytest.raises(shop.InternalServerError):
            client.items.add_note("it_1", text="hi")
    assert route.call_count == 1
    assert "idempotency-key" not in route.calls.last.request.headers


def test_post_with_explicit_idempotency_key_is_retried_with_that_key(client: Any) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/items/it_1/notes").mock(side_effect=[problem(503), httpx.Response(201)])
        client.items.add_note("it_1", text="hi", idempotency_key="my-key")
    assert [c.request.headers["idempotency-key"] for c in route.calls] == ["my-key", "my-key"]


def test_declared_idempotency_key_is_generated_and_reused_on_every_attempt(client: Any) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/items").mock(side_effect=[problem(500), problem(502), httpx.Response(201, json=ITEM)])
        client.items.create(name="Lamp")
    keys = {c.request.headers["idempotency-key"] for c in route.calls}
    assert route.call_count == 3 and len(keys) == 1
    with respx.mock(base_url=BASE) as mock:
        again = mock.post("/items").respond(201, json=ITEM)
        client.items.create(name="Lamp")
    assert again.calls.last.request.headers["idempotency-key"] not in keys


def test_max_retries_zero_disables_retries(shop: ModuleType, delays: list[float]) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/items/it_1").mock(return_value=problem(503))
        with pytest.raises(shop.InternalServerError):
            shop.Client(bearer_token="t", max_retries=0).items.get("it_1")
    assert route.call_count == 1 and delays == []


def test_400_is_not_retried(client: Any, shop: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/items/it_1").mock(return_value=problem(400))
        with pytest.raises(shop.BadRequestError):
            client.items.get("it_1")
    assert route.call_count == 1


# ---------------------------------------------------------------- raw responses and logging


@respx.mock(base_url=BASE)
def test_with_raw_response_exposes_http_response_and_parse(respx_mock: Any, client: Any, shop: ModuleType) -> None:
    respx_mock.get("/items/it_1").respond(json=ITEM, headers={"x-request-id": "r1"})
    raw = client.with_raw_response.items.get("it_1")
    assert isinstance(raw, shop.APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "r1"
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.parse().name == "Lamp"


@respx.mock(base_url=BASE)
def test_debug_log_has_method_url_status_and_never_the_token(
    respx_mock: Any, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    respx_mock.get("/items/it_1").respond(json=ITEM)
    with caplog.at_level(logging.DEBUG, logger="shop_sdk"):
        client.items.get("it_1")
    text = caplog.text
    assert "GET https://eu.shop.test/v1/items/it_1 -> 200 (attempt 1" in text
    assert "secret-token" not in text


# ---------------------------------------------------------------- pagination


def _cursor_pages(mock: Any) -> Any:
    def respond(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        pages = {None: (["a", "b"], "c2"), "c2": (["c"], "c3"), "c3": (["d"], None)}
        names, next_cursor = pages[cursor]
        data = [{**ITEM, "id": n, "name": n} for n in names]
        return httpx.Response(200, json={"data": data, "next_cursor": next_cursor})

    return mock.get("/items").mock(side_effect=respond)


def test_cursor_pagination_iterates_all_items_lazily(client: Any) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = _cursor_pages(mock)
        page = client.items.list(limit=2)
        assert [i.id for i in page.items] == ["a", "b"] and route.call_count == 1
        assert page.has_next_page()
        assert [i.id for i in page] == ["a", "b", "c", "d"]
    assert route.call_count == 3
    assert route.calls[1].request.url.params["limit"] == "2"


def test_cursor_pagination_by_hand(client: Any) -> None:
    with respx.mock(base_url=BASE) as mock:
        _cursor_pages(mock)
        page = client.items.list()
        second = page.next_page()
        assert [i.id for i in second.items] == ["c"]
        third = second.next_page()
        assert not third.has_next_page()


def test_async_cursor_pagination_with_async_for(shop: ModuleType, delays: list[float]) -> None:
    async def run() -> list[str]:
        async with shop.AsyncClient(bearer_token="t") as client:
            first = await client.items.list()
            assert [i.id for i in first.items] == ["a", "b"]
            return [item.id async for item in client.items.list()]

    with respx.mock(base_url=BASE) as mock:
        _cursor_pages(mock)
        assert asyncio.run(run()) == ["a", "b", "c", "d"]


def test_offset_pagination_advances_offset_until_a_short_page(client: Any) -> None:
    with respx.mock(base_url=BASE) as mock:

        def respond(request: httpx.Request) -> httpx.Response:
            offset = int(request.url.params.get("offset", "0"))
            ids = list(range(5))[offset : offset + 2]
            return httpx.Response(200, json={"events": [{"id": i} for i in ids]})

        route = mock.get("/events").mock(side_effect=respond)
        assert [e.id for e in client.events.list(limit=2)] == [0, 1, 2, 3, 4]
    assert [c.request.url.params.get("offset") for c in route.calls] == [None, "2", "4"]


def test_page_pagination_stops_on_an_empty_page(client: Any) -> None:
    with respx.mock(base_url=BASE) as mock:

        def respond(request: httpx.Request) -> httpx.Response:
            page = int(request.url.params.get("page", "1"))
            return httpx.Response(200, json={"logs": [f"p{page}"] if page <= 2 else []})

        route = mock.get("/logs").mock(side_effect=respond)
        assert list(client.logs.list()) == ["p1", "p2"]
    assert route.call_count == 3


def test_link_header_pagination_follows_rel_next(client: Any) -> None:
    with respx.mock(base_url=BASE) as mock:

        def respond(request: httpx.Request) -> httpx.Response:
            page = request.url.params.get("page", "1")
            headers = {"link": f'<{BASE}/audit?page=2&per_page=1>; rel="next", <{BASE}/audit?page=1>; rel="first"'}
            if page == "2":
                return httpx.Response(200, json=["second"])
            return httpx.Response(200, json=["first"], headers=headers)

        mock.get("/audit").mock(side_effect=respond)
        assert list(client.audit.list(per_page=1)) == ["first", "second"]


@respx.mock(base_url=BASE)
def test_with_streaming_response_reads_the_body_only_when_iterated(respx_mock: Any, client: Any) -> None:
    respx_mock.get("/items/it_1/image").respond(content=b"0123456789", headers={"content-type": "image/png"})
    with client.with_streaming_response.items.download_image("it_1") as response:
        assert not response.http_response.is_stream_consumed
        assert b"".join(response.iter_bytes(4)) == b"0123456789"


def test_resource_access_does_not_import_models(sdk_dir: Path) -> None:
    code = "import sys, shop_sdk; shop_sdk.Client().items; assert 'shop_sdk.models.item' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=sdk_dir, check=True)


# ---------------------------------------------------------------- runtime cost: GC pause, URLs, fixed headers


def _big_page(count: int = 1000) -> bytes:
    body = json.dumps({"data": [{**ITEM, "id": f"it_{i}"} for i in range(count)], "next_cursor": None}).encode()
    assert len(body) >= 64 * 1024  # above GC_PAUSE_MIN_BYTES
    return body


def _record_gc(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import gc

    calls: list[str] = []
    disable, enable = gc.disable, gc.enable
    monkeypatch.setattr(gc, "disable", lambda: (calls.append("disable"), disable())[1])
    monkeypatch.setattr(gc, "enable", lambda: (calls.append("enable"), enable())[1])
    return calls


def test_large_body_is_validated_with_the_gc_paused_then_resumed(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    calls = _record_gc(monkeypatch)
    with respx.mock(base_url=BASE) as mock:
        mock.get("/items").respond(content=_big_page(), headers={"content-type": "application/json"})
        page = client.items.list()
        assert len(page.items) == 1000 and page.items[999].id == "it_999"
        assert calls == ["disable", "enable"] and gc.isenabled()
        mock.get("/items/it_1").respond(json=ITEM)
        client.items.get("it_1")  # a small body: no pause
    assert calls == ["disable", "enable"]


def test_gc_is_resumed_when_validation_fails_and_left_off_when_it_was_off(
    client: Any, shop: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    calls = _record_gc(monkeypatch)
    broken = _big_page().replace(b'"name": "Lamp"', b'"name": 5', 1)
    with respx.mock(base_url=BASE) as mock:
        mock.get("/items").respond(content=broken, headers={"content-type": "application/json"})
        with pytest.raises(shop.APIResponseValidationError):
            client.items.list()
        assert calls == ["disable", "enable"] and gc.isenabled()
        gc.disable()
        try:
            mock.get("/items").respond(content=_big_page(), headers={"content-type": "application/json"})
            client.items.list()
            assert not gc.isenabled()
        finally:
            gc.enable()
    assert calls == ["disable", "enable", "disable", "enable"]  # the last two are this test's own


def test_replacing_base_url_takes_effect_on_the_next_call(client: Any) -> None:
    with respx.mock() as mock:
        first = mock.get(f"{BASE}/items/it_1").respond(json=ITEM)
        other = mock.get("https://other.shop.test/v2/items/it_1").respond(json=ITEM)
        client.items.get("it_1")
        client.base_url = httpx.URL("https://other.shop.test/v2/")
        client.items.get("it_1")
    assert first.call_count == 1 and other.call_count == 1


@pytest.mark.parametrize("given_http_client", [False, True], ids=["own-http-client", "given-http-client"])
def test_fixed_headers_defaults_and_extra_headers_take_precedence_in_order(
    shop: ModuleType, given_http_client: bool
) -> None:
    http_client = httpx.Client(headers={"Accept": "text/plain", "X-Theirs": "1"}) if given_http_client else None
    client = shop.Client(bearer_token="t", default_headers={"X-Team": "a", "X-Other": "b"}, http_client=http_client)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/items/it_1").respond(json=ITEM)
        client.items.get("it_1", extra_headers={"X-Other": "override"})
        client.items.get("it_1")
    first, second = (c.request.headers for c in route.calls)
    assert first["accept"] == "application/json"
    assert first["user-agent"].startswith("shop")
    assert first["x-team"] == "a" and first["x-other"] == "override" and second["x-other"] == "b"
    assert first["x-sdkgen-retry-count"] == "0"
    assert first["authorization"] == "Bearer t"
    assert first.get_list("accept") == ["application/json"]
    if given_http_client:
        assert first["x-theirs"] == "1"


def test_extra_headers_replace_headers_they_name_in_any_case(shop: ModuleType) -> None:
    """`extra_headers={"authorization": ...}` was sent beside the credential's `Authorization` (httpx keeps both
    spellings), and a lower-case `content-type` beside the body's own."""
    client = shop.Client(bearer_token="t", max_retries=0)
    with respx.mock(base_url=BASE) as mock:
        got = mock.get("/items/it_1").respond(json=ITEM)
        created = mock.post("/items").respond(201, json=ITEM)
        client.items.get("it_1", extra_headers={"authorization": "Bearer other"})
        client.items.create(name="Lamp", extra_headers={"content-type": "application/vnd.shop+json"})
        client.items.create(name="Lamp")
    assert got.calls[0].request.headers.get_list("authorization") == ["Bearer other"]
    given, default = (call.request.headers for call in created.calls)
    assert given.get_list("content-type") == ["application/vnd.shop+json"]
    assert default.get_list("content-type") == ["application/json"]


@respx.mock(base_url=BASE)
def test_unknown_enum_values_are_one_member_per_value_and_never_listed(
    respx_mock: Any, client: Any, shop: ModuleType
) -> None:
    body = {"data": [{**ITEM, "id": f"it_{i}", "status": "paused"} for i in range(3)], "next_cursor": None}
    respx_mock.get("/items").respond(json=body)
    statuses = [item.status for item in client.items.list().items]
    Status = shop.models.Status
    assert statuses[0] is statuses[1] is statuses[2] is Status("paused")
    assert statuses[0] == "paused" and statuses[0].name == "UNKNOWN"
    assert "UNKNOWN" not in Status.__members__ and all(m.name != "UNKNOWN" for m in Status)
    assert Status("archived-later") is not Status("paused")
    with pytest.raises(ValueError):
        Status(5)
