"""Who may do what: parties, other users, other experts, admins, and callers without a token."""

from __future__ import annotations

import datetime

import httpx
import pytest
from platform_sdk import AuthenticationError, NotFoundError, PermissionDeniedError
from platform_sdk.models import IntroSectionInput, Money, UserSignUp
from reference_journey import book, product_of, sign_up_expert, sign_up_user, unique, verified_expert
from reference_support import ACCESS_TOKEN_TTL, Clients, SettableClock

pytestmark = pytest.mark.asyncio


async def test_a_user_cannot_read_or_change_another_users_consultation(clients: Clients, clock: SettableClock) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await verified_expert(anonymous, clients.as_, admin)
    owner = await sign_up_user(anonymous, clients.as_)
    stranger = await sign_up_user(anonymous, clients.as_)
    consultation = await book(owner, await product_of(expert), clock)

    with pytest.raises(NotFoundError) as read:
        await stranger.client.consultations.get(consultation.id)
    assert read.value.body.status == 404
    with pytest.raises(NotFoundError):
        await stranger.client.consultations.cancel(consultation.id, reason="not mine")
    with pytest.raises(NotFoundError):
        await stranger.client.consultations.create_message(consultation.id, body_="hello")
    with pytest.raises(NotFoundError):
        [m async for m in stranger.client.consultations.list_messages(consultation.id)]
    assert [c.id async for c in stranger.client.consultations.list()] == []

    unchanged = await owner.client.consultations.get(consultation.id)
    assert unchanged.status == "requested"
    assert [c.id async for c in owner.client.consultations.list()] == [consultation.id]
    assert (await admin.consultations.get(consultation.id)).id == consultation.id


async def test_an_expert_cannot_act_for_another_expert(clients: Clients, clock: SettableClock) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await verified_expert(anonymous, clients.as_, admin)
    other = await verified_expert(anonymous, clients.as_, admin)
    assert expert.expert_id is not None
    user = await sign_up_user(anonymous, clients.as_)
    product_id = await product_of(expert)
    consultation = await book(user, product_id, clock)

    with pytest.raises(NotFoundError):  # not a party: the consultation does not exist for them
        await other.client.consultations.accept(consultation.id)
    with pytest.raises(PermissionDeniedError):
        await other.client.experts.update(expert.expert_id, headline="taken over")
    with pytest.raises(PermissionDeniedError):
        await other.client.consultation_products.create(
            expert.expert_id, title="fake", channel="chat", duration_minutes=30, price=Money(amount=1, currency="KRW")
        )
    with pytest.raises(PermissionDeniedError):
        await other.client.consultation_products.update(product_id, title="mine now")
    with pytest.raises(PermissionDeniedError):
        await other.client.homepages.update(expert.expert_id, title="hijacked")
    with pytest.raises(PermissionDeniedError):
        await other.client.homepages.create_section(
            expert.expert_id, body=IntroSectionInput(type="intro", title="x", body="y")
        )
    with pytest.raises(PermissionDeniedError):
        await other.client.experts.create_license(
            expert.expert_id,
            name="x",
            issuer="y",
            number="1",
            issued_on=datetime.date(2020, 1, 1),
            document_url="https://files.platform.example/x.pdf",
        )
    assert (await anonymous.experts.get(expert.expert_id)).headline != "taken over"
    assert (await user.client.consultations.get(consultation.id)).status == "requested"


async def test_each_action_belongs_to_one_side(clients: Clients, clock: SettableClock) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await verified_expert(anonymous, clients.as_, admin)
    user = await sign_up_user(anonymous, clients.as_)
    consultation = await book(user, await product_of(expert), clock)

    with pytest.raises(PermissionDeniedError) as accept:  # x-roles: expert; the user has no expert role
        await user.client.consultations.accept(consultation.id)
    assert "expert" in accept.value.body.detail
    with pytest.raises(PermissionDeniedError):  # the expert is a party, but reviews are the user's
        await expert.client.consultations.create_review(consultation.id, rating=1)
    with pytest.raises(PermissionDeniedError):  # admins may complete, but not accept
        await admin.consultations.accept(consultation.id)
    with pytest.raises(PermissionDeniedError):
        await user.client.admin.approve_expert(expert.expert_id or "")
    with pytest.raises(PermissionDeniedError):
        await user.client.consultations.list(as_="any")
    with pytest.raises(PermissionDeniedError):
        await user.client.consultations.list(as_="expert")


