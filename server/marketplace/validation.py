"""Invalid requests answered with the status the operation declares for them.

The generated stub answers every invalid request 422. The spec declares 400 for malformed
parameters ("bad query parameter"), 422 for invalid bodies, and some operations declare only one of
them (`listConsultations` has no 422; `getExpert` neither, where an id of the wrong shape names no
expert: 404). This handler picks, from what the operation declares: body errors → 422 (else 400);
path parameter errors → 404 when declared; other parameter errors → 400 (else 422).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from platform_server import ProblemError
from platform_server._runtime._routing import OperationRoute
from starlette.responses import Response

from .problems import STATUS_TYPES, problem_type

__all__ = ["install_validation_handler", "status_for"]


def status_for(locations: set[str], declared: set[str]) -> int:
    if "body" in locations:
        return 422 if "422" in declared or "400" not in declared else 400
    if locations == {"path"} and "404" in declared:
        return 404
    return 400 if "400" in declared or "422" not in declared else 422


def _field(location: Sequence[Any], body: Any) -> str:
    """The dotted path of an error in the request, without pydantic's union member tags.

    The stub reports `user.email` for the `email` of a sign-up (`user` tags the union member) and
    `careers.list[CareerEntry].0.end_date`: a part before the last that is not a key (or index) of
    the request is a tag. The last part is the field itself, present or missing.
    """
    parts = [str(p) for p in location]
    if not parts or parts[0] not in ("body", "query", "path", "header", "cookie"):
        return ".".join(parts) or "body"
    if parts[0] != "body":
        return ".".join(parts[1:]) or parts[0]
    kept: list[str] = []
    node = body
    for index, part in enumerate(location[1:], start=1):
        last = index == len(location) - 1
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict | list) and last:
            pass  # a missing field
        else:
            continue  # a union member's tag (after a leaf, or not in the request)
        kept.append(str(part))
    return ".".join(kept) or "body"


def _field_errors(errors: Sequence[Any], body: Any) -> list[dict[str, str]]:
    """`{field, message}` per error; the "should be None" of a nullable field's null member only when alone."""
    useful = [e for e in errors if e.get("type") != "none_required"] or list(errors)
    found = [{"field": _field(e.get("loc", ()), body), "message": str(e.get("msg", "is invalid"))} for e in useful]
    return [dict(pair) for pair in dict.fromkeys(tuple(f.items()) for f in found)]


async def _on_invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    route = request.scope.get("route")
    declared = set(route.operation.statuses) if isinstance(route, OperationRoute) else {"400", "422"}
    if errors and all(e.get("type") == "json_invalid" for e in errors):
        status = 400 if "400" in declared or "422" not in declared else 422
        kind, title = STATUS_TYPES[status]
        return ProblemError(status, title, "The request body is not valid JSON.", type=problem_type(kind)).response(
            request
        )
    locations = {str(e["loc"][0]) for e in errors if e.get("loc")}
    status = status_for(locations, declared)
    kind, title = STATUS_TYPES[status]
    fields = _field_errors(errors, exc.body)
    count = len(fields)
    detail = f"The request has {count} invalid field{'s' if count != 1 else ''}."
    if status == 404:
        detail = "No resource has an identifier of that form."
    return ProblemError(status, title, detail, type=problem_type(kind), extensions={"errors": fields}).response(request)


def install_validation_handler(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_invalid_request)
