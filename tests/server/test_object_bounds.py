"""additionalProperties: false, minProperties and maxProperties are enforced on requests and documented."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(bounds: ModuleType) -> TestClient:
    class Notes(bounds.NotesServiceBase):
        async def update(self, context: Any, id: str, *, body: Any) -> Any:
            return {"id": id, "title": body.title}

    class Labels(bounds.LabelsServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            return None

    return TestClient(bounds.create_app(notes=Notes(), labels=Labels()))


def test_a_bounded_closed_object_within_its_bounds_is_accepted(client: TestClient) -> None:
    response = client.patch("/notes/n1", json={"title": "t"})
    assert response.status_code == 200, response.text
    assert response.json() == {"id": "n1", "title": "t"}
    assert client.patch("/notes/n1", json={"title": "t", "pinned": True}).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "must have at least 1 properties"),
        ({"title": "t", "text": "x", "pinned": False}, "must have at most 2 properties"),
        ({"title": "t", "colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_a_request_outside_the_bounds_is_a_422_problem(client: TestClient, body: Any, message: str) -> None:
    response = client.patch("/notes/n1", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert message in response.text


def test_a_base_closed_through_all_of_admits_the_merged_properties_only(client: TestClient) -> None:
    assert client.post("/labels", json={"name": "n", "color": "red"}).status_code == 204
    response = client.post("/labels", json={"name": "n", "size": 3})
    assert response.status_code == 422 and "Extra inputs are not permitted" in response.text


def test_the_app_documents_the_bounds(bounds: ModuleType) -> None:
    schemas = bounds.create_app().openapi()["components"]["schemas"]
    assert schemas["NoteUpdate"]["additionalProperties"] is False
    assert (schemas["NoteUpdate"]["minProperties"], schemas["NoteUpdate"]["maxProperties"]) == (1, 2)
    assert schemas["LabelCreate"]["additionalProperties"] is False
    assert schemas["Note"].get("additionalProperties", True) is True and "minProperties" not in schemas["Note"]
