"""The HTTP conventions: request ids, problem details, idempotency keys, cursor pagination, caching, 501s."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json

import httpx
import pytest
from marketplace.app import Server
from marketplace.tables import IdempotencyRecord
from platform_sdk import BadRequestError
from platform_sdk.models import ArticlesSectionInput, IntroSectionInput
from reference_journey import PAYMENT_METHOD, Actor, book, product_of, sign_up_user, unique, verified_expert
from reference_support import Clients, SettableClock
from sqlalchemy import event

pytestmark = pytest.mark.asyncio

PROBLEM = "application/problem+json"


async def _booking(clients: Clients) -> tuple[Actor, Actor, str]:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await verified_expert(anonymous, clients.as_, admin)
    user = await sign_up_user(anonymous, clients.as_)
    return expert, user, await product_of(expert)


def _bearer(actor: Actor, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {actor.token}", **headers}


def _booking_body(product_id: str, clock: SettableClock, message: str = "please") -> dict[str, str]:
    preferred = (clock.now() + datetime.timedelta(days=3)).isoformat()
    return {
        "product_id": product_id,
        "preferred_time": preferred,
        "message": message,
        "payment_method_id": PAYMENT_METHOD,
    }


# ------------------------------------------------------------------------------------ request ids


async def test_a_valid_request_id_is_echoed_and_an_invalid_one_replaced(http: httpx.AsyncClient) -> None:
    mine = "req_0123456789ABCDEFabcdef"
    echoed = await http.get("/experts", headers={"X-Request-Id": mine})
    assert echoed.headers["x-request-id"] == mine
    replaced = await http.get("/experts", headers={"X-Request-Id": "not a request id"})
    generated = await http.get("/experts")
    for response in (replaced, generated):
        assert response.headers["x-request-id"].startswith("req_")
        assert len(response.headers["x-request-id"]) == 30
    assert replaced.headers["x-request-id"] != generated.headers["x-request-id"]


async def test_every_error_is_problem_details_with_the_request_id(http: httpx.AsyncClient) -> None:
    responses = {
        "bad json": await http.post("/auth/sign-in", content=b"{nope", headers={"Content-Type": "application/json"}),
        "invalid": await http.post("/auth/sign-in", json={"email": "x@example.com"}),
        "wrong password": await http.post("/auth/sign-in", json={"email": "x@example.com", "password": "wrong"}),
        "no token": await http.get("/me"),
        "unknown expert": await http.get("/experts/exp_01HZX3K8Q2V7Y4N6M0PBR5T9WA"),
        "bad id": await http.get("/experts/not-an-id"),
        "bad cursor": await http.get("/experts", params={"cursor": "garbage"}),
        "bad limit": await http.get("/experts", params={"limit": 0}),
        "no route": await http.get("/nowhere"),
        "outside /v1": await http.get("http://testserver/"),
        "not implemented": await http.get("/plans"),
    }
    statuses = {name: r.status_code for name, r in responses.items()}
    assert statuses == {
        "bad json": 400,
        "invalid": 422,
        "wrong password": 401,
        "no token": 401,
        "unknown expert": 404,
        "bad id": 404,  # getExpert declares no 400/422: an id of the wrong shape names no expert
        "bad cursor": 400,
        "bad limit": 400,  # a bad query parameter is 400 (listExperts declares no 422)
        "no route": 404,
        "outside /v1": 404,
        "not implemented": 501,
    }
    for name, response in responses.items():
        assert response.headers["content-type"] == PROBLEM, name
        problem = response.json()
        assert problem["status"] == response.status_code, name
        assert problem["request_id"] == response.headers["x-request-id"], name
        assert problem["title"], name
    assert responses["invalid"].json()["errors"] == [{"field": "password", "message": "Field required"}]
    assert responses["invalid"].json()["type"] == "https://api.platform.example/problems/validation-failed"
    assert responses["bad limit"].json()["errors"][0]["field"] == "limit"


async def test_an_undeclared_method_is_405_allowing_every_method_of_the_path(http: httpx.AsyncClient) -> None:
    response = await http.request("OPTIONS", "/consultation-products/cpr_01HZX3S3D5F7H9K1M3P5R7T9V1")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, PATCH"
    with_key = await http.put("/consultations", json={}, headers={"Idempotency-Key": "k"})
    assert (with_key.status_code, with_key.headers["allow"]) == (405, "GET, POST")
    assert with_key.json()["type"] == "https://api.platform.example/problems/method-not-allowed"


async def test_empty_patch_unknown_field_bad_uri_are_validation_problems(
    clients: Clients, http: httpx.AsyncClient
) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await verified_expert(anonymous, clients.as_, admin)
    path = f"/experts/{expert.expert_id}"
    cases = {
        "empty patch": {},  # minProperties: 1 (the stub's models)
        "unknown field": {"nickname": "x"},  # additionalProperties: false (the stub's models)
        "not a uri": {"profile_image_url": "not a uri"},  # format: uri (the stub's models)
    }
    for name, body in cases.items():
        response = await http.patch(path, json=body, headers=_bearer(expert))
        assert response.status_code == 422, name
        assert response.json()["type"] == "https://api.platform.example/problems/validation-failed", name
    fields = [
        (await http.patch(path, json=b, headers=_bearer(expert))).json()["errors"][0]["field"] for b in cases.values()
    ]
    assert fields == ["body", "nickname", "profile_image_url"]
    sign_up = await http.post("/auth/sign-up", json={"role": "expert", "email": "x@example.com"})
    assert [e["field"] for e in sign_up.json()["errors"]] == ["password", "name", "display_name", "category"]


# ------------------------------------------------------------------------------------ idempotency


async def test_the_same_key_and_body_replays_the_first_response(
    http: httpx.AsyncClient, clients: Clients, clock: SettableClock
) -> None:
    _, user, product_id = await _booking(clients)
    body = _booking_body(product_id, clock)
    first = await http.post("/consultations", json=body, headers=_bearer(user, **{"Idempotency-Key": "k-1"}))
    again = await http.post("/consultations", json=body, headers=_bearer(user, **{"Idempotency-Key": "k-1"}))
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert [c.id async for c in user.client.consultations.list()] == [first.json()["id"]]


async def test_the_same_key_with_another_body_is_422(
    http: httpx.AsyncClient, clients: Clients, clock: SettableClock
) -> None:
    _, user, product_id = await _booking(clients)
    headers = _bearer(user, **{"Idempotency-Key": "k-2"})
    await http.post("/consultations", json=_booking_body(product_id, clock, "first"), headers=headers)
    reused = await http.post("/consultations", json=_booking_body(product_id, clock, "second"), headers=headers)
    assert reused.status_code == 422
    assert reused.headers["content-type"] == PROBLEM
    assert reused.json()["type"] == "https://api.platform.example/problems/idempotency-key-reused"
    assert len([c async for c in user.client.consultations.list()]) == 1


async def test_keys_are_scoped_to_the_caller(http: httpx.AsyncClient, clients: Clients, clock: SettableClock) -> None:
    _, user, product_id = await _booking(clients)
    other = await sign_up_user(clients.anonymous(), clients.as_)
    body = _booking_body(product_id, clock)
    mine = await http.post("/consultations", json=body, headers=_bearer(user, **{"Idempotency-Key": "shared"}))
    theirs = await http.post("/consultations", json=body, headers=_bearer(other, **{"Idempotency-Key": "shared"}))
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert "idempotent-replayed" not in theirs.headers


async def test_a_key_still_in_flight_is_409(
    http: httpx.AsyncClient, clients: Clients, clock: SettableClock, server: Server
) -> None:
    _, user, product_id = await _booking(clients)
    body = json.dumps(_booking_body(product_id, clock)).encode()
    now = clock.now()
    async with server.backend.db.transaction() as session:  # as the first request with this key leaves it, running
        session.add(
            IdempotencyRecord(
                scope=user.user_id,
                key="k-busy",
                fingerprint=hashlib.sha256(b"\n".join([b"POST", b"/v1/consultations", b"", body])).hexdigest(),
                created_at=now,
                expires_at=now + datetime.timedelta(hours=24),
            )
        )
    headers = _bearer(user, **{"Idempotency-Key": "k-busy", "Content-Type": "application/json"})
    in_flight = await http.post("/consultations", content=body, headers=headers)
    assert in_flight.status_code == 409
    assert in_flight.json()["type"] == "https://api.platform.example/problems/idempotency-key-in-flight"
    assert [c async for c in user.client.consultations.list()] == []


async def test_a_key_expires_after_a_day(http: httpx.AsyncClient, clients: Clients, clock: SettableClock) -> None:
    _, user, product_id = await _booking(clients)
    body = _booking_body(product_id, clock)
    first = await http.post("/consultations", json=body, headers=_bearer(user, **{"Idempotency-Key": "k-3"}))
    clock.advance(hours=25)
    later = await http.post("/consultations", json=body, headers=_bearer(user, **{"Idempotency-Key": "k-3"}))
    assert (first.status_code, later.status_code) == (201, 201)
    assert later.json()["id"] != first.json()["id"]


async def test_money_moving_operations_require_a_key(
    http: httpx.AsyncClient, clients: Clients, clock: SettableClock
) -> None:
    _, user, product_id = await _booking(clients)
    missing = await http.post("/consultations", json=_booking_body(product_id, clock), headers=_bearer(user))
    # the spec marks the header required: the stub refuses the request before the service runs, as a
    # malformed parameter (400, the status the operation declares for those)
    assert missing.status_code == 400, missing.text
    assert missing.json()["errors"] == [{"field": "Idempotency-Key", "message": "Field required"}]


async def test_a_retried_decline_is_replayed_and_so_is_a_refusal(
    http: httpx.AsyncClient, clients: Clients, clock: SettableClock
) -> None:
    expert, user, product_id = await _booking(clients)
    consultation = await book(user, product_id, clock)
    await expert.client.consultations.decline(consultation.id, reason="no", idempotency_key="d-1")
    replay = await expert.client.with_raw_response.consultations.decline(
        consultation.id, reason="no", idempotency_key="d-1"
    )
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.parse().status == "declined"
    path = f"/consultations/{consultation.id}/decline"
    refused = await http.post(path, json={"reason": "again"}, headers=_bearer(expert, **{"Idempotency-Key": "d-2"}))
    again = await http.post(path, json={"reason": "again"}, headers=_bearer(expert, **{"Idempotency-Key": "d-2"}))
    assert (refused.status_code, again.status_code) == (409, 409)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["detail"] == refused.json()["detail"]


# ------------------------------------------------------------------------------------ pagination


async def test_cursor_pages_cover_the_list_once_in_order(clients: Clients, clock: SettableClock) -> None:
    _, user, product_id = await _booking(clients)
    booked = [(await book(user, product_id, clock)).id for _ in range(5)]
    first = await user.client.consultations.list(limit=2)
    assert len(first.items) == 2
    assert first.body.has_more is True
    cursor = first.body.next_cursor
    assert cursor is not None
    assert "con_" not in cursor  # opaque
    pages = [[c.id for c in page.items] async for page in first.iter_pages()]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [i for page in pages for i in page] == list(reversed(booked))  # newest first
    everything = [c.id async for c in user.client.consultations.list(limit=100)]
    assert everything == list(reversed(booked))
    last = await user.client.consultations.list(limit=5)
    assert (last.body.has_more, last.body.next_cursor) == (False, None)


async def test_a_cursor_of_another_list_is_400(clients: Clients, clock: SettableClock) -> None:
    _, user, product_id = await _booking(clients)
    for _ in range(3):
        await book(user, product_id, clock)
    page = await user.client.consultations.list(limit=1)
    assert page.body.next_cursor is not None
    with pytest.raises(BadRequestError):
        await clients.anonymous().experts.list(cursor=page.body.next_cursor)
    forged = base64.urlsafe_b64encode(b'{"l":"consultations","v":[1]}').decode()
    with pytest.raises(BadRequestError):
        await user.client.consultations.list(cursor=forged)


async def test_status_filters_are_comma_separated(clients: Clients, clock: SettableClock) -> None:
    expert, user, product_id = await _booking(clients)
    requested = await book(user, product_id, clock)
    accepted = await book(user, product_id, clock)
    declined = await book(user, product_id, clock)
    await expert.client.consultations.accept(accepted.id)
    await expert.client.consultations.decline(declined.id, reason="busy")
    picked = [c.id async for c in user.client.consultations.list(status=["requested", "accepted"])]
    assert picked == [accepted.id, requested.id]
    as_expert = [c.id async for c in expert.client.consultations.list(as_="expert", status=["declined"])]
    assert as_expert == [declined.id]


async def test_experts_are_searched_by_category_and_keyword_and_sorted(clients: Clients, clock: SettableClock) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    keyword = unique("estate")
    low = await verified_expert(anonymous, clients.as_, admin, display_name="Kim", headline=f"{keyword} tax")
    high = await verified_expert(anonymous, clients.as_, admin, display_name=f"Lee {keyword}", headline="tax")
    unrelated = await verified_expert(anonymous, clients.as_, admin, display_name="Choi", headline="labor")
    user = await sign_up_user(anonymous, clients.as_)
    for expert, rating in ((low, 2), (high, 5)):
        consultation = await book(user, await product_of(expert), clock)
        await expert.client.consultations.accept(consultation.id)
        await expert.client.consultations.schedule(
            consultation.id, scheduled_at=clock.now() + datetime.timedelta(hours=1)
        )
        clock.advance(hours=1)
        await expert.client.consultations.start(consultation.id)
        await expert.client.consultations.complete(consultation.id)
        await user.client.consultations.create_review(consultation.id, rating=rating)
    relevance = [e.id async for e in anonymous.experts.list(q=keyword)]
    assert relevance == [high.expert_id, low.expert_id]  # the display name matches before the headline
    by_rating = [e.id async for e in anonymous.experts.list(q=keyword, sort="rating", limit=1)]
    assert by_rating == [high.expert_id, low.expert_id]
    assert [e.id async for e in anonymous.experts.list(category="tax", q=keyword)] == []
    in_law = [e.id async for e in anonymous.experts.list(category="law", limit=100)]
    assert {low.expert_id, high.expert_id, unrelated.expert_id} <= set(in_law)
    assert [r.rating async for r in anonymous.experts.list_reviews(high.expert_id or "", min_rating=3)] == [5]
    assert [r.rating async for r in anonymous.experts.list_reviews(low.expert_id or "", min_rating=3)] == []


async def test_a_page_of_experts_is_two_statements_whatever_its_size(server: Server, clients: Clients) -> None:
    """The experts and, in one more statement, their licences: the homepage (for its slug) is joined in, and its
    sections, which a listing never shows, are not loaded (each statement is several trips to aiosqlite's thread)."""
    anonymous, admin = clients.anonymous(), await clients.admin()
    experts = [await verified_expert(anonymous, clients.as_, admin) for _ in range(3)]
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = server.backend.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        for limit in (1, 3):
            statements.clear()
            page = await anonymous.experts.list(limit=limit, sort="newest")
            assert len(page.items) == limit
            assert len(statements) == 2, statements
        statements.clear()
        pending = await admin.admin.list_experts(verification_status="verified", limit=3)
        # (the admin's call also reads the caller's account)
        assert not [s for s in statements if "FROM homepages" in s or "FROM homepage_sections" in s], statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert all(e.homepage_slug for e in [*page.items, *pending.items])
    assert {e.id for e in page.items} == {e.expert_id for e in experts}


# ------------------------------------------------------------------------------------ the public homepage


async def test_the_public_homepage_is_cached_and_writes_invalidate_it(
    http: httpx.AsyncClient, clients: Clients
) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await verified_expert(anonymous, clients.as_, admin)
    assert expert.expert_id is not None
    slug = unique("page-")
    await expert.client.homepages.update(expert.expert_id, slug=slug, title="First title", published=True)
    first = await http.get(f"/homepages/{slug}")
    cached = await http.get(f"/homepages/{slug}")
    assert first.json()["title"] == "First title"
    assert first.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=300"
    assert cached.headers["etag"] == first.headers["etag"]
    await expert.client.homepages.update(expert.expert_id, title="Second title")
    changed = await http.get(f"/homepages/{slug}")
    assert changed.json()["title"] == "Second title"
    assert changed.headers["etag"] != first.headers["etag"]
    await expert.client.homepages.update(expert.expert_id, published=False)
    assert (await http.get(f"/homepages/{slug}")).status_code == 404


async def test_hidden_sections_stay_out_of_the_public_homepage(clients: Clients) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await verified_expert(anonymous, clients.as_, admin)
    expert_id = expert.expert_id or ""
    shown = await expert.client.homepages.create_section(
        expert_id, body=IntroSectionInput(type="intro", title="Hello", body="hi")
    )
    hidden = await expert.client.homepages.create_section(
        expert_id, body=ArticlesSectionInput(type="articles", title="Drafts", visible=False, articles=[])
    )
    slug = unique("sections-")
    await expert.client.homepages.update(expert_id, slug=slug, published=True)
    reordered = await expert.client.homepages.reorder_sections(expert_id, section_ids=[hidden.id, shown.id])
    assert [s.id for s in reordered.sections] == [hidden.id, shown.id]
    public = await anonymous.homepages.get_by_slug(slug)
    assert [s.id for s in public.sections] == [shown.id]
    await expert.client.homepages.delete_section(expert_id, hidden.id)
    editing = await expert.client.homepages.get(expert_id)
    assert [(s.id, s.position) for s in editing.sections] == [(shown.id, 0)]
