"""`python -m marketplace`: serve the API, or run one of the operator commands.

    python -m marketplace                          serve on HOST:PORT (default 127.0.0.1:8000)
    python -m marketplace create-admin --email E   create an admin account (password from --password or ADMIN_PASSWORD)
    python -m marketplace create-partner-key NAME  print a new partner API key (X-Partner-Key)
    python -m marketplace migrate [REVISION]       alembic upgrade (default head); `migrate base` downgrades all

Settings come from the environment (DATABASE_URL, REDIS_URL, JWT_SECRET, ...; see README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from collections.abc import Sequence

from . import migrate
from .accounts import create_partner_key, ensure_admin
from .app import build
from .settings import Settings

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m marketplace", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="serve the API (the default)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    admin = commands.add_parser("create-admin", help="create an admin account, or make an account admin")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password")
    admin.add_argument("--name", default="Admin")
    partner = commands.add_parser("create-partner-key", help="print a new partner API key")
    partner.add_argument("name")
    migration = commands.add_parser("migrate", help="alembic upgrade to REVISION (head), or downgrade to base")
    migration.add_argument("revision", nargs="?", default="head")
    return parser


async def _with_database(settings: Settings, command: argparse.Namespace) -> None:
    server = build(settings)
    backend = server.backend
    try:
        if command.command == "migrate":
            if command.revision == "base":
                await migrate.downgrade(backend.db.engine)
            else:
                await migrate.upgrade(backend.db.engine, command.revision)
            return
        await server.start()
        if command.command == "create-admin":
            password = command.password or os.environ.get("ADMIN_PASSWORD") or getpass.getpass("Password: ")
            user_id = await ensure_admin(
                backend.db,
                backend.clock,
                email=command.email,
                password=password,
                name=command.name,
                password_cost=settings.password_cost,
            )
            print(f"admin {command.email}: {user_id}")
        elif command.command == "create-partner-key":
            print(await create_partner_key(backend.db, backend.clock, command.name))
    finally:
        await server.stop()


def main(argv: Sequence[str] | None = None) -> None:
    command = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    if command.command in (None, "serve"):
        import uvicorn

        host = getattr(command, "host", None) or settings.host
        port = getattr(command, "port", None) or settings.port
        uvicorn.run(build(settings).app, host=host, port=port, proxy_headers=False)
        return
    asyncio.run(_with_database(settings, command))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
