"""Form bodies FastAPI cannot read: fields whose `encoding` declares a style (deepObject: `metadata[key]=value`, as
Stripe's spec does), objects without one (JSON text), arrays of objects. The generated Python SDK sends them, the
generated server reads them back into the typed model, and the document keeps the encoding."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: Forms, version: "1"}
paths:
  /customers:
    post:
      operationId: createCustomer
      tags: [customers]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                metadata: {type: object, additionalProperties: {type: string}}
                address: {$ref: "#/components/schemas/Address"}
                items:
                  type: array
                  items: {type: object, properties: {price: {type: string}, quantity: {type: integer}}}
                expand: {type: array, items: {type: string}}
                note: {$ref: "#/components/schemas/Address"}
            encoding:
              metadata: {style: deepObject, explode: true}
              address: {style: deepObject, explode: true}
              items: {style: deepObject, explode: true}
              expand: {style: deepObject, explode: true}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, additionalProperties: true}}}}
components:
  schemas:
    Address:
      type: object
      properties:
        city: {type: string}
        lines: {type: array, items: {type: string}}
"""


@pytest.fixture(scope="module")
def app(server_from_text: Any) -> Any:
    package = server_from_text(SPEC, "forms_server")[1]

    class Customers(package.CustomersServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            return {"model": type(body).__name__, **body.model_dump(mode="json", exclude_unset=True)}

    return package.create_app(customers=Customers())


@pytest.fixture(scope="module")
def client(app: Any, python_sdk: Any) -> Any:
    sdk = python_sdk(SPEC, "forms_sdk")
    return sdk.Client(base_url="http://testserver", http_client=TestClient(app))


def test_styled_fields_are_sent_as_their_encoding_declares_and_read_back_typed(client: Any) -> None:
    raw = client.with_raw_response.customers.create(
        name="Kim Lee",
        metadata={"order": "6735", "tier": "gold"},
        address={"city": "Oslo", "lines": ["1 Main St", "Floor 2"]},
        items=[{"price": "p1", "quantity": 2}, {"price": "p2"}],
        expand=["a", "b"],
        note={"city": "Bergen"},
    )
    assert raw.http_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert raw.http_request.content.decode().split("&") == [
        "name=Kim%20Lee",
        "metadata%5Border%5D=6735",
        "metadata%5Btier%5D=gold",
        "address%5Bcity%5D=Oslo",
        "address%5Blines%5D%5B0%5D=1%20Main%20St",  # an array inside numbers its items too
        "address%5Blines%5D%5B1%5D=Floor%202",
        "items%5B0%5D%5Bprice%5D=p1",  # an array of objects numbers its items
        "items%5B0%5D%5Bquantity%5D=2",
        "items%5B1%5D%5Bprice%5D=p2",
        "expand=a",
        "expand=b",
        "note=%7B%22city%22%3A%22Bergen%22%7D",  # no declared encoding: an object is JSON text
    ]
    assert raw.parse() == {
        "model": "CreateCustomerRequest",
        "name": "Kim Lee",
        "metadata": {"order": "6735", "tier": "gold"},
        "address": {"city": "Oslo", "lines": ["1 Main St", "Floor 2"]},
        "items": [{"price": "p1", "quantity": 2}, {"price": "p2"}],
        "expand": ["a", "b"],
        "note": {"city": "Bergen"},
    }
    assert client.customers.create(name="x") == {"model": "CreateCustomerRequest", "name": "x"}
    # a one-item array inside an object: `address[lines][0]=...` reads back as a list, not a string (Stripe's
    # `bank_account[documents][...][files]` was a 422)
    one = client.customers.create(name="y", address={"lines": ["1 Main St"]})
    assert one["address"] == {"lines": ["1 Main St"]}


def test_a_form_that_does_not_fit_its_model_is_a_422_located_in_the_body(app: Any) -> None:
    response = TestClient(app).post("/customers", data={"items[0][quantity]": "many"})
    assert response.status_code == 422, response.text
    fields = {e["field"] for e in response.json()["errors"]}
    assert "name" in fields and any(f.startswith("items.") and ".0.quantity" in f for f in fields)


def test_the_document_keeps_the_form_and_its_encoding(app: Any) -> None:
    body = TestClient(app).get("/openapi.json").json()["paths"]["/customers"]["post"]["requestBody"]
    form = body["content"]["application/x-www-form-urlencoded"]
    assert form["encoding"]["metadata"] == {"style": "deepObject", "explode": True}
    assert "metadata" in str(form["schema"]) or form["schema"].get("$ref")


LITERAL_SPEC = """
openapi: 3.0.3
info: {title: Geomarks, version: "1"}
paths:
  /geomarks:
    post:
      operationId: createGeomark
      tags: [geomarks]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [body]
              properties:
                body: {type: string}
                allowOverlap: {type: boolean, enum: [false, true], default: false}
                resolution: {type: integer, enum: [1, 2, 4]}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, additionalProperties: true}}}}
  /uploads:
    post:
      operationId: upload
      tags: [geomarks]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                multiple: {type: boolean, enum: [false, true]}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, additionalProperties: true}}}}
"""


def test_form_and_multipart_fields_typed_by_boolean_or_number_literals_read_their_text(server_from_text: Any) -> None:
    """geomark's `allowOverlap: {type: boolean, enum: [false, true]}` in a form: pydantic matches a literal exactly,
    so the text `true` was refused (422); it is read as the literal it spells, as a parameter's text is."""
    package = server_from_text(LITERAL_SPEC, "form_literals_server")[1]

    class Geomarks(package.GeomarksServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            return body.model_dump(mode="json", by_alias=True, exclude_unset=True)

        async def upload(self, context: Any, *, file: Any, multiple: Any = None) -> Any:
            return {"multiple": multiple}

    client = TestClient(package.create_app(geomarks=Geomarks()))
    sent = client.post("/geomarks", data={"body": "POINT(1 2)", "allowOverlap": "true", "resolution": "4"})
    assert sent.json() == {"body": "POINT(1 2)", "allowOverlap": True, "resolution": 4}
    assert client.post("/geomarks", data={"body": "x", "resolution": "3"}).status_code == 422
    uploaded = client.post("/uploads", files={"file": ("a.txt", b"a")}, data={"multiple": "false"})
    assert uploaded.json() == {"multiple": False}
