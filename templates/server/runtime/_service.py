"""What service implementations see: the request context and the result wrapper (static runtime)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import Request, Response

from ._security import Credentials, Requirement

__all__ = ["Alternative", "Context", "Operation", "Result"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Alternative:
    """A success status other than the main one whose body differs (a 202 with a job): `return Result(job,
    status_code=202)` serialises the body as this type, or passes bytes or text through as `media_type`."""

    type: Any = None  # the JSON body's type; None for a body passed through as it is
    media_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the spec, as the server routes it."""

    operation_id: str
    method: str
    path: str
    security: tuple[Requirement, ...] = ()  # alternatives; empty: no authentication
    statuses: tuple[str, ...] = ()  # every response status the spec declares
    success_status: int | None = None  # the status of a plain return value
    empty_status: int | None = None  # the status of a `None` return value, when the spec has a body-less 2xx
    media_type: str | None = None  # the media type of a non-JSON success body (bytes or str)
    alternatives: Mapping[int, Alternative] = field(default_factory=dict)  # other success statuses, by status
    # Array parameters sent as one delimited value: (location, wire name, delimiter), e.g.
    # ("query", "status", ",") for `style: form, explode: false`; split before FastAPI reads them.
    delimited: tuple[tuple[str, str, str], ...] = ()
    # Where another operation has the same method and path: the required header and query parameters that tell
    # this one apart, (location, wire name, the values it takes, or none for any), e.g.
    # ("header", "X-Amz-Target", ("Service.Action",)), or the body's media types, ("content", "Content-Type",
    # ("application/octet-stream",)); the route then serves only requests that carry them. ("body", "", keys): a
    # JSON object body with each of the keys (Azure Face's `/verify` beside `/verify#overload=person`, alike but
    # for their bodies' required properties), checked once the route has read the body.
    selectors: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # The parts an optional multipart body requires once it is sent: the endpoint reads them as optional (a request
    # may have no body), the route requires them when any part is sent, and the document lists them as required.
    required_parts: tuple[str, ...] = ()
    # Path parameters that touch another one (`/blog/{name}{ext}`) with the values the spec lists, by spec name:
    # matched as those values, where a segment would otherwise split anywhere.
    path_values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extensions: Mapping[str, Any] = field(default_factory=dict)  # the operation's x-* extensions


@dataclass(slots=True)
class Context:
    """The request an operation is called for, with its credentials.

    `principal` is what `create_app(authenticate=...)` returned for the credentials (None when the
    request is anonymous or no authenticator is configured). Headers set on `response` are sent back.
    """

    request: Request
    response: Response
    operation: Operation
    credentials: tuple[Credentials, ...] = ()
    principal: Any = None


@dataclass(frozen=True, slots=True)
class Result(Generic[T]):
    """A return value with a status code or headers of its own: `return Result(expert, status_code=201)`."""

    body: T
    status_code: int | None = None
    headers: Mapping[str, str] | None = None
