"""The consultation lifecycle's rules: transitions, time windows, reviews; and the expert verification rules."""

from __future__ import annotations

import datetime

import pytest
from platform_sdk import ConflictError, UnprocessableEntityError
from reference_journey import Actor, book, product_of, sign_up_expert, sign_up_user, verified_expert
from reference_support import Clients, SettableClock

pytestmark = pytest.mark.asyncio


async def _parties(clients: Clients) -> tuple[Actor, Actor, str]:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await verified_expert(anonymous, clients.as_, admin)
    user = await sign_up_user(anonymous, clients.as_)
    return expert, user, await product_of(expert)


async def test_transitions_outside_the_lifecycle_are_409_invalid_transition(
    clients: Clients, clock: SettableClock
) -> None:
    expert, user, product_id = await _parties(clients)
    consultation = await book(user, product_id, clock)
    with pytest.raises(ConflictError) as complete:
        await expert.client.consultations.complete(consultation.id)
    assert complete.value.body.type == "https://api.platform.example/problems/invalid-transition"
    assert complete.value.body.detail == "A consultation in status requested cannot be completed."
    with pytest.raises(ConflictError):
        await expert.client.consultations.start(consultation.id)
    await expert.client.consultations.accept(consultation.id)
    with pytest.raises(ConflictError):
        await expert.client.consultations.accept(consultation.id)
    with pytest.raises(ConflictError):
        await expert.client.consultations.decline(consultation.id, reason="too late to decline")
    assert (await user.client.consultations.get(consultation.id)).status == "accepted"


async def test_decline_records_the_reason_and_ends_the_consultation(clients: Clients, clock: SettableClock) -> None:
    expert, user, product_id = await _parties(clients)
    consultation = await book(user, product_id, clock)
    declined = await expert.client.consultations.decline(consultation.id, reason="not my field")
    assert (declined.status, declined.decline_reason) == ("declined", "not my field")
    assert declined.ended_at is not None
    with pytest.raises(ConflictError):
        await user.client.consultations.cancel(consultation.id, reason="never mind")


@pytest.mark.parametrize("side", ["user", "expert", "admin"])
async def test_cancel_records_who_cancelled(clients: Clients, clock: SettableClock, side: str) -> None:
    expert, user, product_id = await _parties(clients)
    consultation = await book(user, product_id, clock)
    await expert.client.consultations.accept(consultation.id)
    actor = {"user": user.client, "expert": expert.client, "admin": await clients.admin()}[side]
    cancelled = await actor.consultations.cancel(consultation.id, reason="schedule clash")
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason) == ("cancelled", side, "schedule clash")
    assert [h.status for h in cancelled.status_history][-1] == "cancelled"


async def test_schedule_start_and_no_show_keep_their_time_windows(clients: Clients, clock: SettableClock) -> None:
    expert, user, product_id = await _parties(clients)
    consultation = await book(user, product_id, clock)
    await expert.client.consultations.accept(consultation.id)
    with pytest.raises(UnprocessableEntityError) as soon:
        await expert.client.consultations.schedule(
            consultation.id, scheduled_at=clock.now() + datetime.timedelta(minutes=5)
        )
    assert soon.value.body.errors[0].field == "scheduled_at"
    at = clock.now() + datetime.timedelta(hours=2)
    await expert.client.consultations.schedule(consultation.id, scheduled_at=at)
    with pytest.raises(ConflictError):  # more than 15 minutes early
        await expert.client.consultations.start(consultation.id)
    with pytest.raises(ConflictError):  # a no-show only 10 minutes after the start time
        await user.client.consultations.mark_no_show(consultation.id, party="expert")
    clock.advance(hours=2, minutes=11)
    no_show = await user.client.consultations.mark_no_show(consultation.id, party="expert", note="never called")
    assert (no_show.status, no_show.no_show_party) == ("no_show", "expert")


