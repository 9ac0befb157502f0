"""A request body that names its object through a component alias (`NewPet: {$ref: Pet}`, or
`NewPet: {allOf: [$ref: Pet]}`) is read as that object: a form is parsed into the model, not handed over raw."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: aliased bodies, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      tags: [pets]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/NewPet"}
      responses:
        "200":
          description: the pet
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    PetBase:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: string}
    NewPet: {$ref: "#/components/schemas/PetBase"}
    Pet:
      description: A pet.
      allOf: [{$ref: "#/components/schemas/PetBase"}]
"""


@pytest.fixture(scope="module")
def client(server_from_text: Callable[[str, str], tuple[Path, ModuleType]]) -> TestClient:
    package = server_from_text(SPEC, "aliased_bodies_server")[1]

    class Pets(package.PetsServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            return {"name": body.name.upper(), "tag": body.tag}

    return TestClient(package.create_app(pets=Pets()))


def test_a_form_body_named_through_an_alias_is_parsed_into_the_object(client: TestClient) -> None:
    response = client.post("/pets", data={"name": "rex", "tag": "dog"})
    assert response.status_code == 200, response.text
    assert response.json() == {"name": "REX", "tag": "dog"}


def test_a_form_named_through_an_alias_missing_a_required_field_is_a_422(client: TestClient) -> None:
    response = client.post("/pets", data={"tag": "dog"})
    assert response.status_code == 422
    assert "name" in response.text


def test_the_document_keeps_the_form_media_type(client: TestClient) -> None:
    body = client.get("/openapi.json").json()["paths"]["/pets"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/x-www-form-urlencoded"]
    assert body["required"] is True


def test_serving_a_body_warns_of_nothing(server_from_text: Callable[[str, str], tuple[Path, ModuleType]]) -> None:
    """FastAPI reads a body parameter through `Annotated[Model, FieldInfo(alias=name)]`; for the generated models
    (built on first use) pydantic reported that alias as misplaced, a UserWarning in the server's log at the first
    request of every route with a body and at the first `/openapi.json`."""
    package = server_from_text(SPEC, "aliased_bodies_server")[1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = TestClient(package.create_app())  # a fresh app: its routes' validators are built on first use
        assert client.post("/pets", data={"name": "rex"}).status_code == 501
        assert client.get("/openapi.json").status_code == 200
    assert [str(w.message) for w in caught if "pydantic" in type(w.message).__module__] == []
