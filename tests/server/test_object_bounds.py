"""additionalProperties: false, minProperties and maxProperties are enforced on requests and documented; so are
the string formats uri, email, ipv4 and ipv6 (the value stays a str), and uniqueItems."""

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

    class Contacts(bounds.ContactsServiceBase):
        async def create(self, context: Any, *, referrer: Any = None, body: Any) -> Any:
            received.append((referrer, body.model_dump(by_alias=True, exclude_unset=True)))
            return None

    return TestClient(bounds.create_app(notes=Notes(), labels=Labels(), contacts=Contacts()))


received: list[Any] = []


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


def test_checked_string_formats_accept_their_syntax_and_stay_strings(client: TestClient) -> None:
    body = {"email": "ann@localhost", "website": "https://a.example/x?y=1", "ip": "10.0.0.1", "ip6": "::1"}
    response = client.post("/contacts?referrer=urn:isbn:0451450523", json={**body, "other": "not checked!"})
    assert response.status_code == 204, response.text
    assert received[-1] == ("urn:isbn:0451450523", {**body, "other": "not checked!"})
    assert client.post("/contacts", json={"website": None}).status_code == 204


@pytest.mark.parametrize(
    ("query", "body", "message"),
    [
        ("", {"email": "ann at example.com"}, "must be an email address"),
        ("", {"website": "a.example/x"}, "must be an absolute URI"),
        ("", {"website": "https://" + "x" * 40}, "at most 40 characters"),
        ("", {"ip": "10.0.0.256"}, "must be an IPv4 address"),
        ("", {"ip6": "10.0.0.1"}, "must be an IPv6 address"),
        ("?referrer=not%20a%20uri", {}, "must be an absolute URI"),
    ],
)
def test_a_string_not_of_its_format_is_a_422_problem(client: TestClient, query: str, body: Any, message: str) -> None:
    response = client.post("/contacts" + query, json=body)
    assert response.status_code == 422
    assert message in response.text


def test_unique_items_compare_as_json_values(client: TestClient) -> None:
    distinct = [1, "1", True, None, {"a": 1}, {"a": 2}, [1], 2.5]
    assert client.post("/contacts", json={"tags": distinct}).status_code == 204
    for repeated in ([1, 1.0], ["a", "a"], [{"a": 1, "b": 2}, {"b": 2, "a": 1}], [[1, 2], [1, 2]], [None, None]):
        response = client.post("/contacts", json={"tags": repeated})
        assert response.status_code == 422, repeated
        assert "must not repeat an item (item 1 repeats an earlier one)" in response.text


@pytest.mark.parametrize(("seats", "status"), [(5, 204), (0, 422), (10, 422), (3, 422)])
def test_integer_bounds_that_are_not_integers_hold_for_the_same_integers(
    client: TestClient, seats: int, status: int
) -> None:
    """minimum 0.5, maximum 7.5, multipleOf 2.5: 5 is the only integer (pydantic refused the bounds)."""
    response = client.post("/contacts", json={"seats": seats, "rank": 3})
    assert response.status_code == status, response.text


def test_typed_extra_members_are_checked_and_kept(client: TestClient) -> None:
    assert client.post("/contacts", json={"scores": {"total": 3, "math": 2}}).status_code == 204
    assert received[-1][1] == {"scores": {"total": 3, "math": 2}}
    assert client.post("/contacts", json={"scores": {"total": 3, "math": "a lot"}}).status_code == 422
