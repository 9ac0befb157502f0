"""Database rows → the API's models (the generated `platform_server.models`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from platform_server import models as api

from . import tables

__all__ = [
    "consultation",
    "expert",
    "expert_summary",
    "homepage",
    "license_",
    "mask_name",
    "message",
    "money",
    "product",
    "review",
    "section",
    "session",
    "user",
]

PUBLIC_LICENSE_URL = "https://files.platform.example/licenses/{id}"


def mask_name(name: str) -> str:
    """The reviewer's name as reviews show it: 김민지 → 김*지, Alice → A***e."""
    name = name.strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _mask_number(number: str) -> str:
    keep = len(number) // 2
    return number[:keep] + "*" * (len(number) - keep)


def user(row: tables.User, expert_id: str | None) -> api.User:
    return api.User(
        id=row.id,
        email=row.email,
        name=row.name,
        phone=row.phone,
        roles=[api.Role(r) for r in row.roles],
        expert_id=expert_id,
        marketing_opt_in=row.marketing_opt_in,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def license_(row: tables.License, *, private: bool) -> api.License:
    """A licence; its number and document are shown in full only to the owner and admins."""
    return api.License(
        id=row.id,
        name=row.name,
        issuer=row.issuer,
        number=row.number if private else _mask_number(row.number),
        issued_on=row.issued_on,
        document_url=row.document_url if private else PUBLIC_LICENSE_URL.format(id=row.id),
        verification_status=api.VerificationStatus(row.verification_status),
        created_at=row.created_at,
    )


def expert(row: tables.Expert, *, private: bool = False) -> api.Expert:
    return api.Expert(
        id=row.id,
        user_id=row.user_id,
        display_name=row.display_name,
        category=api.ExpertCategory(row.category),
        headline=row.headline,
        bio=row.bio,
        careers=[api.CareerEntry.model_validate(c) for c in row.careers],
        licenses=[license_(lic, private=private) for lic in row.licenses],
        verification_status=api.VerificationStatus(row.verification_status),
        verification_submitted_at=row.verification_submitted_at,
        verified_at=row.verified_at,
        rejection_reason=row.rejection_reason,
        profile_image_url=row.profile_image_url,
        rating=row.rating,
        review_count=row.review_count,
        homepage_slug=row.homepage.slug,
        promoted=False,  # profile promotions arrive with the ads issue
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def expert_summary(row: tables.Expert) -> api.ExpertSummary:
    return api.ExpertSummary(
        id=row.id,
        display_name=row.display_name,
        category=api.ExpertCategory(row.category),
        headline=row.headline,
        profile_image_url=row.profile_image_url,
        rating=row.rating,
        review_count=row.review_count,
        verification_status=api.VerificationStatus(row.verification_status),
    )


def money(amount: int, currency: str) -> api.Money:
    return api.Money(amount=amount, currency=currency)


def product(row: tables.ConsultationProduct) -> api.ConsultationProduct:
    return api.ConsultationProduct(
        id=row.id,
        expert_id=row.expert_id,
        title=row.title,
        description=row.description,
        channel=api.ConsultationChannel(row.channel),
        duration_minutes=row.duration_minutes,
        price=money(row.price_amount, row.price_currency),
        active=row.active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def section(row: tables.HomepageSection, products: Mapping[str, tables.ConsultationProduct]) -> Any:
    """A stored section as its `HomepageSection` variant; menus expand their active products."""
    common: dict[str, Any] = {"id": row.id, "position": row.position, "title": row.title, "visible": row.visible}
    content = row.content
    if row.type == "intro":
        return api.IntroSection(
            type="intro", body=content.get("body", ""), image_url=content.get("image_url"), **common
        )
    if row.type == "career":
        return api.CareerSection(
            type="career",
            show_licenses=bool(content.get("show_licenses", True)),
            entries=[api.CareerEntry.model_validate(e) for e in content.get("entries", [])],
            **common,
        )
    if row.type == "articles":
        return api.ArticlesSection(
            type="articles",
            articles=[api.Article.model_validate(a) for a in content.get("articles", [])],
            **common,
        )
    ids = [str(i) for i in content.get("product_ids", [])]
    shown = [products[i] for i in ids if i in products and products[i].active and not products[i].archived]
    return api.ConsultationMenuSection(
        type="consultation_menu", product_ids=ids, products=[product(p) for p in shown], **common
    )


def homepage(
    row: tables.Homepage,
    owner: tables.Expert,
    products: Mapping[str, tables.ConsultationProduct],
    *,
    public: bool,
) -> api.Homepage:
    sections = sorted((s for s in row.sections if s.visible or not public), key=lambda s: s.position)
    return api.Homepage(
        id=row.id,
        expert_id=row.expert_id,
        slug=row.slug,
        title=row.title,
        seo_description=row.seo_description,
        published=row.published,
        published_at=row.published_at,
        expert=expert_summary(owner),
        sections=[section(s, products) for s in sections],
        updated_at=row.updated_at,
    )


def consultation(row: tables.Consultation) -> api.Consultation:
    return api.Consultation(
        id=row.id,
        user_id=row.user_id,
        expert_id=row.expert_id,
        expert=expert_summary(row.expert),
        product_id=row.product_id,
        channel=api.ConsultationChannel(row.channel),
        duration_minutes=row.duration_minutes,
        price=money(row.price_amount, row.price_currency),
        status=api.ConsultationStatus(row.status),
        message=row.message,
        preferred_time=row.preferred_time,
        scheduled_at=row.scheduled_at,
        started_at=row.started_at,
        ended_at=row.ended_at,
        decline_reason=row.decline_reason,
        cancelled_by=api.ConsultationParty(row.cancelled_by) if row.cancelled_by else None,
        cancel_reason=row.cancel_reason,
        no_show_party=api.ConsultationNoShowPartyVariant1(row.no_show_party) if row.no_show_party else None,
        payment_id=row.payment_id,
        session_id=row.session_id,
        review_id=row.review_id,
        status_history=[
            api.StatusChange(status=api.ConsultationStatus(h.status), at=h.at, by=h.by) for h in row.history
        ],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def session(row: tables.ConsultationSession) -> api.ConsultationSession:
    usage = api.SessionUsage.model_validate(row.usage) if row.usage else None
    return api.ConsultationSession(
        id=row.id,
        consultation_id=row.consultation_id,
        vendor=row.vendor,
        vendor_session_id=row.vendor_session_id,
        channel=api.ConsultationSessionChannel(row.channel),
        status=api.SessionStatus(row.status),
        scheduled_start=row.scheduled_start,
        started_at=row.started_at,
        ended_at=row.ended_at,
        recording_url=row.recording_url,
        usage=usage,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def message(row: tables.ConsultationMessage) -> api.ConsultationMessage:
    return api.ConsultationMessage(
        id=row.id,
        consultation_id=row.consultation_id,
        sender_id=row.sender_id,
        sender_role=api.ConsultationMessageSenderRole(row.sender_role),
        body=row.body,
        attachments=[api.Attachment.model_validate(a) for a in row.attachments],
        created_at=row.created_at,
    )


def review(row: tables.Review) -> api.Review:
    return api.Review(
        id=row.id,
        consultation_id=row.consultation_id,
        expert_id=row.expert_id,
        user_id=row.user_id,
        author_name=row.author_name,
        rating=row.rating,
        comment=row.comment,
        created_at=row.created_at,
    )


def json_list(items: Sequence[Any]) -> list[Any]:
    """Models as JSON-ready data with wire names, for storing in JSON columns."""
    return [item.to_dict() for item in items]
