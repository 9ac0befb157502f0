"""Admin: the expert verification queue and its decisions. The other admin operations answer 501 for now."""

from __future__ import annotations

from platform_server import AdminServiceBase, Context
from platform_server import models as api
from sqlalchemy import func, select

from .. import problems, tables, views
from ..pagination import SortKey, paginate
from ._base import EXPERT_LISTING, Backend, caller

__all__ = ["AdminService"]


class AdminService(AdminServiceBase):
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def list_experts(
        self,
        context: Context,
        *,
        verification_status: api.VerificationStatus | None = None,
        category: api.ExpertCategory | None = None,
        submitted_only: bool = True,
        cursor: str | None = None,
        limit: int = 20,
    ) -> api.ExpertPage:
        caller(context)
        e = tables.Expert
        status = verification_status or api.VerificationStatus.PENDING
        statement = select(e).options(*EXPERT_LISTING).where(e.verification_status == status.value)
        if category is not None:
            statement = statement.where(e.category == category.value)
        if submitted_only:
            statement = statement.where(e.verification_submitted_at.is_not(None))
        # Oldest submission first (drafts never submitted, when listed, by creation).
        keys = [
            SortKey(func.coalesce(e.verification_submitted_at, e.created_at), False, "datetime"),
            SortKey(e.id, False),
        ]
        async with self.backend.transaction() as session:
            page = await paginate(
                session, statement, list_name=f"admin-experts:{status.value}", keys=keys, cursor=cursor, limit=limit
            )
            return api.ExpertPage(
                data=[views.expert(row, private=True) for row in page.items],
                next_cursor=page.next_cursor,
                has_more=page.has_more,
            )

    async def approve_expert(
        self, context: Context, *, expert_id: str, body: api.ExpertApproval | None = None
    ) -> api.Expert:
        caller(context)
        async with self.backend.transaction() as session:
            expert = await session.get(tables.Expert, expert_id, with_for_update=True)
            if expert is None:
                raise problems.not_found(f"No expert {expert_id}.")
            if expert.verification_status != "pending" or expert.verification_submitted_at is None:
                raise problems.conflict(
                    "not-awaiting-review",
                    "Not awaiting review",
                    f"The profile is {expert.verification_status} and was "
                    + ("submitted." if expert.verification_submitted_at else "never submitted."),
                )
            now = self.backend.clock.now()
            expert.verification_status = "verified"
            expert.verified_at = now
            expert.rejection_reason = None
            if body is not None and body.note:
                expert.verification_note = body.note
            for lic in expert.licenses:
                if lic.verification_status == "pending":
                    lic.verification_status = "verified"
            expert.updated_at = now
            self.backend.forget_homepage(session, expert.homepage.slug)
            return views.expert(expert, private=True)

    async def reject_expert(self, context: Context, *, expert_id: str, body: api.ExpertRejection) -> api.Expert:
        caller(context)
        async with self.backend.transaction() as session:
            expert = await session.get(tables.Expert, expert_id, with_for_update=True)
            if expert is None:
                raise problems.not_found(f"No expert {expert_id}.")
            if expert.verification_status != "pending":
                raise problems.conflict(
                    "not-awaiting-review", "Not awaiting review", f"The profile is {expert.verification_status}."
                )
            now = self.backend.clock.now()
            expert.verification_status = "rejected"
            expert.rejection_reason = body.reason
            expert.verified_at = None
            for lic in expert.licenses:
                if lic.verification_status == "pending":
                    lic.verification_status = "rejected"
            expert.updated_at = now
            self.backend.forget_homepage(session, expert.homepage.slug)
            return views.expert(expert, private=True)
