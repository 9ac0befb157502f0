"""The ASGI application: the generated stub with our services, under `/v1` as the spec's servers say.

    uvicorn marketplace.app:app --host 127.0.0.1      # settings from the environment
    python -m marketplace                             # the same, on 127.0.0.1:8000

`build()` gives the pieces (for tests and the CLI); `create_app()` just the ASGI callable.
Middleware, outermost first: request ids and problem details → idempotency keys → comma-separated
query arrays → the routes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import platform_server
from fastapi import FastAPI
from platform_server import ProblemError
from platform_server._runtime._routing import OperationRoute, UnimplementedRoute
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import ASGIApp

from . import migrate
from .accounts import ensure_admin
from .cache import open_cache
from .clock import Clock, SystemClock
from .db import Database
from .idempotency import IdempotencyMiddleware, purge_expired
from .problems import problem_type
from .query_styles import UnexplodedQueryMiddleware
from .request_ids import RequestIdMiddleware
from .routing import RouteTable, install_http_error_handler
from .security import Authenticator, Tokens
from .services import (
    AdminService,
    AuthService,
    Backend,
    ConsultationProductsService,
    ConsultationsService,
    ExpertsService,
    HomepagesService,
    WebhooksService,
)
from .settings import Settings
from .validation import install_validation_handler
from .vendors import Vendors

__all__ = ["BASE_PATH", "Server", "build", "create_app"]

BASE_PATH = "/v1"


@dataclass(slots=True)
class Server:
    """One server instance: its ASGI app and what the app runs on."""

    app: ASGIApp
    backend: Backend
    api: FastAPI  # the generated stub's application, mounted at BASE_PATH

    async def start(self) -> None:
        """Bring the database to the latest migration (unless AUTO_MIGRATE=0), drop expired idempotency
        records, and bootstrap the admin (ADMIN_EMAIL / ADMIN_PASSWORD)."""
        settings = self.backend.settings
        if settings.auto_migrate:
            await migrate.upgrade(self.backend.db.engine)
        await purge_expired(self.backend.db, self.backend.clock)
        if settings.admin_email and settings.admin_password:
            await ensure_admin(
                self.backend.db,
                self.backend.clock,
                email=settings.admin_email,
                password=settings.admin_password,
                password_cost=settings.password_cost,
            )

    def implemented_operations(self) -> list[str]:
        """The operation ids this server implements (the others answer 501)."""
        return sorted(
            route.operation.operation_id
            for route in self.api.routes
            if isinstance(route, OperationRoute) and not isinstance(route, UnimplementedRoute)
        )

    async def stop(self) -> None:
        await self.backend.cache.close()
        await self.backend.db.dispose()


async def _outside_api(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    kind = {404: "not-found", 405: "method-not-allowed"}.get(status, "about:blank")
    error = ProblemError(
        status,
        detail=f"The API is served under {BASE_PATH}." if status == 404 else None,
        type=problem_type(kind) if kind != "about:blank" else kind,
    )
    return error.response(request)


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> Server:
    settings = settings or Settings.from_env()
    clock = clock or SystemClock()
    db = Database(settings.database_url)
    tokens = Tokens(settings.jwt_secret, settings.access_token_ttl, clock)
    backend = Backend(settings, db, open_cache(settings.redis_url, settings.cache_prefix), clock, tokens)
    consultations = ConsultationsService(backend, Vendors(settings))
    api = platform_server.create_app(
        auth=AuthService(backend),
        experts=ExpertsService(backend),
        homepages=HomepagesService(backend),
        consultation_products=ConsultationProductsService(backend),
        consultations=consultations,
        admin=AdminService(backend),
        webhooks=WebhooksService(backend, consultations),
        authenticate=Authenticator(db, tokens),
    )
    install_validation_handler(api)
    routes = RouteTable(api, BASE_PATH)
    install_http_error_handler(api, routes)
    server: Server

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await server.start()
        try:
            yield
        finally:
            await server.stop()

    root = Starlette(
        routes=[Mount(BASE_PATH, app=api)],
        exception_handlers={404: _outside_api, 405: _outside_api},
        lifespan=lifespan,
    )
    app = RequestIdMiddleware(
        IdempotencyMiddleware(
            UnexplodedQueryMiddleware(root),
            db=db,
            clock=clock,
            tokens=tokens,
            ttl=settings.idempotency_ttl,
            routes=routes,
        )
    )
    server = Server(app, backend, api)
    return server


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> ASGIApp:
    return build(settings, clock=clock).app


def __getattr__(name: str) -> Any:
    """`marketplace.app:app` for uvicorn: built on first access, with the settings of the environment."""
    if name == "app":
        return create_app()
    raise AttributeError(name)
