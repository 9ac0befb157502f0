"""A discriminator tag the spec does not require: a variant answered on its own may leave it out (GET /cats/1
answers a Cat), so the models default it to its one value; it still counts as set, so SDK request bodies and
server responses carry it and a union can tell the variants apart."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    post:
      operationId: addPet
      tags: [pets]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
  /cats/{id}:
    get:
      operationId: getCat
      tags: [pets]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Cat"}}}}
components:
  schemas:
    Pet:
      oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
      discriminator: {propertyName: kind, mapping: {cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog"}}
    Cat:
      type: object
      properties:
        kind: {type: string}
        name: {type: string}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        barks: {type: boolean}
"""


@pytest.fixture(scope="module")
def server(server_from_text: Any) -> Any:
    package = server_from_text(SPEC, "tags_server")[1]
    models = package.models

    class Pets(package.PetsServiceBase):
        async def add(self, context: Any, *, body: Any) -> Any:
            return body  # echoed as validated: a Cat or a Dog

        async def get_cat(self, context: Any, id: str) -> Any:
            return models.Cat(name=f"cat {id}")  # built without its tag

    return package.create_app(pets=Pets())


@pytest.fixture(scope="module")
def sdk(python_sdk: Any) -> Any:
    return python_sdk(SPEC, "tags_sdk")


def test_a_variant_without_its_tag_parses_and_a_built_one_is_sent_with_it(sdk: Any, server: Any) -> None:
    client = sdk.Client(base_url="http://testserver", http_client=TestClient(server))
    cat = client.pets.get_cat("1")
    assert (type(cat).__name__, cat.kind, cat.name) == ("Cat", "cat", "cat 1")
    assert sdk.models.Cat.model_validate({"name": "Tom"}).kind == "cat"  # the spec lets a Cat leave its tag out
    echoed = client.pets.add(body=sdk.models.Cat(name="Tom"))  # built without a tag, sent with it
    assert (type(echoed).__name__, echoed.to_dict()) == ("Cat", {"kind": "cat", "name": "Tom"})
    dog = client.pets.add(body=sdk.models.Dog(kind="dog", barks=True))
    assert type(dog).__name__ == "Dog"


def test_the_server_answers_a_variant_with_its_tag_and_documents_it_as_optional(server: Any) -> None:
    http = TestClient(server)
    assert http.get("/cats/2").json() == {"kind": "cat", "name": "cat 2"}
    assert http.post("/pets", json={"kind": "dog"}).json() == {"kind": "dog"}
    assert http.post("/pets", json={"name": "x"}).status_code == 422  # in the union the tag picks the variant
    cat = http.get("/openapi.json").json()["components"]["schemas"]["Cat"]
    assert "kind" not in cat.get("required", []) and cat["properties"]["kind"].get("default") == "cat"
