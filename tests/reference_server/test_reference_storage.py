"""Storage and settings: Alembic migrations on SQLite and PostgreSQL, the caches, partner keys, the CLI."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from marketplace import migrate
from marketplace.accounts import create_partner_key, ensure_admin
from marketplace.app import build
from marketplace.cache import MemoryCache, RedisCache
from marketplace.db import Database
from marketplace.security import Authenticator, Partner, Tokens
from marketplace.settings import DEFAULT_DATABASE_URL, Settings, async_database_url
from marketplace.tables import Base, User
from platform_server import AuthRequest, Credentials, ProblemError
from redis.asyncio import Redis
from reference_support import (
    PG_MISSING,
    PG_URL,
    REDIS_MISSING,
    REDIS_URL,
    SettableClock,
    postgres_database,
    settings_for,
)
from sqlalchemy import Connection, inspect, select, text

SERVER_DIR = Path(__file__).resolve().parents[2] / "server"
TABLES = {
    "users",
    "refresh_tokens",
    "partner_keys",
    "experts",
    "licenses",
    "homepages",
    "homepage_sections",
    "consultation_products",
    "consultation_sessions",
    "consultations",
    "consultation_status_changes",
    "consultation_messages",
    "reviews",
    "idempotency_records",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/empty.db"
        return
    with postgres_database() as url:
        yield url


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


@pytest.mark.asyncio
async def test_migrations_create_the_models_schema_and_downgrade_to_nothing(empty_database: str) -> None:
    database = Database(empty_database)
    try:
        await migrate.upgrade(database.engine)
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_tables) == TABLES
            assert await connection.run_sync(_differences) == []  # the migration matches tables.py
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        assert version == "0002"
        await migrate.downgrade(database.engine)
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_tables) == set()
        await migrate.upgrade(database.engine)  # and up again
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_tables) == TABLES
    finally:
        await database.dispose()


def _alembic(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    alembic = Path(sys.executable).with_name("alembic")
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([str(alembic), *args], cwd=SERVER_DIR, env=env, capture_output=True, text=True, timeout=120)


def test_the_alembic_command_round_trips_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"  # a plain URL: the server picks the async driver itself
    upgraded = _alembic("upgrade", "head", database_url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "0002 (head)" in _alembic("current", database_url=url).stdout
    downgraded = _alembic("downgrade", "base", database_url=url)
    assert downgraded.returncode == 0, downgraded.stderr
    assert "0001" not in _alembic("current", database_url=url).stdout


def test_the_alembic_command_round_trips_on_postgresql() -> None:
    if not PG_URL:
        pytest.skip(PG_MISSING)
    with postgres_database() as url:
        assert _alembic("upgrade", "head", database_url=url).returncode == 0
        assert "0002 (head)" in _alembic("current", database_url=url).stdout
        assert _alembic("downgrade", "base", database_url=url).returncode == 0
        assert "0001" not in _alembic("current", database_url=url).stdout


# ------------------------------------------------------------------------------------ caches


@pytest.fixture(params=["memory", "redis"])
def cache(request: pytest.FixtureRequest) -> Any:
    prefix = f"sdkgen-test-{secrets.token_hex(4)}:"
    if request.param == "memory":
        return MemoryCache(prefix)
    if not REDIS_URL:
        pytest.skip(REDIS_MISSING)
    return RedisCache(REDIS_URL, prefix)


@pytest.mark.asyncio
async def test_the_cache_stores_expires_and_forgets(cache: Any) -> None:
    try:
        assert await cache.get("a") is None
        await cache.set("a", b"one", ttl=60)
        await cache.set("b", b"two", ttl=60)
        assert (await cache.get("a"), await cache.get("b")) == (b"one", b"two")
        await cache.delete("a", "missing")
        assert (await cache.get("a"), await cache.get("b")) == (None, b"two")
        await cache.set("short", b"x", ttl=1)
        await asyncio.sleep(1.2)
        assert await cache.get("short") is None
        await cache.delete("b")
    finally:
        await cache.close()


@pytest.mark.asyncio
async def test_the_server_runs_on_redis_when_redis_url_is_set(sqlite_template: Path, tmp_path: Path) -> None:
    if not REDIS_URL:
        pytest.skip(REDIS_MISSING)
    shutil.copy(sqlite_template, tmp_path / "m.db")
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path}/m.db", redis_url=REDIS_URL)
    server = build(settings, clock=SettableClock())
    await server.start()
    redis = Redis.from_url(REDIS_URL)
    try:
        assert isinstance(server.backend.cache, RedisCache)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app), base_url="http://t/v1") as http:
            assert (await http.get("/homepages/no-such-page")).status_code == 404
        await server.backend.cache.set("probe", b"1", ttl=30)
        assert await redis.get(f"{settings.cache_prefix}:probe") == b"1"
    finally:
        await redis.delete(f"{settings.cache_prefix}:probe")
        await redis.aclose()
        await server.stop()


# ------------------------------------------------------------------------------------ accounts and keys


class _Request:
    """What `AuthRequest.request` needs to offer the authenticator: a `state`."""

    def __init__(self) -> None:
        self.state = type("State", (), {})()


@pytest.mark.asyncio
async def test_partner_keys_authenticate_and_unknown_keys_do_not(sqlite_template: Path, tmp_path: Path) -> None:
    shutil.copy(sqlite_template, tmp_path / "keys.db")
    clock = SettableClock()
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/keys.db")
    authenticate = Authenticator(database, Tokens("secret" * 6, 3600, clock))
    try:
        key = await create_partner_key(database, clock, "messaging-sdk")
        operation = {"operation_id": "sendMessage", "extensions": {}}
        request: Any = _Request()
        principal = await authenticate(AuthRequest(Credentials("partnerApiKey", "apiKey", key), request, **operation))
        assert isinstance(principal, Partner)
        assert principal.name == "messaging-sdk"
        with pytest.raises(ProblemError) as refused:
            await authenticate(AuthRequest(Credentials("partnerApiKey", "apiKey", key + "x"), request, **operation))
        assert refused.value.status == 401
    finally:
        await database.dispose()


def test_the_cli_creates_an_admin_who_can_sign_in(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/cli.db", "ADMIN_PASSWORD": "from-the-environment"}
    created = subprocess.run(
        [sys.executable, "-m", "marketplace", "create-admin", "--email", "Ops@Platform.example"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("admin Ops@Platform.example: usr_")

    async def roles() -> list[str]:
        database = Database(f"sqlite+aiosqlite:///{tmp_path}/cli.db")
        try:
            async with database.sessions() as session:
                user = (await session.execute(select(User).where(User.email == "ops@platform.example"))).scalar_one()
                return sorted(user.roles)
        finally:
            await database.dispose()

    assert asyncio.run(roles()) == ["admin", "user"]


@pytest.mark.asyncio
async def test_ensure_admin_is_idempotent_and_ignores_the_email_case(sqlite_template: Path, tmp_path: Path) -> None:
    shutil.copy(sqlite_template, tmp_path / "promote.db")
    clock = SettableClock()
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/promote.db")
    try:
        first = await ensure_admin(database, clock, email="boss@example.com", password="pw-1234567890")
        again = await ensure_admin(database, clock, email="BOSS@example.com", password="ignored-password")
        assert first == again
    finally:
        await database.dispose()


def test_settings_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "JWT_SECRET": "s3cret",
            "AUTO_MIGRATE": "0",
            "PORT": "9000",
        }
    )
    assert settings.database_url == "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    assert (settings.redis_url, settings.jwt_secret, settings.auto_migrate, settings.port) == (
        "redis://127.0.0.1:6379/0",
        "s3cret",
        False,
        9000,
    )
    defaults = Settings.from_env({})
    assert (defaults.database_url, defaults.redis_url, defaults.host) == (DEFAULT_DATABASE_URL, None, "127.0.0.1")
    assert async_database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