async def test_reviews_only_after_completion_and_only_once(clients: Clients, clock: SettableClock) -> None:
    expert, user, product_id = await _parties(clients)
    consultation = await book(user, product_id, clock)
    with pytest.raises(UnprocessableEntityError):
        await user.client.consultations.create_review(consultation.id, rating=4)
    await expert.client.consultations.accept(consultation.id)
    await expert.client.consultations.schedule(consultation.id, scheduled_at=clock.now() + datetime.timedelta(hours=1))
    clock.advance(minutes=50)
    await expert.client.consultations.start(consultation.id)
    await (await clients.admin()).consultations.complete(consultation.id)  # admins may complete
    await user.client.consultations.create_review(consultation.id, rating=4, comment="good")
    with pytest.raises(ConflictError) as again:
        await user.client.consultations.create_review(consultation.id, rating=1)
    assert again.value.body.type.endswith("/already-reviewed")
    assert expert.expert_id is not None
    assert (await clients.anonymous().experts.get(expert.expert_id)).rating == 4.0


async def test_a_late_review_is_refused(clients: Clients, clock: SettableClock) -> None:
    expert, user, product_id = await _parties(clients)
    consultation = await book(user, product_id, clock)
    await expert.client.consultations.accept(consultation.id)
    await expert.client.consultations.schedule(consultation.id, scheduled_at=clock.now() + datetime.timedelta(hours=1))
    clock.advance(hours=1)
    await expert.client.consultations.start(consultation.id)
    await expert.client.consultations.complete(consultation.id)
    clock.advance(days=31)
    with pytest.raises(UnprocessableEntityError):
        await user.client.consultations.create_review(consultation.id, rating=5)


async def test_booking_needs_a_bookable_product_and_a_future_time(clients: Clients, clock: SettableClock) -> None:
    expert, user, product_id = await _parties(clients)
    with pytest.raises(UnprocessableEntityError):
        await user.client.consultations.create(
            product_id=product_id,
            preferred_time=clock.now() - datetime.timedelta(hours=1),
            message="yesterday please",
            payment_method_id="pm_01HZX3Z9K1M3P5R7T9V1X3Z5B7",
        )
    await expert.client.consultation_products.update(product_id, active=False)
    with pytest.raises(ConflictError):
        await book(user, product_id, clock)
    assert [p.id for p in (await clients.anonymous().consultation_products.list(expert.expert_id or "")).data] == []
    assert [p.id for p in (await expert.client.consultation_products.list(expert.expert_id or "")).data] == [product_id]


async def test_verification_rules(clients: Clients) -> None:
    anonymous, admin = clients.anonymous(), await clients.admin()
    expert = await sign_up_expert(anonymous, clients.as_)
    assert expert.expert_id is not None
    with pytest.raises(UnprocessableEntityError):  # no licence yet
        await expert.client.experts.request_verification(expert.expert_id)
    with pytest.raises(ConflictError):  # never submitted
        await admin.admin.approve_expert(expert.expert_id)
    with pytest.raises(ConflictError):  # unverified experts cannot publish
        await expert.client.homepages.update(expert.expert_id, published=True)
    await expert.client.experts.create_license(
        expert.expert_id,
        name="세무사",
        issuer="한국세무사회",
        number="12345",
        issued_on=datetime.date(2015, 11, 20),
        document_url="https://files.platform.example/uploads/tax.pdf",
    )
    await expert.client.experts.request_verification(expert.expert_id)
    with pytest.raises(ConflictError):  # already awaiting review
        await expert.client.experts.request_verification(expert.expert_id)
    rejected = await admin.admin.reject_expert(expert.expert_id, reason="blurry scan")
    assert (rejected.verification_status, rejected.rejection_reason) == ("rejected", "blurry scan")
    resubmitted = await expert.client.experts.request_verification(expert.expert_id)
    assert (resubmitted.verification_status, resubmitted.rejection_reason) == ("pending", None)
    verified = await admin.admin.approve_expert(expert.expert_id)
    assert verified.verification_status == "verified"
    changed = await expert.client.experts.update(expert.expert_id, category="tax")
    assert changed.verification_status == "pending"  # a new category needs a new review
