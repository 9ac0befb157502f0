"""Requests by kind (aliases, path/header/cookie parameters, forms, files, raw bodies) on the shop fixture."""

from __future__ import annotations

import base64
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient

ITEM = {"itemId": "itm_1", "displayName": "Mug", "unitPrice": 7.5, "createdAt": "2025-03-01T10:00:00Z"}


def test_parameters_are_read_by_their_wire_names_from_query_header_and_cookie(shop: ModuleType) -> None:
    from shop_server.models import ItemPage, ListItemsOrder

    calls: list[dict[str, Any]] = []

    class Items(shop.ItemsServiceBase):
        async def list(self, context: Any, **arguments: Any) -> Any:
            calls.append(arguments)
            return ItemPage.model_validate({"items": [ITEM], "nextPage": None})

    client = TestClient(shop.create_app(items=Items()))
    client.cookies.set("session", "s-1")
    response = client.get("/items?tag=red&tag=blue&pageSize=5&order=cheapest", headers={"X-Trace-Id": "t-1"})
    assert response.status_code == 200, response.text
    assert calls == [
        {
            "tag": ["red", "blue"],
            "page_size": 5,
            "order": ListItemsOrder.CHEAPEST,
            "x_trace_id": "t-1",
            "session": "s-1",
        }
    ]


def test_return_value_is_serialised_with_wire_names_leaving_out_unset_properties(shop: ModuleType) -> None:
    from shop_server.models import Item, ItemPage

    class Items(shop.ItemsServiceBase):
        async def list(self, context: Any, **arguments: Any) -> Any:
            item = Item(item_id="itm_1", display_name="Mug", unit_price=7.5, created_at="2025-03-01T10:00:00Z")
            return ItemPage(items=[item], next_page=None)

    body = TestClient(shop.create_app(items=Items())).get("/items").json()
    assert body == {"items": [{**ITEM, "createdAt": "2025-03-01T10:00:00Z"}], "nextPage": None}


def test_json_body_is_validated_into_the_model_by_wire_names(shop: ModuleType) -> None:
    received: list[Any] = []

    class Items(shop.ItemsServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            received.append(body)
            return shop.Result(
                {**ITEM, "displayName": body.display_name}, status_code=201, headers={"Location": "/items/itm_1"}
            )

    client = TestClient(shop.create_app(items=Items()))
    auth = {"Authorization": "Bearer t"}
    response = client.post("/items", json={"displayName": "Mug", "unitPrice": 7.5, "kind": "digital"}, headers=auth)
    assert response.status_code == 201
    assert response.headers["location"] == "/items/itm_1"
    assert received[0].display_name == "Mug"
    assert received[0].kind.value == "digital"
    for invalid in (
        {"displayName": "Mug"},
        {"displayName": "Mug", "unitPrice": -1},
        {"displayName": "M", "unitPrice": 1, "tags": ["a", "b", "c", "d"]},
    ):
        assert client.post("/items", json=invalid, headers=auth).status_code == 422


def test_path_parameter_named_with_a_hyphen_is_routed(shop: ModuleType) -> None:
    class Items(shop.ItemsServiceBase):
        async def get(self, context: Any, *, item_id: str) -> Any:
            return {**ITEM, "itemId": item_id}

    client = TestClient(shop.create_app(items=Items()))
    assert client.get("/items/itm_42", headers={"Authorization": "Bearer t"}).json()["itemId"] == "itm_42"
    assert client.get("/items/bad", headers={"Authorization": "Bearer t"}).status_code == 422


def test_literal_path_is_matched_before_a_parameter_in_the_same_place(shop: ModuleType) -> None:
    class Items(shop.ItemsServiceBase):
        async def export(self, context: Any) -> str:
            return "itemId,displayName\nitm_1,Mug\n"

    response = TestClient(shop.create_app(items=Items())).get("/items/export", headers={"Authorization": "Bearer t"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.startswith("itemId,")


def test_multipart_upload_gives_the_service_the_file_and_typed_fields(shop: ModuleType) -> None:
    received: list[tuple[bytes, Any, Any]] = []

    class Uploads(shop.UploadsServiceBase):
        async def upload(self, context: Any, *, file: Any, caption: Any, copies: Any) -> Any:
            received.append((await file.read(), caption, copies))
            return {"fileName": file.filename, "size": len(received[0][0])}

    client = TestClient(shop.create_app(uploads=Uploads()))
    auth = {"Authorization": "Bearer t"}
    response = client.post("/uploads", files={"file": ("a.txt", b"hello")}, data={"copies": "2"}, headers=auth)
    assert response.json() == {"fileName": "a.txt", "size": 5}
    assert received == [(b"hello", None, 2)]
    assert client.post("/uploads", data={"copies": "2"}, headers=auth).status_code == 422


def test_form_body_is_validated_into_the_model(shop: ModuleType) -> None:
    class Session(shop.SessionServiceBase):
        async def sign_in(self, context: Any, *, body: Any) -> Any:
            return {"accessToken": f"token-for-{body.user_name}"}

    client = TestClient(shop.create_app(session=Session()))
    response = client.post("/session", data={"userName": "kim", "password": "pw"})
    assert response.json() == {"accessToken": "token-for-kim"}
    assert client.post("/session", data={"userName": "kim"}).status_code == 422


def test_binary_request_and_response_bodies_pass_as_bytes(shop: ModuleType) -> None:
    stored: dict[str, bytes] = {}

    class Items(shop.ItemsServiceBase):
        async def put_image(self, context: Any, *, item_id: str, body: bytes) -> None:
            stored[item_id] = body

        async def get_image(self, context: Any, *, item_id: str) -> bytes:
            return stored[item_id]

    client = TestClient(shop.create_app(items=Items()))
    png = b"\x89PNG\r\n\x1a\n..."
    put = client.put(
        "/items/itm_1/image", content=png, headers={"Authorization": "Bearer t", "Content-Type": "image/png"}
    )
    assert put.status_code == 204
    assert client.put("/items/itm_1/image", headers={"Authorization": "Bearer t"}).status_code == 422
    basic = base64.b64encode(b"kim:pw").decode()
    got = client.get("/items/itm_1/image", headers={"Authorization": f"Basic {basic}"})
    assert got.status_code == 200
    assert got.headers["content-type"] == "image/png"
    assert got.content == png


def test_api_key_in_the_query_and_basic_credentials_reach_authenticate(shop: ModuleType) -> None:
    seen: list[Any] = []

    class Items(shop.ItemsServiceBase):
        async def list(self, context: Any, **arguments: Any) -> Any:
            seen.append([(c.scheme, c.value, c.username) for c in context.credentials])
            return {"items": [], "nextPage": None}

        async def get_image(self, context: Any, *, item_id: str) -> bytes:
            seen.append([(c.scheme, c.value, c.username) for c in context.credentials])
            return b""

    client = TestClient(shop.create_app(items=Items()))
    client.get("/items?api_key=k-1")
    client.get("/items")
    basic = base64.b64encode(b"kim:pw").decode()
    client.get("/items/itm_1/image", headers={"Authorization": f"Basic {basic}"})
    assert seen == [[("apiKey", "k-1", None)], [], [("basicAuth", "pw", "kim")]]


def test_none_from_an_operation_without_a_body_answers_its_status(shop: ModuleType) -> None:
    class Items(shop.ItemsServiceBase):
        async def add_note(self, context: Any, *, body: Any) -> None:
            assert body.text == "hi"

    response = TestClient(shop.create_app(items=Items())).post(
        "/notes", json={"text": "hi"}, headers={"Authorization": "Bearer t"}
    )
    assert response.status_code == 202
    assert response.content == b""
