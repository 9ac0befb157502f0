"""What every service shares: the backend (database, cache, clock, tokens) and the access rules."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from platform_server import Context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from .. import problems, tables
from ..cache import Cache, CacheKeys
from ..clock import Clock
from ..db import Database
from ..security import Principal, Tokens
from ..settings import Settings

__all__ = [
    "EXPERT_LISTING",
    "Backend",
    "caller",
    "can_see_expert",
    "expert_for_read",
    "expert_for_write",
    "optional_caller",
]


_STALE = "stale_cache_keys"

# Loader options of a list of experts: the homepage (one per expert, for its slug) joined into the same
# statement, its sections not loaded (a listing never shows them; by default they follow the homepage).
# Each statement is several round trips to the database's thread with aiosqlite; a page is two statements.
EXPERT_LISTING = (joinedload(tables.Expert.homepage, innerjoin=True).raiseload(tables.Homepage.sections),)


@dataclass(frozen=True, slots=True)
class Backend:
    settings: Settings
    db: Database
    cache: Cache
    clock: Clock
    tokens: Tokens

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A database transaction; the cache keys it marked stale are deleted once it has committed.

        A unique constraint that a concurrent request won first (the same email, slug or review) is 409.
        """
        try:
            async with self.db.transaction() as session:
                yield session
                stale: set[str] = session.info.pop(_STALE, set())
        except IntegrityError:
            raise problems.conflict(
                "conflict", "Conflict", "A concurrent request changed the same data; read it again and retry."
            ) from None
        if stale:
            await self.cache.delete(*sorted(stale))

    @staticmethod
    def forget_homepage(session: AsyncSession, *slugs: str) -> None:
        """Mark the cached public homepages a write changes (dropped when the transaction commits)."""
        session.info.setdefault(_STALE, set()).update(CacheKeys.homepage(s) for s in slugs)


def optional_caller(context: Context) -> Principal | None:
    principal = context.principal
    return principal if isinstance(principal, Principal) else None


def caller(context: Context) -> Principal:
    principal = optional_caller(context)
    if principal is None:
        raise problems.unauthenticated("This operation requires a user access token.")
    return principal


def can_see_expert(row: tables.Expert, principal: Principal | None) -> bool:
    """Verified profiles are public; the others are visible to their owner and admins."""
    if row.verification_status == "verified":
        return True
    return principal is not None and (principal.is_admin or principal.is_expert(row.id))


async def expert_for_read(session: AsyncSession, expert_id: str, principal: Principal | None) -> tables.Expert:
    row = await session.get(tables.Expert, expert_id)
    if row is None or not can_see_expert(row, principal):
        raise problems.not_found(f"No expert {expert_id}.")
    return row


async def expert_for_write(
    session: AsyncSession, expert_id: str, principal: Principal, *, admin: bool = True, lock: bool = False
) -> tables.Expert:
    """The expert profile `principal` may change: its own, or any when `admin` allows admins (else 403)."""
    statement = select(tables.Expert).where(tables.Expert.id == expert_id)
    if lock:
        statement = statement.with_for_update()
    row = (await session.execute(statement)).scalar_one_or_none()
    if row is None or not can_see_expert(row, principal):
        raise problems.not_found(f"No expert {expert_id}.")
    if principal.is_expert(row.id) or (admin and principal.is_admin):
        return row
    raise problems.forbidden("Only the expert who owns this profile may do this.")
