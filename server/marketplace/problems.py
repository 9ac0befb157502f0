"""The platform's problem types (RFC 9457), raised from services as `ProblemError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from platform_server import ProblemError

__all__ = [
    "BASE",
    "STATUS_TYPES",
    "bad_request",
    "conflict",
    "forbidden",
    "invalid_transition",
    "not_found",
    "problem_type",
    "unauthenticated",
    "validation_failed",
]

BASE = "https://api.platform.example/problems/"

# The problem type of a status when nothing more particular is known.
STATUS_TYPES: Mapping[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    422: ("validation-failed", "Validation failed"),
    429: ("rate-limited", "Too many requests"),
}


def problem_type(kind: str) -> str:
    return BASE + kind


def _error(status: int, kind: str, title: str, detail: str, **extensions: Any) -> ProblemError:
    return ProblemError(status, title, detail, type=problem_type(kind), extensions=extensions or None)


def bad_request(detail: str) -> ProblemError:
    return _error(400, "bad-request", "Bad request", detail)


def unauthenticated(detail: str) -> ProblemError:
    error = _error(401, "unauthenticated", "Authentication required", detail)
    error.headers = {"WWW-Authenticate": 'Bearer realm="platform", error="invalid_token"'}
    return error


def forbidden(detail: str) -> ProblemError:
    return _error(403, "forbidden", "Forbidden", detail)


def not_found(detail: str) -> ProblemError:
    return _error(404, "not-found", "Not found", detail)


def conflict(kind: str, title: str, detail: str) -> ProblemError:
    return _error(409, kind, title, detail)


def invalid_transition(status: str, action: str) -> ProblemError:
    return conflict(
        "invalid-transition", "Invalid status transition", f"A consultation in status {status} cannot {action}."
    )


def validation_failed(
    field: str, message: str, *, kind: str = "validation-failed", title: str | None = None
) -> ProblemError:
    """422 for one invalid field (the spec's `errors` list has one entry)."""
    return _error(
        422,
        kind,
        title or "Validation failed",
        f"{field} {message}",
        errors=[{"field": field, "message": message}],
    )
