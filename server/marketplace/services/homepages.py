"""Homepages: settings and publishing, ordered sections, and the cached public read by slug."""

from __future__ import annotations

import hashlib
from typing import Any

from platform_server import Context, HomepagesServiceBase, Result
from platform_server import models as api
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import problems, tables, views
from ..cache import CacheKeys
from ..ids import new_id
from ._base import Backend, caller, expert_for_write
from .experts import ensure_slug_free

__all__ = ["HomepagesService"]

MAX_SECTIONS = 20
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"


async def _products(session: AsyncSession, expert_id: str) -> dict[str, tables.ConsultationProduct]:
    rows = await session.execute(
        select(tables.ConsultationProduct).where(tables.ConsultationProduct.expert_id == expert_id)
    )
    return {p.id: p for p in rows.scalars()}


def _content(body: Any, expert: tables.Expert, products: dict[str, tables.ConsultationProduct]) -> dict[str, Any]:
    """The type-specific fields of a section input, with the spec's defaults filled in."""
    if isinstance(body, api.IntroSectionInput):
        return {"body": body.body, "image_url": body.image_url}
    if isinstance(body, api.CareerSectionInput):
        entries = views.json_list(body.entries) if body.entries is not None else list(expert.careers)
        return {"show_licenses": True if body.show_licenses is None else body.show_licenses, "entries": entries}
    if isinstance(body, api.ArticlesSectionInput):
        return {"articles": views.json_list(body.articles)}
    assert isinstance(body, api.ConsultationMenuSectionInput)
    ids = [str(i) for i in body.product_ids]  # distinct: uniqueItems, checked by the stub
    for i, product_id in enumerate(ids):
        product = products.get(product_id)
        if product is None or product.archived:
            raise problems.validation_failed(f"product_ids.{i}", f"{product_id} is not a product of this expert")
    return {"product_ids": ids}


class HomepagesService(HomepagesServiceBase):
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def get_by_slug(self, context: Context, *, slug: str) -> Result[api.Homepage]:
        key = CacheKeys.homepage(slug)
        cached = await self.backend.cache.get(key)
        if cached is None:
            async with self.backend.transaction() as session:
                homepage = (
                    await session.execute(select(tables.Homepage).where(tables.Homepage.slug == slug))
                ).scalar_one_or_none()
                expert = await session.get(tables.Expert, homepage.expert_id) if homepage is not None else None
                if homepage is None or expert is None or not homepage.published:
                    raise problems.not_found(f"No published homepage {slug}.")
                if expert.verification_status != "verified":
                    raise problems.not_found(f"No published homepage {slug}.")
                products = await _products(session, expert.id)
                cached = views.homepage(homepage, expert, products, public=True).model_dump_json(by_alias=True).encode()
            await self.backend.cache.set(key, cached, self.backend.settings.homepage_cache_ttl)
        etag = '"' + hashlib.sha256(cached).hexdigest()[:32] + '"'
        return Result(api.Homepage.model_validate_json(cached), headers={"Cache-Control": CACHE_CONTROL, "ETag": etag})

    async def get(self, context: Context, *, expert_id: str) -> api.Homepage:
        principal = caller(context)
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal)
            return views.homepage(expert.homepage, expert, await _products(session, expert.id), public=False)

    async def update(self, context: Context, *, expert_id: str, body: api.HomepageUpdate) -> api.Homepage:
        principal = caller(context)
        fields = body.model_fields_set
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, lock=True)
            homepage = expert.homepage
            old_slug = homepage.slug
            now = self.backend.clock.now()
            if "slug" in fields and body.slug is not None and body.slug != homepage.slug:
                await ensure_slug_free(session, body.slug, homepage_id=homepage.id)
                homepage.slug = body.slug
            if "title" in fields and body.title is not None:
                homepage.title = body.title
            if "seo_description" in fields:
                homepage.seo_description = body.seo_description
            if "published" in fields and body.published is not None and body.published != homepage.published:
                if body.published and expert.verification_status != "verified":
                    raise problems.conflict(
                        "expert-not-verified",
                        "Expert not verified",
                        "A homepage can be published once the expert is verified.",
                    )
                homepage.published = body.published
                if body.published:
                    homepage.published_at = now
            homepage.updated_at = now
            await session.flush()
            self.backend.forget_homepage(session, old_slug, homepage.slug)
            return views.homepage(homepage, expert, await _products(session, expert.id), public=False)

    async def create_section(self, context: Context, *, expert_id: str, body: api.HomepageSectionInput) -> Any:
        principal = caller(context)
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, lock=True)
            homepage = expert.homepage
            if len(homepage.sections) >= MAX_SECTIONS:
                raise problems.conflict(
                    "too-many-sections", "Too many sections", f"A homepage has at most {MAX_SECTIONS} sections."
                )
            products = await _products(session, expert.id)
            row = tables.HomepageSection(
                id=new_id("sec"),
                homepage_id=homepage.id,
                position=len(homepage.sections),
                type=body.type,
                title=body.title,
                visible=True if body.visible is None else body.visible,
                content=_content(body, expert, products),
            )
            homepage.sections.append(row)
            homepage.updated_at = self.backend.clock.now()
            await session.flush()
            self.backend.forget_homepage(session, homepage.slug)
            return views.section(row, products)

    async def replace_section(
        self, context: Context, *, expert_id: str, section_id: str, body: api.HomepageSectionInput
    ) -> Any:
        principal = caller(context)
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, lock=True)
            homepage = expert.homepage
            row = next((s for s in homepage.sections if s.id == section_id), None)
            if row is None:
                raise problems.not_found(f"No section {section_id} on this homepage.")
            products = await _products(session, expert.id)
            row.type = body.type
            row.title = body.title
            row.visible = True if body.visible is None else body.visible
            row.content = _content(body, expert, products)
            homepage.updated_at = self.backend.clock.now()
            self.backend.forget_homepage(session, homepage.slug)
            return views.section(row, products)

    async def delete_section(self, context: Context, *, expert_id: str, section_id: str) -> None:
        principal = caller(context)
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, lock=True)
            homepage = expert.homepage
            row = next((s for s in homepage.sections if s.id == section_id), None)
            if row is None:
                raise problems.not_found(f"No section {section_id} on this homepage.")
            homepage.sections.remove(row)
            for position, section in enumerate(sorted(homepage.sections, key=lambda s: s.position)):
                section.position = position
            homepage.updated_at = self.backend.clock.now()
            self.backend.forget_homepage(session, homepage.slug)

    async def reorder_sections(self, context: Context, *, expert_id: str, body: api.SectionOrder) -> api.Homepage:
        principal = caller(context)
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, lock=True)
            homepage = expert.homepage
            ids = [str(i) for i in body.section_ids]
            by_id = {s.id: s for s in homepage.sections}
            if len(set(ids)) != len(ids) or set(ids) != set(by_id):
                raise problems.validation_failed("section_ids", "must list every section of the homepage exactly once")
            for position, section_id in enumerate(ids):
                by_id[section_id].position = position
            homepage.updated_at = self.backend.clock.now()
            await session.flush()
            self.backend.forget_homepage(session, homepage.slug)
            return views.homepage(homepage, expert, await _products(session, expert.id), public=False)
