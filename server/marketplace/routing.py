"""Which operations a path and method name: the stub's routes as a table the middleware can ask.

The idempotency middleware acts only on requests that name an operation (an undeclared method is
405, whatever its Idempotency-Key), and a 405 lists every method the path has (`Allow`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from platform_server import ProblemError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from .problems import STATUS_TYPES, problem_type

__all__ = ["RouteTable", "install_http_error_handler"]


class RouteTable:
    def __init__(self, app: FastAPI, base_path: str) -> None:
        self.base_path = base_path
        self.routes = [r for r in app.routes if isinstance(r, APIRoute)]

    def _local(self, path: str) -> str | None:
        if not path.startswith(self.base_path + "/"):
            return None
        return path[len(self.base_path) :]

    def methods(self, path: str) -> set[str]:
        """The methods of the operations at `path` (a full path, base path included)."""
        local = self._local(path)
        if local is None:
            return set()
        return {m for r in self.routes if r.path_regex.match(local) for m in r.methods or ()}

    def names_operation(self, method: str, path: str) -> bool:
        return method.upper() in self.methods(path)


def install_http_error_handler(app: FastAPI, table: RouteTable) -> None:
    """HTTP errors as problem details; a 405 `Allow`s every method of the path, not only the first route's."""

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        status = exc.status_code
        headers = dict(exc.headers or {})
        if status == 405:
            headers["Allow"] = ", ".join(sorted(table.methods(request.url.path)))
        kind, title = STATUS_TYPES.get(status, ("about:blank", None)) if status != 405 else STATUS_TYPES[405]
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        type_ = problem_type(kind) if kind != "about:blank" else kind
        return ProblemError(status, title, detail, type=type_, headers=headers).response(request)

    app.add_exception_handler(HTTPException, on_http_error)
