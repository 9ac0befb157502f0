"""The platform's generated server: 501 stubs, typed services, validation, security, problem details."""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

EXPERT_ID = "exp_01HZX3K8Q2V7Y4N6M0PBR5T9WA"
BEARER = {"Authorization": "Bearer token-1"}


def expert(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": EXPERT_ID,
        "user_id": "usr_01HZX2Y4W6V8T0R2P4N6M8K0J2",
        "display_name": "Park",
        "category": "law",
        "headline": "Lawyer",
        "bio": "Bio",
        "careers": [],
        "licenses": [],
        "verification_status": "verified",
        "verification_submitted_at": None,
        "verified_at": None,
        "rejection_reason": None,
        "profile_image_url": None,
        "rating": 4.5,
        "review_count": 3,
        "homepage_slug": "park-lawyer",
        "promoted": False,
        "created_at": "2025-01-10T02:00:00Z",
        "updated_at": "2025-01-10T02:00:00Z",
    }
    data.update(changes)
    return data


def is_problem(response: Any, status: int) -> bool:
    body = response.json()
    return (
        response.status_code == status
        and response.headers["content-type"] == "application/problem+json"
        and body["status"] == status
        and {"type", "title", "status"} <= set(body)
    )


def test_every_operation_answers_501_problem_without_a_service(platform: ModuleType) -> None:
    app = platform.create_app()
    client = TestClient(app)
    operations = [(m, p) for p, item in app.openapi()["paths"].items() for m in item]
    assert len(operations) > 100
    for method, path in operations:
        response = client.request(method, re.sub(r"{[^}]+}", "x", path))
        assert is_problem(response, 501), (method, path, response.status_code)
        assert response.json()["detail"].startswith("The operation ")


def test_service_gets_typed_validated_arguments_and_its_return_is_serialised(platform: ModuleType) -> None:
    from platform_server.models import ExpertCategory, ExpertPage, ListExpertsSort

    calls: list[dict[str, Any]] = []

    class Experts(platform.ExpertsServiceBase):
        async def list(self, context: Any, **arguments: Any) -> Any:
            calls.append(arguments)
            return ExpertPage.model_validate({"data": [expert()], "next_cursor": "c2", "has_more": True})

    client = TestClient(platform.create_app(experts=Experts()))
    response = client.get("/experts", params={"category": "tax", "limit": "5"})
    assert response.status_code == 200
    assert calls == [
        {"category": ExpertCategory.TAX, "q": None, "sort": ListExpertsSort.RELEVANCE, "cursor": None, "limit": 5}
    ]
    body = response.json()
    assert body["next_cursor"] == "c2"
    assert body["data"][0]["display_name"] == "Park"
    assert body["data"][0]["created_at"] == "2025-01-10T02:00:00Z"
    assert "headline" in body["data"][0]


def test_invalid_query_parameter_answers_422_problem_naming_the_field(platform: ModuleType) -> None:
    class Experts(platform.ExpertsServiceBase):
        async def list(self, context: Any, **arguments: Any) -> Any:
            raise AssertionError("not called for an invalid request")

    client = TestClient(platform.create_app(experts=Experts()))
    response = client.get("/experts", params={"limit": "0", "category": "astrology"})
    assert is_problem(response, 422)
    assert {e["field"] for e in response.json()["errors"]} == {"limit", "category"}


def test_path_parameter_not_matching_its_pattern_answers_422(platform: ModuleType) -> None:
    class Experts(platform.ExpertsServiceBase):
        async def get(self, context: Any, *, expert_id: str) -> Any:
            return expert(id=expert_id)

    client = TestClient(platform.create_app(experts=Experts()))
    assert client.get(f"/experts/{EXPERT_ID}").json()["id"] == EXPERT_ID
    assert is_problem(client.get("/experts/not-an-id"), 422)


