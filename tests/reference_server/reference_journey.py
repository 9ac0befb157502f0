"""The platform's journeys through the generated Python SDK, shared by the in-process and uvicorn runs."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from platform_sdk import AsyncClient
from platform_sdk.models import (
    ConsultationMenuSectionInput,
    ExpertSignUp,
    IntroSectionInput,
    Money,
    UserSignUp,
)

PASSWORD = "correct-horse-battery"
PAYMENT_METHOD = "pm_01HZX3Z9K1M3P5R7T9V1X3Z5B7"


def unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


@dataclass
class Actor:
    client: AsyncClient
    user_id: str
    expert_id: str | None
    email: str
    token: str


async def sign_up_user(anonymous: AsyncClient, make_client: Any, name: str = "김민지") -> Actor:
    email = unique("user-") + "@example.com"
    session = await anonymous.auth.sign_up(body=UserSignUp(role="user", email=email, password=PASSWORD, name=name))
    return Actor(make_client(session.access_token), session.user.id, None, email, session.access_token)


async def sign_up_expert(
    anonymous: AsyncClient, make_client: Any, *, display_name: str = "Park Seojun", headline: str = "Inheritance law"
) -> Actor:
    email = unique("expert-") + "@example.com"
    session = await anonymous.auth.sign_up(
        body=ExpertSignUp(
            role="expert",
            email=email,
            password=PASSWORD,
            name="박서준",
            display_name=display_name,
            category="law",
            headline=headline,
        )
    )
    assert session.user.expert_id is not None
    return Actor(
        make_client(session.access_token), session.user.id, session.user.expert_id, email, session.access_token
    )


async def verified_expert(anonymous: AsyncClient, make_client: Any, admin: AsyncClient, **profile: Any) -> Actor:
    """An expert who added a licence, submitted the profile, and whom the admin approved."""
    expert = await sign_up_expert(anonymous, make_client, **profile)
    assert expert.expert_id is not None
    await expert.client.experts.create_license(
        expert.expert_id,
        name="변호사",
        issuer="대한변호사협회",
        number="2010-12345",
        issued_on=datetime.date(2010, 2, 15),
        document_url="https://files.platform.example/uploads/license.pdf",
    )
    await expert.client.experts.request_verification(expert.expert_id, note="please review")
    await admin.admin.approve_expert(expert.expert_id)
    return expert


async def product_of(expert: Actor, *, price: int = 50000, channel: str = "chat") -> str:
    assert expert.expert_id is not None
    product = await expert.client.consultation_products.create(
        expert.expert_id,
        title="30분 상담",
        channel=channel,
        duration_minutes=30,
        price=Money(amount=price, currency="KRW"),
    )
    return product.id


async def book(user: Actor, product_id: str, clock: Any, **options: Any) -> Any:
    return await user.client.consultations.create(
        product_id=product_id,
        preferred_time=clock.now() + datetime.timedelta(days=2),
        message="아버지 상속 재산 분할 관련해 상담 받고 싶습니다.",
        payment_method_id=PAYMENT_METHOD,
        **options,
    )


async def full_journey(anonymous: AsyncClient, make_client: Any, admin: AsyncClient, clock: Any) -> dict[str, Any]:
    """Expert signs up → admin verifies → homepage published → user books → accepted → completed → reviewed.

    Returns what the journey saw, for the caller to assert on further.
    """
    keyword = unique("probate")
    # 1. The expert signs up (a draft profile, pending and never submitted) and submits it with a licence.
    expert = await sign_up_expert(
        anonymous, make_client, display_name="Park Seojun", headline=f"{keyword} and family law"
    )
    assert expert.expert_id is not None
    draft = await expert.client.experts.get(expert.expert_id)
    assert draft.verification_status == "pending"
    assert draft.verification_submitted_at is None
    await expert.client.experts.create_license(
        expert.expert_id,
        name="변호사",
        issuer="대한변호사협회",
        number="2010-12345",
        issued_on=datetime.date(2010, 2, 15),
        document_url="https://files.platform.example/uploads/license.pdf",
    )
    submitted = await expert.client.experts.request_verification(expert.expert_id, note="licence attached")
    assert submitted.verification_submitted_at is not None

    # 2. The admin finds it in the verification queue and approves it.
    queue = [e.id async for e in admin.admin.list_experts()]
    assert expert.expert_id in queue
    approved = await admin.admin.approve_expert(expert.expert_id, note="checked with the bar association")
    assert approved.verification_status == "verified"
    assert approved.verified_at is not None
    assert [lic.verification_status for lic in approved.licenses] == ["verified"]

    # 3. The expert sells a product and publishes the homepage with an intro and the consultation menu.
    product_id = await product_of(expert)
    await expert.client.homepages.create_section(
        expert.expert_id, body=IntroSectionInput(type="intro", title="인사말", body="안녕하세요.")
    )
    await expert.client.homepages.create_section(
        expert.expert_id,
        body=ConsultationMenuSectionInput(type="consultation_menu", title="상담 안내", product_ids=[product_id]),
    )
    slug = unique("park-")
    published = await expert.client.homepages.update(expert.expert_id, slug=slug, published=True)
    assert published.published is True
    assert published.published_at is not None

    # 4. A user finds the expert by category and keyword, reads the homepage, and books.
    found = [e.id async for e in anonymous.experts.list(category="law", q=keyword)]
    assert found == [expert.expert_id]
    homepage = await anonymous.homepages.get_by_slug(slug)
    assert [s.type for s in homepage.sections] == ["intro", "consultation_menu"]
    menu = homepage.sections[1]
    assert [p.id for p in menu.products] == [product_id]
    user = await sign_up_user(anonymous, make_client)
    consultation = await book(user, product_id, clock)
    assert consultation.status == "requested"
    assert consultation.price.amount == 50000
    assert consultation.expert.id == expert.expert_id

    # 5. The expert accepts, schedules, starts and completes it; they exchange a message.
    await expert.client.consultations.accept(consultation.id)
    scheduled_at = clock.now() + datetime.timedelta(hours=1)
    scheduled = await expert.client.consultations.schedule(consultation.id, scheduled_at=scheduled_at)
    assert scheduled.status == "scheduled"
    await user.client.consultations.create_message(consultation.id, body_="자료 첨부드립니다.")
    clock.advance(minutes=50)
    started = await expert.client.consultations.start(consultation.id)
    assert started.status == "in_progress"
    completed = await expert.client.consultations.complete(consultation.id)
    assert completed.status == "completed"
    assert completed.ended_at is not None

    # 6. The user reviews it; the expert's rating and the public review list show it.
    review = await user.client.consultations.create_review(consultation.id, rating=5, comment="큰 도움이 됐습니다.")
    assert review.author_name == "김*지"
    final = await user.client.consultations.get(consultation.id)
    assert final.review_id == review.id
    assert [h.status for h in final.status_history] == [
        "requested",
        "accepted",
        "scheduled",
        "in_progress",
        "completed",
    ]
    rated = await anonymous.experts.get(expert.expert_id)
    assert (rated.rating, rated.review_count) == (5.0, 1)
    reviews = [r.id async for r in anonymous.experts.list_reviews(expert.expert_id)]
    assert reviews == [review.id]
    messages = [(m.sender_role, m.body) async for m in expert.client.consultations.list_messages(consultation.id)]
    assert ("user", "자료 첨부드립니다.") in messages
    return {"expert": expert, "user": user, "consultation": final, "slug": slug, "product_id": product_id}
