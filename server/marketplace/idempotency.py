"""Idempotency keys on unsafe requests (ASGI middleware), as the spec's `IdempotencyKey` parameter says.

The first response to an `Idempotency-Key` is stored for 24 hours, per caller (the user of the
bearer token, the partner key, or anonymous). A retry with the same key and the same request
(method, path, query, body) gets that response again with `Idempotent-Replayed: true`; the same key
with a different request is 422 `idempotency-key-reused`; a retry while the first request still
runs is 409 `idempotency-key-in-flight`. Server errors (5xx), 401 and 429 are not stored, so the
retry runs again.

The key is claimed (a row inserted under a unique constraint) before the request runs, so two
concurrent requests with one key never both run.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .clock import Clock
from .db import Database
from .problems import problem_type
from .routing import RouteTable
from .security import Tokens, hash_secret
from .tables import IdempotencyRecord

__all__ = ["IdempotencyMiddleware", "purge_expired"]

HEADER = b"idempotency-key"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_STORED = frozenset({401, 429})
_SKIPPED_HEADERS = frozenset({b"content-length", b"x-request-id", b"date", b"server"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def _problem(send: Send, status: int, kind: str, title: str, detail: str, **extra: Any) -> None:
    body = json.dumps(
        {"type": problem_type(kind), "title": title, "status": status, "detail": detail, **extra}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class IdempotencyMiddleware:
    def __init__(
        self, app: ASGIApp, *, db: Database, clock: Clock, tokens: Tokens, ttl: int, routes: RouteTable
    ) -> None:
        self.app = app
        self.routes = routes
        self.db = db
        self.clock = clock
        self.tokens = tokens
        self.ttl = datetime.timedelta(seconds=ttl)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, HEADER) if scope["type"] == "http" and scope["method"] in UNSAFE else None
        if key is None or not self.routes.names_operation(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= 255:
            await _problem(
                send,
                422,
                "validation-failed",
                "Validation failed",
                "Idempotency-Key must be 1 to 255 characters long.",
                errors=[{"field": "Idempotency-Key", "message": "must be 1 to 255 characters long"}],
            )
            return
        body, receive = await _buffer(receive)
        scope_name = self._caller(scope)
        fingerprint = hashlib.sha256(
            b"\n".join([scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body])
        ).hexdigest()
        record = await self._claim(scope_name, key, fingerprint)
        if record is not None:
            await self._answer_retry(send, record, fingerprint)
            return
        await self._run(scope, receive, send, scope_name, key)

    def _caller(self, scope: Scope) -> str:
        authorization = _header(scope, b"authorization") or ""
        kind, _, token = authorization.partition(" ")
        if kind.lower() == "bearer" and token.strip():
            subject = self.tokens.subject_or_none(token.strip())
            if subject is not None:
                return subject
        partner_key = _header(scope, b"x-partner-key")
        if partner_key:
            return "partner:" + hash_secret(partner_key)[:32]
        return "anonymous"

    async def _claim(self, scope_name: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
        """Claim the key for this request (None), or the record of an earlier request with it."""
        for _ in range(2):
            now = self.clock.now()
            try:
                async with self.db.transaction() as session:
                    session.add(
                        IdempotencyRecord(
                            scope=scope_name,
                            key=key,
                            fingerprint=fingerprint,
                            created_at=now,
                            expires_at=now + self.ttl,
                        )
                    )
                return None
            except IntegrityError:
                pass
            async with self.db.transaction() as session:
                existing = (
                    await session.execute(
                        select(IdempotencyRecord).where(
                            IdempotencyRecord.scope == scope_name, IdempotencyRecord.key == key
                        )
                    )
                ).scalar_one_or_none()
                if existing is not None and existing.expires_at > now:
                    return existing
                if existing is not None:
                    await session.delete(existing)
        raise RuntimeError("could not claim an idempotency key")  # only under a burst of expiring retries

    async def _answer_retry(self, send: Send, record: IdempotencyRecord, fingerprint: str) -> None:
        if record.fingerprint != fingerprint:
            await _problem(
                send,
                422,
                "idempotency-key-reused",
                "Idempotency key reused",
                "This Idempotency-Key was used with a different request.",
            )
            return
        if record.status_code is None:
            await _problem(
                send,
                409,
                "idempotency-key-in-flight",
                "Idempotent request in flight",
                "A request with this Idempotency-Key is still being processed.",
            )
            return
        body = record.body or b""
        headers = [(str(k).encode("latin-1"), str(v).encode("latin-1")) for k, v in record.headers or []]
        headers += [(b"idempotent-replayed", b"true"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": record.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _run(self, scope: Scope, receive: Receive, send: Send, scope_name: str, key: str) -> None:
        status = 500
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        where = (IdempotencyRecord.scope == scope_name) & (IdempotencyRecord.key == key)
        try:
            await self.app(scope, receive, capture)
        except BaseException:
            async with self.db.transaction() as session:
                await session.execute(delete(IdempotencyRecord).where(where))
            raise
        async with self.db.transaction() as session:
            if status >= 500 or status in NOT_STORED:
                await session.execute(delete(IdempotencyRecord).where(where))
                return
            kept = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in headers if k.lower() not in _SKIPPED_HEADERS]
            await session.execute(
                update(IdempotencyRecord).where(where).values(status_code=status, headers=kept, body=b"".join(chunks))
            )


async def purge_expired(db: Database, clock: Clock) -> int:
    """Delete the records past their 24 hours (the server does at start-up); how many there were."""
    async with db.transaction() as session:
        result = await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= clock.now()))
    return int(getattr(result, "rowcount", 0) or 0)


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole request body, and a `receive` that hands it to the app again."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
