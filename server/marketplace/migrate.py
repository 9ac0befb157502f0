"""Alembic from code: `upgrade` / `downgrade` a database (the server upgrades at start-up by default)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["alembic_config", "downgrade", "upgrade"]


def alembic_config(url: str | None = None) -> Config:
    """The migrations of this package, for `url` (else DATABASE_URL); no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", "marketplace:migrations")
    if url is not None:
        config.attributes["url"] = url
    return config


def _run(connection: Connection, revision: str, up: bool) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    if up:
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, revision, True)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, revision, False)
