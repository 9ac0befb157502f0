"""Form and multipart bodies the spec leaves optional (`requestBody.required` is false by default) but whose schema
requires fields: a request may come without the body (the service gets None), a body that is sent has the fields
its schema requires. The generated Python SDK, whose field arguments are then all optional, calls the generated
server either way; the document still lists the required fields."""

from __future__ import annotations

from typing import Any

import pytest
from equivalence import differences
from fastapi.testclient import TestClient
from sdkgen.load import load_spec

SPEC = """
openapi: 3.0.3
info: {title: Optional bodies, version: "1"}
paths:
  /login:
    post:
      operationId: login
      tags: [auth]
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [user, password]
              properties:
                user: {type: string}
                password: {type: string}
                remember: {type: boolean}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, additionalProperties: true}}}}
  /upload:
    post:
      operationId: upload
      tags: [files]
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, meta]
              properties:
                file: {type: string, format: binary}
                meta: {$ref: "#/components/schemas/Meta"}
                note: {type: string}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, additionalProperties: true}}}}
components:
  schemas:
    Meta:
      type: object
      properties:
        name: {type: string}
"""


@pytest.fixture(scope="module")
def served(server_from_text: Any) -> tuple[Any, Any]:
    """(the spec's path, the app)."""
    spec, package = server_from_text(SPEC, "optional_bodies_server")

    class Auth(package.AuthServiceBase):
        async def login(self, context: Any, *, body: Any = None) -> Any:
            return {"body": None if body is None else body.model_dump(mode="json", exclude_unset=True)}

    class Files(package.FilesServiceBase):
        async def upload(self, context: Any, *, file: Any = None, meta: Any = None, note: Any = None) -> Any:
            return {
                "file": None if file is None else (file.filename, (await file.read()).decode()),
                "meta": None if meta is None else meta.model_dump(mode="json"),
                "note": note,
            }

    return spec, package.create_app(auth=Auth(), files=Files())


@pytest.fixture(scope="module")
def client(served: tuple[Any, Any], python_sdk: Any) -> Any:
    sdk = python_sdk(SPEC, "optional_form_parts_sdk")
    return sdk.Client(base_url="http://testserver", http_client=TestClient(served[1]))


def test_an_optional_form_body_may_be_left_out_and_is_complete_when_sent(client: Any, served: Any) -> None:
    assert client.auth.login() == {"body": None}
    assert client.auth.login(user="kim", password="pw") == {"body": {"user": "kim", "password": "pw"}}
    response = TestClient(served[1]).post("/login", data={"remember": "true"})
    assert response.status_code == 422, response.text
    assert sorted(e["field"] for e in response.json()["errors"]) == ["password", "user"]


def test_an_optional_multipart_body_may_be_left_out_and_is_complete_when_sent(client: Any, served: Any) -> None:
    assert client.files.upload() == {"file": None, "meta": None, "note": None}
    sent = client.files.upload(file=("a.txt", b"hello"), meta={"name": "a"})
    assert sent == {"file": ["a.txt", "hello"], "meta": {"name": "a"}, "note": None}
    response = TestClient(served[1]).post("/upload", data={"note": "n"}, files={"file": ("a.txt", b"x")})
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["meta"]


def test_the_document_keeps_the_bodies_optional_and_their_fields_required(served: Any) -> None:
    spec, app = served
    document = app.openapi()
    assert [str(d) for d in differences(load_spec(spec).data, document)] == []
    assert sorted(document["components"]["schemas"]) == ["LoginRequest", "Meta", "UploadRequest"]  # no `Body_upload`
