"""Settings from the environment: database, cache, tokens, bootstrap admin, where to listen, vendors."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["DEFAULT_DATABASE_URL", "Settings", "async_database_url"]

logger = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./marketplace.db"


def async_database_url(url: str) -> str:
    """The SQLAlchemy async URL for `url`: `postgresql://` → asyncpg, `sqlite://` → aiosqlite."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class Settings:
    """How one server instance runs. `Settings.from_env()` reads them from the environment."""

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None  # None: the in-process cache
    cache_prefix: str = "marketplace"
    jwt_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    access_token_ttl: int = 3600  # seconds
    refresh_token_ttl: int = 30 * 24 * 3600
    auto_migrate: bool = True  # run `alembic upgrade head` at start-up
    admin_email: str | None = None  # bootstrap: an admin account created at start-up when missing
    admin_password: str | None = field(default=None, repr=False)
    homepage_cache_ttl: int = 30  # seconds a public homepage stays cached (writes invalidate it at once)
    idempotency_ttl: int = 24 * 3600
    password_cost: int = 2**14  # scrypt N of new password hashes (a power of two)
    host: str = "127.0.0.1"
    port: int = 8000
    # the consultation vendors (phone/video sessions, through the `consultation` wrapper); a vendor
    # without credentials is not called (its sessions stay `pending`), one without a webhook secret
    # has its webhooks refused (401)
    vidiconnect_base_url: str | None = None  # None: the SDK's default
    vidiconnect_api_key: str | None = field(default=None, repr=False)
    vidiconnect_webhook_secret: str | None = field(default=None, repr=False)
    callbridge_base_url: str | None = None
    callbridge_account_sid: str | None = None
    callbridge_auth_token: str | None = field(default=None, repr=False)
    callbridge_webhook_secret: str | None = field(default=None, repr=False)
    webhook_tolerance: int = 300  # seconds a webhook's X-Signature-Timestamp may be off the clock

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        secret = env.get("JWT_SECRET")
        if not secret:
            logger.warning("JWT_SECRET is not set: using a random secret (tokens die with the process)")
            secret = secrets.token_urlsafe(32)
        return cls(
            database_url=async_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
            redis_url=env.get("REDIS_URL") or None,
            cache_prefix=env.get("CACHE_PREFIX") or "marketplace",
            jwt_secret=secret,
            access_token_ttl=int(env.get("ACCESS_TOKEN_TTL") or 3600),
            refresh_token_ttl=int(env.get("REFRESH_TOKEN_TTL") or 30 * 24 * 3600),
            auto_migrate=_flag(env.get("AUTO_MIGRATE"), True),
            admin_email=env.get("ADMIN_EMAIL") or None,
            admin_password=env.get("ADMIN_PASSWORD") or None,
            homepage_cache_ttl=int(env.get("HOMEPAGE_CACHE_TTL") or 30),
            password_cost=int(env.get("PASSWORD_COST") or 2**14),
            host=env.get("HOST") or "127.0.0.1",
            port=int(env.get("PORT") or 8000),
            vidiconnect_base_url=env.get("VIDICONNECT_BASE_URL") or None,
            vidiconnect_api_key=env.get("VIDICONNECT_API_KEY") or None,
            vidiconnect_webhook_secret=env.get("VIDICONNECT_WEBHOOK_SECRET") or None,
            callbridge_base_url=env.get("CALLBRIDGE_BASE_URL") or None,
            callbridge_account_sid=env.get("CALLBRIDGE_ACCOUNT_SID") or None,
            callbridge_auth_token=env.get("CALLBRIDGE_AUTH_TOKEN") or None,
            callbridge_webhook_secret=env.get("CALLBRIDGE_WEBHOOK_SECRET") or None,
            webhook_tolerance=int(env.get("WEBHOOK_TOLERANCE") or 300),
        )