def test_invalid_json_body_answers_problem(platform: ModuleType) -> None:
    class Experts(platform.ExpertsServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            raise AssertionError("not called for an invalid request")

    client = TestClient(platform.create_app(experts=Experts()))
    response = client.post("/experts", json={"display_name": "", "category": "law"}, headers=BEARER)
    assert is_problem(response, 422)
    assert response.json()["errors"][0]["field"] == "display_name"
    malformed = client.post("/experts", content=b"{", headers={**BEARER, "Content-Type": "application/json"})
    assert is_problem(malformed, 400)


def test_null_for_an_optional_non_nullable_property_is_rejected(platform: ModuleType) -> None:
    received: list[Any] = []

    class Experts(platform.ExpertsServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            received.append(body)
            return platform.Result(expert(), status_code=201)

    client = TestClient(platform.create_app(experts=Experts()))
    assert is_problem(
        client.post("/experts", json={"display_name": "P", "category": "law", "bio": None}, headers=BEARER), 422
    )
    response = client.post("/experts", json={"display_name": "P", "category": "law"}, headers=BEARER)
    assert response.status_code == 201
    assert received[0].bio is None


def test_missing_bearer_token_answers_401_problem_with_a_challenge(platform: ModuleType) -> None:
    class Experts(platform.ExpertsServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            raise AssertionError("not called without credentials")

    response = TestClient(platform.create_app(experts=Experts())).post("/experts", json={})
    assert is_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_authenticate_judges_the_bearer_token_and_the_service_sees_its_principal(platform: ModuleType) -> None:
    seen: list[Any] = []

    async def authenticate(auth: Any) -> dict[str, Any]:
        seen.append(auth)
        if auth.credentials.value != "token-1":
            raise platform.ProblemError(401, detail="bad token")
        return {"sub": "usr_1", "roles": ["user"]}

    class Experts(platform.ExpertsServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            assert context.principal == {"sub": "usr_1", "roles": ["user"]}
            assert context.credentials[0].scheme == "bearerAuth"
            return platform.Result(expert(), status_code=201, headers={"Location": f"/experts/{EXPERT_ID}"})

    client = TestClient(platform.create_app(experts=Experts(), authenticate=authenticate))
    response = client.post("/experts", json={"display_name": "Park", "category": "law"}, headers=BEARER)
    assert response.status_code == 201
    assert response.headers["location"] == f"/experts/{EXPERT_ID}"
    assert seen[0].operation_id == "createExpert"
    assert seen[0].extensions["x-roles"] == ["user"]
    refused = client.post(
        "/experts", json={"display_name": "Park", "category": "law"}, headers={"Authorization": "Bearer x"}
    )
    assert is_problem(refused, 401)


def test_operation_allowing_anonymous_calls_runs_without_credentials(platform: ModuleType) -> None:
    principals: list[Any] = []

    class Experts(platform.ExpertsServiceBase):
        async def get(self, context: Any, *, expert_id: str) -> Any:
            principals.append((context.credentials, context.principal))
            return expert()

    client = TestClient(platform.create_app(experts=Experts(), authenticate=lambda auth: "someone"))
    assert client.get(f"/experts/{EXPERT_ID}").status_code == 200
    assert client.get(f"/experts/{EXPERT_ID}", headers=BEARER).status_code == 200
    assert principals[0] == ((), None)
    assert principals[1][1] == "someone"


def test_webhook_signature_api_key_reaches_authenticate_with_the_raw_body(platform: ModuleType) -> None:
    bodies: list[bytes] = []

    async def authenticate(auth: Any) -> str:
        assert auth.credentials.scheme == "webhookSignature"
        assert auth.credentials.value == "v1=abc"
        bodies.append(await auth.request.body())
        return "payment-gateway"

    class Webhooks(platform.WebhooksServiceBase):
        async def receive_payment_gateway(self, context: Any, **arguments: Any) -> Any:
            return {"received": True, "duplicate": False}

    client = TestClient(platform.create_app(webhooks=Webhooks(), authenticate=authenticate))
    payload = b'{"event_type": "PAYMENT_STATUS_CHANGED", "data": {}}'
    headers = {"X-Signature": "v1=abc", "X-Signature-Timestamp": "1743386405", "Content-Type": "application/json"}
    response = client.post("/webhooks/payment-gateway", content=payload, headers=headers)
    assert response.status_code == 200, response.text
    assert bodies == [payload]


def test_none_from_a_204_operation_answers_an_empty_204(platform: ModuleType) -> None:
    class Experts(platform.ExpertsServiceBase):
        async def delete_license(self, context: Any, **arguments: Any) -> None:
            return None

    client = TestClient(platform.create_app(experts=Experts()))
    response = client.delete(f"/experts/{EXPERT_ID}/licenses/lic_01HZX3P0A2C4E6G8J0K2M4N6Q8", headers=BEARER)
    assert response.status_code == 204
    assert response.content == b""


def test_a_return_value_breaking_the_spec_answers_500_problem(platform: ModuleType) -> None:
    class Experts(platform.ExpertsServiceBase):
        async def get(self, context: Any, *, expert_id: str) -> Any:
            return {"id": expert_id}

    client = TestClient(platform.create_app(experts=Experts()), raise_server_exceptions=False)
    assert is_problem(client.get(f"/experts/{EXPERT_ID}"), 500)


def test_problem_error_from_a_service_is_answered_as_problem_details(platform: ModuleType) -> None:
    class Experts(platform.ExpertsServiceBase):
        async def get(self, context: Any, *, expert_id: str) -> Any:
            raise platform.ProblemError(404, "Not found", f"No expert {expert_id}.", type="https://x.example/not-found")

    response = TestClient(platform.create_app(experts=Experts())).get(f"/experts/{EXPERT_ID}")
    assert is_problem(response, 404)
    assert response.json() == {
        "type": "https://x.example/not-found",
        "title": "Not found",
        "status": 404,
        "detail": f"No expert {EXPERT_ID}.",
        "instance": f"/experts/{EXPERT_ID}",
    }


@pytest.mark.parametrize("method", ["list", "create", "get"])
def test_only_overridden_operations_are_implemented(platform: ModuleType, method: str) -> None:
    class Experts(platform.ExpertsServiceBase):
        async def get(self, context: Any, *, expert_id: str) -> Any:
            return expert()

    client = TestClient(platform.create_app(experts=Experts()))
    response = {
        "list": lambda: client.get("/experts"),
        "create": lambda: client.post("/experts", json={}, headers=BEARER),
        "get": lambda: client.get(f"/experts/{EXPERT_ID}"),
    }[method]()
    assert response.status_code == (200 if method == "get" else 501)


def test_comma_separated_array_parameter_is_split_into_a_typed_list(platform: ModuleType) -> None:
    from platform_server.models import ConsultationStatus

    seen: list[Any] = []

    class Consultations(platform.ConsultationsServiceBase):
        async def list(self, context: Any, **arguments: Any) -> Any:
            seen.append(arguments["status"])
            return {"data": [], "next_cursor": None, "has_more": False}

    client = TestClient(platform.create_app(consultations=Consultations()))
    assert client.get("/consultations?status=requested,accepted&limit=5", headers=BEARER).status_code == 200
    assert client.get("/consultations?status=", headers=BEARER).status_code == 200
    assert is_problem(client.get("/consultations?status=requested,lost", headers=BEARER), 422)
    assert seen == [[ConsultationStatus.REQUESTED, ConsultationStatus.ACCEPTED], None]
