"""A model that shares a builtin's name (`Warning`, `Exception`) and is defined after a model that refers to it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "specs" / "builtin_names.yaml"


def test_a_model_named_like_a_builtin_is_the_model_not_the_builtin(
    generate_server: Callable[[Path, str], tuple[Path, ModuleType]],
) -> None:
    _, server = generate_server(SPEC, "builtins_server")
    from builtins_server import models

    assert models.Warning is not Warning and issubclass(models.Warning, models.Check.__mro__[1])
    received: list[Any] = []

    class Checks(server.ChecksServiceBase):
        async def run(self, context: Any, *, body: Any) -> Any:
            received.append(body)
            return body

    client = TestClient(server.create_app(checks=Checks()))
    assert client.app.openapi()["components"]["schemas"]["Warning"]["properties"] == {  # type: ignore[attr-defined]
        "code": {"title": "Code", "type": "string"}
    }
    response = client.post("/checks", json={"warnings": [{"code": "w1"}], "error": {"message": "m"}})
    assert response.status_code == 200, response.text
    assert isinstance(received[0].warnings[0], models.Warning) and received[0].warnings[0].code == "w1"
    assert isinstance(received[0].error, models.Exception)
    assert response.json() == {"warnings": [{"code": "w1"}], "error": {"message": "m"}}
    assert client.post("/checks", json={"warnings": [{}]}).status_code in (400, 422)
