"""Credentials as the spec's security schemes send them, extracted for the implementation (static runtime).

The server does not judge credentials itself: it finds the ones an operation's security
requirement names and hands them to the `authenticate` callable given to `create_app` (e.g. a
JWT check), whose result becomes `context.principal`. Without `authenticate`, credentials are
passed through unverified.
"""

from __future__ import annotations

import base64
import binascii
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from ._problems import ProblemError

__all__ = ["AuthRequest", "Authenticator", "Credentials", "Requirement", "SecurityScheme", "authenticate_request"]

# One alternative of an operation's `security`: (scheme key, scopes) pairs, all needed together;
# the empty alternative means the operation may also be called anonymously.
Requirement = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """How one security scheme of the spec sends its credential."""

    key: str
    kind: str  # "apiKey", "bearer", "basic", "http", "oauth2", "openIdConnect", "mutualTLS" or "other"
    location: str | None = None  # apiKey: "header", "query" or "cookie"
    name: str | None = None  # apiKey: the header, query parameter or cookie name
    http_scheme: str | None = None  # http: the auth-scheme the Authorization header starts with (e.g. "Digest")


@dataclass(frozen=True, slots=True)
class Credentials:
    """A credential sent for one security scheme: a bearer token, an API key, or a user and password."""

    scheme: str  # key of the security scheme in the spec
    kind: str
    value: str  # the token or key; for basic auth, the password; for another HTTP scheme, what follows its name
    username: str | None = None  # basic auth only
    scopes: tuple[str, ...] = ()  # scopes the operation requires


@dataclass(frozen=True, slots=True)
class AuthRequest:
    """What `authenticate` is asked to judge: one credential, the request, and the operation called."""

    credentials: Credentials
    request: Request
    operation_id: str
    extensions: Mapping[str, Any] = field(default_factory=dict)  # the operation's x-* extensions


# Returns the principal (any object, or an awaitable of it); raises ProblemError to refuse.
Authenticator = Callable[[AuthRequest], Any]


def _authorization(request: Request, expected: str) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != expected or not value.strip():
        return None
    return value.strip()


def extract(scheme: SecurityScheme, request: Request, scopes: tuple[str, ...]) -> Credentials | None:
    """The credential `scheme` sends in `request`, if any."""
    if scheme.kind == "apiKey":
        name = scheme.name or ""
        source: Mapping[str, str] = {
            "query": request.query_params,
            "cookie": request.cookies,
        }.get(scheme.location or "header", request.headers)
        value = source.get(name)
        return Credentials(scheme.key, scheme.kind, value, scopes=scopes) if value else None
    if scheme.kind == "basic":
        encoded = _authorization(request, "basic")
        if encoded is None:
            return None
        try:
            username, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return Credentials(scheme.key, scheme.kind, password, username=username, scopes=scopes)
    if scheme.kind in ("bearer", "oauth2", "openIdConnect"):
        token = _authorization(request, "bearer")
        return Credentials(scheme.key, scheme.kind, token, scopes=scopes) if token else None
    if scheme.kind == "http":
        value = _authorization(request, (scheme.http_scheme or "").lower())
        return Credentials(scheme.key, scheme.kind, value, scopes=scopes) if value else None
    if scheme.kind == "mutualTLS":
        # A client certificate is the TLS layer's to require and verify (uvicorn `--ssl-ca-certs` with
        # `--ssl-cert-reqs 2`): a request that reaches the app has passed it. The value is the certificate where
        # the ASGI server reports it (the ASGI TLS extension), else "": `authenticate` may refuse that.
        tls = request.scope.get("extensions", {}).get("tls") or {}
        chain = tls.get("client_cert_chain") or ()
        return Credentials(scheme.key, scheme.kind, str(chain[0]) if chain else "", scopes=scopes)
    raw = request.headers.get("authorization")
    return Credentials(scheme.key, scheme.kind, raw, scopes=scopes) if raw else None


def _challenge(schemes: list[SecurityScheme]) -> dict[str, str]:
    kinds = [s.kind for s in schemes]
    if any(k in ("bearer", "oauth2", "openIdConnect") for k in kinds):
        return {"WWW-Authenticate": "Bearer"}
    if "basic" in kinds:
        return {"WWW-Authenticate": "Basic"}
    other = next((s.http_scheme for s in schemes if s.kind == "http" and s.http_scheme), None)
    return {"WWW-Authenticate": other} if other else {}


async def authenticate_request(
    request: Request,
    requirements: tuple[Requirement, ...],
    schemes: Mapping[str, SecurityScheme],
    authenticate: Authenticator | None,
    operation_id: str,
    extensions: Mapping[str, Any],
) -> tuple[tuple[Credentials, ...], object]:
    """The credentials of the first requirement the request satisfies, and what `authenticate` made of them.

    No requirement satisfied: anonymous when the spec allows it, else 401.
    """
    if not requirements:
        return (), None
    for requirement in requirements:
        if not requirement:
            continue
        found = []
        for key, scopes in requirement:
            scheme = schemes.get(key)
            credential = extract(scheme, request, scopes) if scheme is not None else None
            if credential is None:
                break
            found.append(credential)
        else:
            principal: object = None
            if authenticate is not None:
                for credential in found:
                    result = authenticate(AuthRequest(credential, request, operation_id, extensions))
                    if inspect.isawaitable(result):
                        result = await result
                    if principal is None:
                        principal = result
            return tuple(found), principal
    if any(not requirement for requirement in requirements):
        return (), None
    wanted = [schemes[key] for requirement in requirements for key, _ in requirement if key in schemes]
    raise ProblemError(401, detail="This operation requires authentication.", headers=_challenge(wanted))