async def test_unverified_profiles_are_hidden_from_everyone_but_owner_and_admins(clients: Clients) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    draft = await sign_up_expert(anonymous, clients.as_)
    stranger = await sign_up_user(anonymous, clients.as_)
    assert draft.expert_id is not None
    with pytest.raises(NotFoundError):
        await anonymous.experts.get(draft.expert_id)
    with pytest.raises(NotFoundError):
        await stranger.client.experts.get(draft.expert_id)
    own = await draft.client.experts.get(draft.expert_id)
    assert own.id == draft.expert_id
    assert (await admin.experts.get(draft.expert_id)).id == draft.expert_id


async def test_licence_numbers_are_masked_for_the_public(clients: Clients) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await verified_expert(anonymous, clients.as_, admin)
    assert expert.expert_id is not None
    public = await anonymous.experts.get(expert.expert_id)
    private = await expert.client.experts.get(expert.expert_id)
    assert private.licenses[0].number == "2010-12345"
    assert public.licenses[0].number == "2010-*****"
    assert "uploads" not in public.licenses[0].document_url


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/me"),
        ("GET", "/consultations"),
        ("GET", "/consultations/con_01HZX3K8Q2V7Y4N6M0PBR5T9WA"),
        ("POST", "/consultations/con_01HZX3K8Q2V7Y4N6M0PBR5T9WA/accept"),
        ("PATCH", "/experts/exp_01HZX3K8Q2V7Y4N6M0PBR5T9WA"),
        ("POST", "/admin/experts/exp_01HZX3K8Q2V7Y4N6M0PBR5T9WA/approve"),
    ],
)
async def test_calls_without_a_token_get_401_problem_details(http: httpx.AsyncClient, method: str, path: str) -> None:
    response = await http.request(method, path, json={"headline": "x"} if method == "PATCH" else None)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    problem = response.json()
    assert problem["status"] == 401
    assert problem["type"] == "https://api.platform.example/problems/unauthenticated"
    assert problem["request_id"] == response.headers["x-request-id"]


async def test_a_bad_or_expired_token_is_401(clients: Clients, clock: SettableClock) -> None:
    user = await sign_up_user(clients.anonymous(), clients.as_)
    with pytest.raises(AuthenticationError):
        await clients.as_(user.token + "x").auth.get_me()
    assert (await user.client.auth.get_me()).id == user.user_id
    clock.advance(seconds=ACCESS_TOKEN_TTL + 1)
    with pytest.raises(AuthenticationError) as expired:
        await user.client.auth.get_me()
    assert "expired" in expired.value.body.detail


async def test_refresh_tokens_rotate_and_work_once(clients: Clients) -> None:
    anonymous = clients.anonymous()
    session = await anonymous.auth.sign_up(
        body=UserSignUp(role="user", email=unique("rotate-") + "@example.com", password="long-enough-pw", name="Kim")
    )
    renewed = await anonymous.auth.refresh_token(refresh_token=session.refresh_token)
    assert renewed.refresh_token != session.refresh_token
    assert (await clients.as_(renewed.access_token).auth.get_me()).id == session.user.id
    with pytest.raises(AuthenticationError):
        await anonymous.auth.refresh_token(refresh_token=session.refresh_token)
    with pytest.raises(AuthenticationError):
        await anonymous.auth.sign_in(email=session.user.email, password="wrong-password")


async def test_update_me_changes_only_what_is_sent(clients: Clients) -> None:
    user = await sign_up_user(clients.anonymous(), clients.as_)
    changed = await user.client.auth.update_me(phone="+821012345678")
    assert (changed.name, changed.phone, changed.marketing_opt_in) == ("김민지", "+821012345678", False)
    cleared = await user.client.auth.update_me(phone=None, marketing_opt_in=True)
    assert (cleared.phone, cleared.marketing_opt_in) == (None, True)
