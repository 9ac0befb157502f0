"""Experts: profiles, licences, submission for verification, search and listing, public reviews."""

from __future__ import annotations

import re
import secrets
from typing import Any

from platform_server import Context, ExpertsServiceBase, Result
from platform_server import models as api
from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import problems, tables, views
from ..ids import new_id
from ..pagination import SortKey, paginate
from ._base import EXPERT_LISTING, Backend, caller, expert_for_read, expert_for_write, optional_caller

__all__ = ["ExpertsService", "create_profile", "ensure_slug_free"]

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")


async def ensure_slug_free(session: AsyncSession, slug: str, *, homepage_id: str | None = None) -> None:
    taken = (await session.execute(select(tables.Homepage.id).where(tables.Homepage.slug == slug))).scalar()
    if taken is not None and taken != homepage_id:
        raise problems.conflict("slug-taken", "Slug taken", f"The homepage slug {slug} is already taken.")


async def _derive_slug(session: AsyncSession, display_name: str) -> str:
    """A free slug from the display name (`Park Lawyer` → `park-lawyer`), or `expert-<random>`."""
    base = re.sub(r"[^a-z0-9]+", "-", display_name.lower()).strip("-")[:30].strip("-")
    candidates = [base] if _SLUG.match(base) else []
    candidates += [f"{base}-{secrets.token_hex(2)}" for _ in range(3) if _SLUG.match(f"{base}-0000")]
    candidates += [f"expert-{secrets.token_hex(4)}" for _ in range(5)]
    for slug in candidates:
        if (await session.execute(select(tables.Homepage.id).where(tables.Homepage.slug == slug))).first() is None:
            return slug
    raise problems.conflict("slug-taken", "Slug taken", "No free homepage slug could be derived; choose one.")


async def create_profile(
    session: AsyncSession,
    backend: Backend,
    user: tables.User,
    *,
    display_name: str,
    category: str,
    headline: str = "",
    bio: str = "",
    careers: list[Any] | None = None,
    profile_image_url: str | None = None,
    slug: str | None = None,
) -> tables.Expert:
    """A draft expert profile (pending, never submitted) and its unpublished homepage; the account becomes expert."""
    if slug is not None:
        await ensure_slug_free(session, slug)
    else:
        slug = await _derive_slug(session, display_name)
    now = backend.clock.now()
    expert = tables.Expert(
        id=new_id("exp"),
        user_id=user.id,
        display_name=display_name,
        category=category,
        headline=headline,
        bio=bio,
        careers=careers or [],
        profile_image_url=profile_image_url,
        verification_status="pending",
        verification_submitted_at=None,
        verification_note=None,
        verified_at=None,
        rejection_reason=None,
        rating=None,
        rating_sum=0,
        review_count=0,
        created_at=now,
        updated_at=now,
    )
    expert.licenses = []
    expert.homepage = tables.Homepage(
        id=new_id("hp"),
        expert_id=expert.id,
        slug=slug,
        title=display_name,
        seo_description=headline or None,
        published=False,
        published_at=None,
        updated_at=now,
    )
    expert.homepage.sections = []
    if "expert" not in user.roles:
        user.roles = [*user.roles, "expert"]
        user.updated_at = now
    session.add(expert)
    await session.flush()
    return expert


def _keys(sort: api.ListExpertsSort, q: str | None) -> tuple[str, list[SortKey]]:
    e = tables.Expert
    rating = SortKey(func.coalesce(e.rating, -1.0), True, "float")
    last = SortKey(e.id, True)
    if sort is api.ListExpertsSort.RATING:
        return "experts:rating", [rating, last]
    if sort is api.ListExpertsSort.REVIEW_COUNT:
        return "experts:review_count", [SortKey(e.review_count, True, "int"), last]
    if sort is api.ListExpertsSort.NEWEST:
        return "experts:newest", [SortKey(e.created_at, True, "datetime"), last]
    rank: ColumnElement[int]
    if q:
        rank = case(
            (e.display_name.icontains(q, autoescape=True), 3), (e.headline.icontains(q, autoescape=True), 2), else_=1
        )
    else:
        rank = literal(0)
    return f"experts:relevance:{q or ''}", [SortKey(rank, True, "int"), rating, last]


