"""Authentication: password hashes, JWT access tokens, rotating refresh tokens, partner API keys, roles.

`Authenticator` is what `create_app(authenticate=...)` calls with the credentials an operation's
security names: a bearer JWT becomes a `Principal` (the account, read fresh from the database, so
role changes apply at once), an `X-Partner-Key` a `Partner`, a webhook's `X-Signature` a
`WebhookSignature` (the webhook service checks it: the secret depends on the sender). It enforces the
operation's `x-roles`; ownership (only the expert of a consultation may accept it, ...) is the services' business.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jwt
from platform_server import AuthRequest, ProblemError
from sqlalchemy import select

from . import problems
from .clock import Clock
from .db import Database
from .tables import Expert, PartnerKey, User

__all__ = [
    "ISSUER",
    "SCRYPT_N",
    "Authenticator",
    "Partner",
    "Principal",
    "Tokens",
    "WebhookSignature",
    "hash_password",
    "hash_secret",
    "verify_password",
]

ISSUER = "platform"
CLOCK_LEEWAY = 60  # seconds a token's `iat` may be ahead of the server's clock
SCRYPT_N = 2**14  # scrypt's CPU/memory cost; the hash records it, so changing it keeps old hashes valid
_SCRYPT_R, _SCRYPT_P = 8, 1


def hash_password(password: str, cost: int = SCRYPT_N) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=cost, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${cost}${_SCRYPT_R}${_SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))


def hash_secret(value: str) -> str:
    """SHA-256 of a high-entropy secret (refresh token, partner key): what the database keeps."""
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Principal:
    """The account a request acts for."""

    user_id: str
    roles: frozenset[str]
    expert_id: str | None
    name: str

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def is_expert(self, expert_id: str) -> bool:
        return self.expert_id is not None and self.expert_id == expert_id


@dataclass(frozen=True, slots=True)
class Partner:
    """An internal service or partner calling with an `X-Partner-Key`."""

    key_id: str
    name: str


@dataclass(frozen=True, slots=True)
class WebhookSignature:
    """The `X-Signature` of a third-party callback, still to be verified against the sender's secret."""

    value: str


class Tokens:
    """JWT access tokens (HS256) whose expiry is judged by the server's clock."""

    def __init__(self, secret: str, ttl: int, clock: Clock) -> None:
        self.secret = secret
        self.ttl = ttl
        self.clock = clock

    def issue(self, user_id: str, roles: Iterable[str], expert_id: str | None) -> str:
        now = int(self.clock.now().timestamp())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "sub": user_id,
            "roles": sorted(roles),
            "expert_id": expert_id,
            "iat": now,
            "exp": now + self.ttl,
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def subject(self, token: str) -> str:
        """The user id of a valid, unexpired token; 401 otherwise."""
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                issuer=ISSUER,
                # Times are judged by the server's clock, not the machine's: see below.
                options={"verify_exp": False, "verify_iat": False, "require": ["sub", "exp", "iat", "iss"]},
            )
        except jwt.InvalidTokenError:
            raise problems.unauthenticated("The access token is invalid.") from None
        now = self.clock.now().timestamp()
        exp, iat = claims.get("exp"), claims.get("iat")
        if not isinstance(iat, int) or iat > now + CLOCK_LEEWAY:
            raise problems.unauthenticated("The access token is invalid.")
        if not isinstance(exp, int) or exp <= now:
            raise problems.unauthenticated("The access token has expired.")
        subject = claims.get("sub")
        if not isinstance(subject, str):
            raise problems.unauthenticated("The access token is invalid.")
        return subject

    def subject_or_none(self, token: str) -> str | None:
        try:
            return self.subject(token)
        except ProblemError:
            return None


class Authenticator:
    """Judges the credentials of a request (see the module docstring)."""

    def __init__(self, db: Database, tokens: Tokens) -> None:
        self.db = db
        self.tokens = tokens

    async def __call__(self, auth: AuthRequest) -> Principal | Partner | WebhookSignature:
        credentials = auth.credentials
        principal: Principal | Partner
        if credentials.scheme == "webhookSignature":
            return WebhookSignature(credentials.value)
        if credentials.scheme == "bearerAuth":
            principal = await self.principal(credentials.value)
        elif credentials.scheme == "partnerApiKey":
            principal = await self.partner(credentials.value)
        else:
            raise problems.unauthenticated(f"The {credentials.scheme} credentials are not accepted by this server.")
        roles = auth.extensions.get("x-roles")
        if isinstance(roles, list) and isinstance(principal, Principal) and principal.roles.isdisjoint(roles):
            raise problems.forbidden(f"This operation requires one of the roles {', '.join(map(str, roles))}.")
        return principal

    async def principal(self, token: str) -> Principal:
        user_id = self.tokens.subject(token)
        async with self.db.sessions() as session:
            row = (
                await session.execute(select(User.id, User.roles, User.name).where(User.id == user_id))
            ).one_or_none()
            if row is None:
                raise problems.unauthenticated("The account of this access token no longer exists.")
            expert_id = (await session.execute(select(Expert.id).where(Expert.user_id == user_id))).scalar()
        return Principal(row.id, frozenset(row.roles), expert_id, row.name)

    async def partner(self, key: str) -> Partner:
        async with self.db.sessions() as session:
            row = (
                await session.execute(select(PartnerKey).where(PartnerKey.key_hash == hash_secret(key)))
            ).scalar_one_or_none()
        if row is None or row.revoked_at is not None:
            raise problems.unauthenticated("The partner key is not valid.")
        return Partner(row.id, row.name)
