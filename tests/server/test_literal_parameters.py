"""A parameter typed by boolean or number literals (an enum or const of them, or mixed with strings) is read from
the text of the URL or a header: `true`, `2`, `2.0` match the literal they spell; a string literal stays a string."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: Literals, version: "1"}
paths:
  /flags/{mode}:
    get:
      operationId: getFlags
      tags: [flags]
      parameters:
        - {name: mode, in: path, required: true, schema: {enum: ["1", true, 2.5]}}
        - {name: confirm, in: query, schema: {type: boolean, enum: [true]}}
        - {name: level, in: query, schema: {enum: [0, "auto"]}}
        - {name: X-Ratio, in: header, schema: {type: number, enum: [0.5, 2]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


@pytest.fixture(scope="module")
def client(server_from_text: Callable[[str, str], tuple[Path, ModuleType]]) -> TestClient:
    _, server = server_from_text(SPEC, "literals_server")

    class Flags(server.FlagsServiceBase):
        async def get(self, context: Any, **arguments: Any) -> Any:
            return {name: [type(value).__name__, value] for name, value in arguments.items()}

    return TestClient(server.create_app(flags=Flags()))


def test_text_is_read_as_the_literal_it_spells(client: TestClient) -> None:
    response = client.get("/flags/true?confirm=true&level=0", headers={"X-Ratio": "2.0"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "mode": ["bool", True],
        "confirm": ["bool", True],
        "level": ["int", 0],
        "x_ratio": ["float", 2.0],
    }
    assert client.get("/flags/1?level=auto").json() == {
        "mode": ["str", "1"],  # the string literal "1", not the number
        "confirm": ["NoneType", None],
        "level": ["str", "auto"],
        "x_ratio": ["NoneType", None],
    }
    assert client.get("/flags/2.5").json()["mode"] == ["float", 2.5]


@pytest.mark.parametrize("url", ["/flags/false", "/flags/1?confirm=false", "/flags/1?level=1"])
def test_text_spelling_no_literal_is_a_422(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 422
