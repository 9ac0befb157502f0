"""RFC 9457 problem details: every error the server answers is `application/problem+json` (static runtime)."""

from __future__ import annotations

import http
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "NotImplementedOperation",
    "ProblemError",
    "ProblemResponse",
    "install_problem_handlers",
    "problem",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
logger = logging.getLogger(__name__.rsplit(".", 2)[0])


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(
    status: int,
    title: str | None = None,
    detail: str | None = None,
    *,
    type: str = "about:blank",
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> ProblemResponse:
    """A problem details response: `type`, `title`, `status`, and `detail` / `instance` when known."""
    body: dict[str, Any] = {"type": type, "title": title or _phrase(status), "status": status}
    if detail is not None:
        body["detail"] = detail
    if instance is not None:
        body["instance"] = instance
    body.update(extensions or {})
    return ProblemResponse(body, status_code=status, headers=dict(headers) if headers else None)


class ProblemError(Exception):
    """Raise it from a service method to answer with a problem details response."""

    def __init__(
        self,
        status: int,
        title: str | None = None,
        detail: str | None = None,
        *,
        type: str = "about:blank",
        instance: str | None = None,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or title or _phrase(status))
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type
        self.instance = instance
        self.headers = headers
        self.extensions = extensions

    def response(self, request: Request | None = None) -> ProblemResponse:
        instance = self.instance
        if instance is None and request is not None:
            instance = request.url.path
        return problem(
            self.status,
            self.title,
            self.detail,
            type=self.type,
            instance=instance,
            headers=self.headers,
            extensions=self.extensions,
        )


class NotImplementedOperation(ProblemError):
    """The answer of every operation no service implements: 501 Not Implemented."""

    def __init__(self, operation_id: str) -> None:
        super().__init__(501, detail=f"The operation {operation_id} is not implemented by this server.")
        self.operation_id = operation_id


def field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """FastAPI's validation errors as `{field, message}` pairs, named as the request names them."""
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in ("body", "query", "path", "header", "cookie"):
            location = location[1:]
        result.append({"field": ".".join(location) or "body", "message": str(error.get("msg", "is invalid"))})
    return result


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return exc.response(request)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != _phrase(exc.status_code) else None
    return problem(exc.status_code, detail=detail, instance=request.url.path, headers=exc.headers)


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if errors and all(e.get("type") == "json_invalid" and tuple(e.get("loc", ()))[:1] == ("body",) for e in errors):
        return problem(400, detail="The request body is not valid JSON.", instance=request.url.path)
    count = len(errors)
    return problem(
        422,
        detail=f"The request has {count} invalid field{'s' if count != 1 else ''}.",
        instance=request.url.path,
        extensions={"errors": field_errors(errors)},
    )


async def _on_response_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ResponseValidationError)
    logger.error("response of %s %s does not match the spec: %s", request.method, request.url.path, exc.errors())
    return problem(500, detail="The server produced a response that does not match the API spec.")


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, instance=request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer problems, HTTP errors, invalid requests and unexpected errors as problem details."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(HTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(ResponseValidationError, _on_response_validation)
    app.add_exception_handler(Exception, _on_unexpected)
