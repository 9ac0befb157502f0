"""Headers HTTP stacks set on their own (node's fetch sends `Accept-Language: *`, browsers their languages): where
the spec declares one optional with the values it serves, a value outside them is read as absent (the default),
not answered with a 422 (EVE's ESI, pims: every call of the TypeScript SDK under node failed). Other headers keep
their checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: Languages, version: "1"}
paths:
  /names:
    get:
      operationId: listNames
      tags: [names]
      parameters:
        - {name: Accept-Language, in: header, schema: {type: string, enum: [de, en-us, fr], default: en-us}}
        - {name: X-Region, in: header, schema: {type: string, enum: [eu, us]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_a_client_set_header_outside_its_values_reads_as_the_default(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    _, server = server_from_text(SPEC, "languages_server")

    class Names(server.NamesServiceBase):
        async def list(self, context: Any, **kwargs: Any) -> Any:
            return {key: getattr(value, "value", value) for key, value in kwargs.items()}

    client = TestClient(server.create_app(names=Names()))
    assert client.get("/names", headers={"Accept-Language": "*"}).json() == {
        "accept_language": "en-us",
        "x_region": None,
    }
    assert client.get("/names", headers={"Accept-Language": "de"}).json()["accept_language"] == "de"
    assert client.get("/names").json()["accept_language"] == "en-us"
    assert client.get("/names", headers={"X-Region": "mars"}).status_code == 422