class ExpertsService(ExpertsServiceBase):
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def list(
        self,
        context: Context,
        *,
        category: api.ExpertCategory | None = None,
        q: str | None = None,
        sort: api.ListExpertsSort = api.ListExpertsSort.RELEVANCE,
        cursor: str | None = None,
        limit: int = 20,
    ) -> api.ExpertPage:
        e = tables.Expert
        statement = select(e).options(*EXPERT_LISTING).where(e.verification_status == "verified")
        if category is not None:
            statement = statement.where(e.category == category.value)
        if q:
            statement = statement.where(
                e.display_name.icontains(q, autoescape=True)
                | e.headline.icontains(q, autoescape=True)
                | e.bio.icontains(q, autoescape=True)
            )
        list_name, keys = _keys(sort, q)
        async with self.backend.transaction() as session:
            page = await paginate(session, statement, list_name=list_name, keys=keys, cursor=cursor, limit=limit)
            return api.ExpertPage(
                data=[views.expert(row) for row in page.items], next_cursor=page.next_cursor, has_more=page.has_more
            )

    async def create(self, context: Context, *, body: api.ExpertCreate) -> Result[api.Expert]:
        principal = caller(context)
        async with self.backend.transaction() as session:
            user = await session.get(tables.User, principal.user_id, with_for_update=True)
            if user is None:
                raise problems.unauthenticated("The account of this access token no longer exists.")
            existing = (
                await session.execute(select(tables.Expert.id).where(tables.Expert.user_id == user.id))
            ).scalar()
            if existing is not None:
                raise problems.conflict("expert-exists", "Expert profile exists", f"This account has {existing}.")
            expert = await create_profile(
                session,
                self.backend,
                user,
                display_name=body.display_name,
                category=body.category.value,
                headline=body.headline or "",
                bio=body.bio or "",
                careers=views.json_list(body.careers or []),
                profile_image_url=body.profile_image_url,
                slug=body.homepage_slug,
            )
            location = f"{str(context.request.base_url).rstrip('/')}/experts/{expert.id}"
            return Result(views.expert(expert, private=True), headers={"Location": location})

    async def get(self, context: Context, *, expert_id: str) -> api.Expert:
        principal = optional_caller(context)
        async with self.backend.transaction() as session:
            expert = await expert_for_read(session, expert_id, principal)
            private = principal is not None and (principal.is_admin or principal.is_expert(expert.id))
            return views.expert(expert, private=private)

    async def update(self, context: Context, *, expert_id: str, body: api.ExpertUpdate) -> api.Expert:
        principal = caller(context)
        fields = body.model_fields_set
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, lock=True)
            now = self.backend.clock.now()
            for name in ("display_name", "headline", "bio"):
                if name in fields and getattr(body, name) is not None:
                    setattr(expert, name, getattr(body, name))
            if "careers" in fields and body.careers is not None:
                expert.careers = views.json_list(body.careers)
            if "profile_image_url" in fields:
                expert.profile_image_url = body.profile_image_url
            if "category" in fields and body.category is not None and body.category.value != expert.category:
                expert.category = body.category.value
                if expert.verification_status == "verified":
                    expert.verification_status = "pending"
                    expert.verification_submitted_at = now
                    expert.verified_at = None
            expert.updated_at = now
            self.backend.forget_homepage(session, expert.homepage.slug)
            return views.expert(expert, private=True)

    async def request_verification(
        self, context: Context, *, expert_id: str, body: api.ExpertVerificationRequest | None = None
    ) -> api.Expert:
        principal = caller(context)
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, admin=False, lock=True)
            if expert.verification_status == "verified":
                raise problems.conflict("already-verified", "Already verified", "The profile is already verified.")
            if expert.verification_status == "pending" and expert.verification_submitted_at is not None:
                raise problems.conflict(
                    "verification-pending", "Awaiting review", "A submission of this profile is awaiting review."
                )
            if not expert.licenses:
                raise problems.validation_failed("licenses", "at least one licence is required to submit the profile")
            now = self.backend.clock.now()
            expert.verification_status = "pending"
            expert.verification_submitted_at = now
            expert.verification_note = body.note if body is not None else None
            expert.rejection_reason = None
            for lic in expert.licenses:
                if lic.verification_status == "rejected":
                    lic.verification_status = "pending"
            expert.updated_at = now
            return views.expert(expert, private=True)

    async def create_license(self, context: Context, *, expert_id: str, body: api.LicenseCreate) -> api.License:
        principal = caller(context)
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, admin=False, lock=True)
            now = self.backend.clock.now()
            row = tables.License(
                id=new_id("lic"),
                expert_id=expert.id,
                name=body.name,
                issuer=body.issuer,
                number=body.number,
                issued_on=body.issued_on,
                document_url=body.document_url,
                verification_status="pending",
                created_at=now,
            )
            expert.licenses.append(row)
            expert.updated_at = now
            await session.flush()
            return views.license_(row, private=True)

    async def delete_license(self, context: Context, *, expert_id: str, license_id: str) -> None:
        principal = caller(context)
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, lock=True)
            row = next((lic for lic in expert.licenses if lic.id == license_id), None)
            if row is None:
                raise problems.not_found(f"No licence {license_id} on expert {expert_id}.")
            expert.licenses.remove(row)
            now = self.backend.clock.now()
            verified_left = any(lic.verification_status == "verified" for lic in expert.licenses)
            if expert.verification_status == "verified" and not verified_left:
                expert.verification_status = "pending"
                expert.verification_submitted_at = None
                expert.verified_at = None
                self.backend.forget_homepage(session, expert.homepage.slug)
            expert.updated_at = now

    async def list_reviews(
        self,
        context: Context,
        *,
        expert_id: str,
        min_rating: int | None = None,
        cursor: str | None = None,
        limit: int = 20,
    ) -> api.ReviewPage:
        r = tables.Review
        async with self.backend.transaction() as session:
            await expert_for_read(session, expert_id, None)
            statement = select(r).where(r.expert_id == expert_id)
            if min_rating is not None:
                statement = statement.where(r.rating >= min_rating)
            keys = [SortKey(r.created_at, True, "datetime"), SortKey(r.id, True)]
            page = await paginate(
                session, statement, list_name=f"reviews:{expert_id}", keys=keys, cursor=cursor, limit=limit
            )
            return api.ReviewPage(
                data=[views.review(row) for row in page.items], next_cursor=page.next_cursor, has_more=page.has_more
            )
