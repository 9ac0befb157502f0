"""Path templates Starlette cannot compile as written are still served, and documented as the spec writes them:
a parameter name that is no identifier (`{user-id}`), and a name the template repeats (`/{id}/copy/{id}`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: Paths, version: "1"}
paths:
  /users/{user-id}/items/{id}/copy/{id}:
    get:
      operationId: copyItem
      tags: [items]
      parameters:
        - {name: user-id, in: path, required: true, schema: {type: string}}
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_odd_and_repeated_path_names_are_served_and_documented(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    _, server = server_from_text(SPEC, "paths_server")

    class Items(server.ItemsServiceBase):
        async def copy(self, context: Any, user_id: str, id: int) -> Any:
            return {"user": user_id, "id": id}

    app = server.create_app(items=Items())
    assert list(app.openapi()["paths"]) == ["/users/{user-id}/items/{id}/copy/{id}"]
    response = TestClient(app).get("/users/u-1/items/7/copy/7")
    assert response.status_code == 200, response.text
    assert response.json() == {"user": "u-1", "id": 7}
