"""Auth: sign up (as a user or an expert), sign in, refresh, and the current account."""

from __future__ import annotations

import datetime
import re
import secrets

from platform_server import AuthServiceBase, Context
from platform_server import models as api
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import problems, tables, views
from ..ids import new_id
from ..security import hash_password, hash_secret, verify_password
from ._base import Backend, caller
from .experts import create_profile

__all__ = ["AuthService", "create_account"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_DUMMY_HASH = hash_password(secrets.token_hex(8))  # compared against when the email is unknown (same timing)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise problems.validation_failed("email", "is not an email address")
    return email


async def create_account(
    session: AsyncSession,
    backend: Backend,
    *,
    email: str,
    password: str,
    name: str,
    roles: list[str],
    phone: str | None = None,
    marketing_opt_in: bool = False,
) -> tables.User:
    """A new account (admins are created this way too, by `python -m marketplace create-admin`)."""
    email = normalise_email(email)
    if (await session.execute(select(tables.User.id).where(tables.User.email == email))).first() is not None:
        raise problems.conflict("email-taken", "Email already registered", f"An account with {email} exists.")
    now = backend.clock.now()
    user = tables.User(
        id=new_id("usr"),
        email=email,
        password_hash=hash_password(password, backend.settings.password_cost),
        name=name,
        phone=phone,
        roles=roles,
        marketing_opt_in=marketing_opt_in,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    await session.flush()
    return user


class AuthService(AuthServiceBase):
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def _session(self, session: AsyncSession, user: tables.User, expert_id: str | None) -> api.AuthSession:
        settings = self.backend.settings
        refresh = "rt_" + secrets.token_hex(16)
        session.add(
            tables.RefreshToken(
                token_hash=hash_secret(refresh),
                user_id=user.id,
                expires_at=self.backend.clock.now() + datetime.timedelta(seconds=settings.refresh_token_ttl),
                used_at=None,
            )
        )
        return api.AuthSession(
            access_token=self.backend.tokens.issue(user.id, user.roles, expert_id),
            token_type="Bearer",
            expires_in=settings.access_token_ttl,
            refresh_token=refresh,
            user=views.user(user, expert_id),
        )

    async def sign_up(self, context: Context, *, body: api.SignUpRequest) -> api.AuthSession:
        expert_sign_up = isinstance(body, api.ExpertSignUp)
        async with self.backend.transaction() as session:
            user = await create_account(
                session,
                self.backend,
                email=body.email,
                password=body.password,
                name=body.name,
                roles=["user", "expert"] if expert_sign_up else ["user"],
                phone=body.phone,
                marketing_opt_in=bool(body.marketing_opt_in),
            )
            expert_id = None
            if isinstance(body, api.ExpertSignUp):
                profile = await create_profile(
                    session,
                    self.backend,
                    user,
                    display_name=body.display_name,
                    category=body.category.value,
                    headline=body.headline or "",
                )
                expert_id = profile.id
            return await self._session(session, user, expert_id)

    async def sign_in(self, context: Context, *, body: api.SignInRequest) -> api.AuthSession:
        email = body.email.strip().lower()
        async with self.backend.transaction() as session:
            user = (await session.execute(select(tables.User).where(tables.User.email == email))).scalar_one_or_none()
            if not verify_password(body.password, user.password_hash if user else _DUMMY_HASH) or user is None:
                raise problems.unauthenticated("The email or the password is wrong.")
            return await self._session(session, user, await self._expert_id(session, user.id))

    async def refresh_token(self, context: Context, *, body: api.RefreshTokenRequest) -> api.AuthSession:
        now = self.backend.clock.now()
        async with self.backend.transaction() as session:
            token = (
                await session.execute(
                    select(tables.RefreshToken)
                    .where(tables.RefreshToken.token_hash == hash_secret(body.refresh_token))
                    .with_for_update()
                )
            ).scalar_one_or_none()
            if token is None or token.used_at is not None or token.expires_at <= now:
                raise problems.unauthenticated("The refresh token is invalid, used or expired.")
            token.used_at = now
            user = await session.get(tables.User, token.user_id)
            if user is None:
                raise problems.unauthenticated("The account of this refresh token no longer exists.")
            return await self._session(session, user, await self._expert_id(session, user.id))

    async def get_me(self, context: Context) -> api.User:
        principal = caller(context)
        async with self.backend.transaction() as session:
            user = await session.get(tables.User, principal.user_id)
            if user is None:
                raise problems.unauthenticated("The account of this access token no longer exists.")
            return views.user(user, principal.expert_id)

    async def update_me(self, context: Context, *, body: api.UserUpdate) -> api.User:
        principal = caller(context)
        async with self.backend.transaction() as session:
            user = await session.get(tables.User, principal.user_id)
            if user is None:
                raise problems.unauthenticated("The account of this access token no longer exists.")
            fields = body.model_fields_set
            if "name" in fields and body.name is not None:
                user.name = body.name
            if "phone" in fields:
                user.phone = body.phone
            if "marketing_opt_in" in fields and body.marketing_opt_in is not None:
                user.marketing_opt_in = body.marketing_opt_in
            user.updated_at = self.backend.clock.now()
            return views.user(user, principal.expert_id)

    @staticmethod
    async def _expert_id(session: AsyncSession, user_id: str) -> str | None:
        return (await session.execute(select(tables.Expert.id).where(tables.Expert.user_id == user_id))).scalar()
