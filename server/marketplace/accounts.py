"""Accounts the API cannot create: admins (CLI or ADMIN_EMAIL/ADMIN_PASSWORD at start-up) and partner keys."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from .clock import Clock
from .db import Database
from .ids import new_id
from .security import SCRYPT_N, hash_password, hash_secret
from .tables import PartnerKey, User

__all__ = ["create_partner_key", "ensure_admin"]


async def ensure_admin(
    db: Database, clock: Clock, *, email: str, password: str, name: str = "Admin", password_cost: int = SCRYPT_N
) -> str:
    """The id of the admin account `email`: created when missing, given the admin role when it lacks it."""
    email = email.strip().lower()
    async with db.transaction() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one_or_none()
        now = clock.now()
        if user is None:
            user = User(
                id=new_id("usr"),
                email=email,
                password_hash=hash_password(password, password_cost),
                name=name,
                phone=None,
                roles=["user", "admin"],
                marketing_opt_in=False,
                created_at=now,
                updated_at=now,
            )
            session.add(user)
        elif "admin" not in user.roles:
            user.roles = [*user.roles, "admin"]
            user.updated_at = now
        return user.id


async def create_partner_key(db: Database, clock: Clock, name: str) -> str:
    """A new partner API key (`pk_...`); only its hash is stored, so this is the one time it is seen."""
    key = "pk_" + secrets.token_urlsafe(32)
    async with db.transaction() as session:
        session.add(PartnerKey(id=new_id("ptk"), name=name, key_hash=hash_secret(key), created_at=clock.now()))
    return key
