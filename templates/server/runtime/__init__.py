"""The server runtime: the same for every API, shipped verbatim into each generated server."""

from . import _checks as checks
from ._models import build_models
from ._openapi import ServerApp
from ._problems import (
    PROBLEM_MEDIA_TYPE,
    NotImplementedOperation,
    ProblemError,
    ProblemResponse,
    install_problem_handlers,
    problem,
)
from ._routing import (
    OperationRoute,
    RouteSpec,
    RouteSupport,
    UnimplementedRoute,
    add_routes,
    form_body,
    implements,
    json_parameter,
    json_part,
    json_response,
    media_response,
    raw_body,
    structured_query,
    styled_parameter,
    text_body,
)
from ._security import Authenticator, AuthRequest, Credentials, SecurityScheme
from ._service import Alternative, Context, Operation, Result

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "Alternative",
    "AuthRequest",
    "Authenticator",
    "Context",
    "Credentials",
    "NotImplementedOperation",
    "Operation",
    "OperationRoute",
    "ProblemError",
    "ProblemResponse",
    "Result",
    "RouteSpec",
    "RouteSupport",
    "SecurityScheme",
    "ServerApp",
    "UnimplementedRoute",
    "add_routes",
    "build_models",
    "checks",
    "form_body",
    "implements",
    "install_problem_handlers",
    "json_parameter",
    "json_part",
    "json_response",
    "media_response",
    "problem",
    "raw_body",
    "structured_query",
    "styled_parameter",
    "text_body",
]
