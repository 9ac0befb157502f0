"""Fixtures of the reference server tests: a database per test (SQLite, and PostgreSQL when
SDKGEN_TEST_PG_URL is set), the server built on it with a settable clock, and SDK clients for it."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from marketplace.accounts import ensure_admin
from marketplace.app import Server, build
from reference_support import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PASSWORD_COST,
    PG_MISSING,
    PG_URL,
    Clients,
    SettableClock,
    migrate_to_head,
    postgres_database,
    settings_for,
)
from sqlalchemy.engine import make_url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session; each test gets a copy (migrations have tests of their own)."""
    path = tmp_path_factory.mktemp("template") / "marketplace.db"
    asyncio.run(migrate_to_head(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """The name of a PostgreSQL database migrated to head once per session, copied for each test."""
    with postgres_database() as url:
        asyncio.run(migrate_to_head(url))
        yield str(make_url(url).database)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database at the latest migration for one test: SQLite; PostgreSQL (skipped without SDKGEN_TEST_PG_URL)."""
    if request.param == "sqlite":
        path = tmp_path / "marketplace.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    if not PG_URL:
        pytest.skip(PG_MISSING)
    with postgres_database(template=request.getfixturevalue("postgres_template")) as url:
        yield url


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest_asyncio.fixture
async def server(database_url: str, clock: SettableClock) -> AsyncIterator[Server]:
    """The server on a fresh database, started in this test's event loop, with an admin account."""
    instance = build(settings_for(database_url), clock=clock)
    await instance.start()
    await ensure_admin(
        instance.backend.db, clock, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, password_cost=PASSWORD_COST
    )
    try:
        yield instance
    finally:
        await instance.stop()


@pytest_asyncio.fixture
async def http(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    """Plain HTTP to the in-process server (httpx's ASGI transport; base URL ends in /v1)."""
    transport = httpx.ASGITransport(app=server.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver/v1") as client:
        yield client


@pytest.fixture
def clients(http: httpx.AsyncClient) -> Clients:
    return Clients("http://testserver/v1", http)
