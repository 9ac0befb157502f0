"""Multipart parts that are not text: the generated Python SDK sends an object part as JSON and an array a part per
item; the generated server gives the service the parts decoded and validated, and a part that does not fit its
schema is a 422 located at the part."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: Parts, version: "1"}
paths:
  /upload:
    post:
      operationId: upload
      tags: [files]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, meta]
              properties:
                file: {type: string, format: binary}
                meta: {$ref: "#/components/schemas/Meta"}
                tags: {type: array, items: {type: string}}
                related: {type: array, items: {$ref: "#/components/schemas/Meta"}}
                attachments: {type: array, items: {type: string, format: binary}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, additionalProperties: true}}}}
components:
  schemas:
    Meta:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: integer}
"""


@pytest.fixture(scope="module")
def app(server_from_text: Any) -> Any:
    package = server_from_text(SPEC, "parts_server")[1]

    class Files(package.FilesServiceBase):
        async def upload(self, context: Any, **parts: Any) -> Any:
            def plain(value: Any) -> Any:
                if isinstance(value, list):
                    return [plain(v) for v in value]
                if hasattr(value, "model_dump"):
                    return {"model": type(value).__name__, **value.model_dump(exclude_unset=True)}
                return value if not hasattr(value, "filename") else f"file {value.filename}"

            return {name: plain(value) for name, value in parts.items()}

    return package.create_app(files=Files())


@pytest.fixture(scope="module")
def client(app: Any, python_sdk: Any) -> Any:
    sdk = python_sdk(SPEC, "multipart_sdk")
    return sdk.Client(base_url="http://testserver", http_client=TestClient(app))


def test_object_and_array_parts_reach_the_service_decoded_and_typed(client: Any) -> None:
    got = client.files.upload(
        file=("a.txt", b"abc"),
        meta={"name": "x", "size": 2},
        tags=["a,b", "c"],
        related=[{"name": "r1"}, {"name": "r2", "size": 5}],
        attachments=[("b.txt", b"1"), ("c.txt", b"2")],
    )
    assert got == {
        "file": "file a.txt",
        "meta": {"model": "Meta", "name": "x", "size": 2},
        "tags": ["a,b", "c"],  # a part per item: an item's own comma stays
        "related": [{"model": "Meta", "name": "r1"}, {"model": "Meta", "name": "r2", "size": 5}],
        "attachments": ["file b.txt", "file c.txt"],
    }
    minimal = client.files.upload(file=b"z", meta={"name": "y"})
    assert minimal["meta"] == {"model": "Meta", "name": "y"} and minimal["related"] is None


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"meta": '{"size": 1}'}, "meta"),  # name missing
        ({"meta": "not json"}, "meta"),
        ({"meta": '{"name": "x"}', "related": ['{"name": 1}']}, "related"),
    ],
)
def test_a_part_that_does_not_fit_its_schema_is_a_422_located_at_it(app: Any, data: Any, where: str) -> None:
    response = TestClient(app).post("/upload", files={"file": ("a", b"1")}, data=data)
    assert response.status_code == 422, response.text
    assert [e["field"].split(".")[0] for e in response.json()["errors"]] == [where]
