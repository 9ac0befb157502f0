"""Consultation products: what an expert sells (channel, duration, price)."""

from __future__ import annotations

from platform_server import ConsultationProductsServiceBase, Context
from platform_server import models as api
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import problems, tables, views
from ..ids import new_id
from ..security import Principal
from ._base import Backend, caller, can_see_expert, expert_for_read, expert_for_write, optional_caller

__all__ = ["MAX_PRODUCTS", "ConsultationProductsService"]

MAX_PRODUCTS = 20


def _check_price(price: api.Money) -> None:
    if price.amount < 0:
        raise problems.validation_failed("price.amount", "must not be negative")


def _may_manage(principal: Principal | None, expert_id: str) -> bool:
    return principal is not None and (principal.is_admin or principal.is_expert(expert_id))


async def _product(session: AsyncSession, product_id: str, principal: Principal | None) -> tables.ConsultationProduct:
    """A product the caller may see: active products of verified experts, or any for their expert and admins."""
    row = await session.get(tables.ConsultationProduct, product_id)
    if row is None or row.archived:
        raise problems.not_found(f"No consultation product {product_id}.")
    if _may_manage(principal, row.expert_id):
        return row
    expert = await session.get(tables.Expert, row.expert_id)
    if not row.active or expert is None or not can_see_expert(expert, None):
        raise problems.not_found(f"No consultation product {product_id}.")
    return row


class ConsultationProductsService(ConsultationProductsServiceBase):
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def list(
        self, context: Context, *, expert_id: str, channel: api.ConsultationChannel | None = None
    ) -> api.ConsultationProductList:
        principal = optional_caller(context)
        p = tables.ConsultationProduct
        async with self.backend.transaction() as session:
            expert = await expert_for_read(session, expert_id, principal)
            statement = select(p).where(p.expert_id == expert.id, p.archived.is_(False)).order_by(p.created_at, p.id)
            if channel is not None:
                statement = statement.where(p.channel == channel.value)
            if not _may_manage(principal, expert.id):
                statement = statement.where(p.active.is_(True))
            rows = (await session.execute(statement)).scalars().all()
            return api.ConsultationProductList(data=[views.product(row) for row in rows])

    async def create(
        self, context: Context, *, expert_id: str, body: api.ConsultationProductCreate
    ) -> api.ConsultationProduct:
        principal = caller(context)
        _check_price(body.price)
        p = tables.ConsultationProduct
        async with self.backend.transaction() as session:
            expert = await expert_for_write(session, expert_id, principal, lock=True)
            if expert.verification_status != "verified":
                raise problems.conflict(
                    "expert-not-verified", "Expert not verified", "Only verified experts can sell consultations."
                )
            count = (
                await session.execute(select(func.count()).where(p.expert_id == expert.id, p.archived.is_(False)))
            ).scalar_one()
            if count >= MAX_PRODUCTS:
                raise problems.conflict(
                    "too-many-products", "Too many products", f"An expert offers at most {MAX_PRODUCTS} products."
                )
            now = self.backend.clock.now()
            row = p(
                id=new_id("cpr"),
                expert_id=expert.id,
                title=body.title,
                description=body.description or "",
                channel=body.channel.value,
                duration_minutes=body.duration_minutes,
                price_amount=body.price.amount,
                price_currency=body.price.currency,
                active=True if body.active is None else body.active,
                archived=False,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            await session.flush()
            return views.product(row)

    async def get(self, context: Context, *, product_id: str) -> api.ConsultationProduct:
        async with self.backend.transaction() as session:
            return views.product(await _product(session, product_id, optional_caller(context)))

    async def update(
        self, context: Context, *, product_id: str, body: api.ConsultationProductUpdate
    ) -> api.ConsultationProduct:
        principal = caller(context)
        fields = body.model_fields_set
        async with self.backend.transaction() as session:
            row = await _product(session, product_id, principal)
            expert = await expert_for_write(session, row.expert_id, principal)
            for name in ("title", "description", "duration_minutes", "active"):
                if name in fields and getattr(body, name) is not None:
                    setattr(row, name, getattr(body, name))
            if "price" in fields and body.price is not None:
                _check_price(body.price)
                row.price_amount = body.price.amount
                row.price_currency = body.price.currency
            row.updated_at = self.backend.clock.now()
            self.backend.forget_homepage(session, expert.homepage.slug)
            return views.product(row)

    async def delete(self, context: Context, *, product_id: str) -> None:
        principal = caller(context)
        async with self.backend.transaction() as session:
            row = await _product(session, product_id, principal)
            expert = await expert_for_write(session, row.expert_id, principal)
            row.archived = True
            row.active = False
            row.updated_at = self.backend.clock.now()
            self.backend.forget_homepage(session, expert.homepage.slug)
