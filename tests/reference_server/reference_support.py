"""What the reference server tests share besides fixtures: settings, the settable clock, databases
(PostgreSQL ones made and dropped per test), SDK clients per actor, and uvicorn in a thread."""

from __future__ import annotations

import asyncio
import datetime
import os
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from marketplace import migrate
from marketplace.db import Database
from marketplace.settings import Settings
from platform_sdk import AsyncClient
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("SDKGEN_TEST_PG_URL")
REDIS_URL = os.environ.get("SDKGEN_TEST_REDIS_URL")
PG_MISSING = "SDKGEN_TEST_PG_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/test): PostgreSQL runs skipped"
REDIS_MISSING = "SDKGEN_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0): Redis runs skipped"

ADMIN_EMAIL = "admin@platform.example"
ADMIN_PASSWORD = "admin-password-1"
ACCESS_TOKEN_TTL = 60 * 24 * 3600  # tests move the clock by weeks; tokens outlive that
PASSWORD_COST = 2**10  # cheap scrypt: the tests sign up hundreds of accounts


class SettableClock:
    """The server's clock in tests: starts at the real time and moves only when told."""

    def __init__(self) -> None:
        self.current = datetime.datetime.now(datetime.UTC)

    def now(self) -> datetime.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += datetime.timedelta(**delta)


def settings_for(database_url: str, **overrides: Any) -> Settings:
    options: dict[str, Any] = {
        "database_url": database_url,
        "jwt_secret": secrets.token_urlsafe(32),
        "cache_prefix": "sdkgen-test-" + secrets.token_hex(4),
        "access_token_ttl": ACCESS_TOKEN_TTL,
        "password_cost": PASSWORD_COST,
    }
    options.update(overrides)
    return Settings(**options)


# ---------------------------------------------------------------------------------------- databases


def asyncpg_url(url: str, database: str | None = None) -> str:
    """`postgresql://...` as SQLAlchemy's asyncpg URL, optionally naming another database."""
    parsed = make_url(url).set(drivername="postgresql+asyncpg")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _pg_admin(sql: str) -> None:
    import asyncpg

    parsed = make_url(PG_URL or "")
    connection = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@contextmanager
def postgres_database(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (empty, or a copy of `template`), dropped afterwards: its asyncpg URL."""
    if not PG_URL:
        pytest.skip(PG_MISSING)
    name = "sdkgen_test_" + secrets.token_hex(6)
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    try:
        yield asyncpg_url(PG_URL, name)
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def migrate_to_head(url: str) -> None:
    database = Database(url)
    try:
        await migrate.upgrade(database.engine)
    finally:
        await database.dispose()


# ---------------------------------------------------------------------------------------- clients


class Clients:
    """SDK clients of one server, one per actor (each with its own bearer token), sharing one HTTP client."""

    def __init__(self, base_url: str, http: httpx.AsyncClient) -> None:
        self.base_url = base_url
        self.http = http

    def anonymous(self) -> AsyncClient:
        return AsyncClient(base_url=self.base_url, http_client=self.http, max_retries=0)

    def as_(self, token: str) -> AsyncClient:
        return AsyncClient(base_url=self.base_url, bearer_token=token, http_client=self.http, max_retries=0)

    async def admin(self) -> AsyncClient:
        session = await self.anonymous().auth.sign_in(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
        return self.as_(session.access_token)


# ---------------------------------------------------------------------------------------- a real uvicorn


@contextmanager
def running_uvicorn(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 and a free port, in a thread; yields the base URL (…/v1)."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uvicorn_server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uvicorn_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = datetime.datetime.now() + datetime.timedelta(seconds=30)
        while not uvicorn_server.started:
            if not thread.is_alive() or datetime.datetime.now() > deadline:
                raise RuntimeError("uvicorn did not start")
            threading.Event().wait(0.02)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=30)
        sock.close()
