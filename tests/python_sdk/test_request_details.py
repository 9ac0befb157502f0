"""Details of a request that the spec declares, through a generated SDK.

- A request body the spec lets out (`required: false`) is not sent when the caller gives none of its fields:
  sending `{}` instead would fail a server that validates the body against a schema with required properties.
  A required body whose fields are all optional is still sent (as `{}`).
- A query parameter with `allowReserved` keeps its reserved characters (`?path=/a/b:c`).
- A path parameter that fills a segment may not be empty, `.` or `..`: `/jobs/{id}/cancel` with `..` is
  `/cancel`, another operation (URLs are normalised), so the call raises before anything is sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest
import respx

SPEC = """
openapi: 3.0.3
info: {title: optional bodies, version: "1"}
servers: [{url: "https://api.bodies.test"}]
paths:
  /jobs/{id}/cancel:
    post:
      operationId: cancelJob
      tags: [jobs]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [reason]
              properties:
                reason: {type: string}
                notify: {type: boolean}
      responses:
        "204": {description: cancelled}
  /jobs:
    post:
      operationId: createJob
      tags: [jobs]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: string}
      responses:
        "204": {description: created}
  /files:
    get:
      operationId: listFiles
      tags: [files]
      parameters:
        - {name: path, in: query, allowReserved: true, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
      responses:
        "204": {description: listed}
  /jobs/{id}/notes:
    post:
      operationId: addNote
      tags: [jobs]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                text: {type: string}
      responses:
        "204": {description: added}
"""


@pytest.fixture
def client(python_sdk: Callable[[str, str], ModuleType]) -> Any:
    sdk = python_sdk(SPEC, "optional_bodies_sdk")
    return sdk.Client(base_url="https://api.bodies.test", max_retries=0)


def sent(route: respx.Route) -> httpx.Request:
    request: httpx.Request = route.calls.last.request
    return request


@respx.mock
def test_optional_json_body_without_fields_is_not_sent(client: Any) -> None:
    route = respx.post("https://api.bodies.test/jobs/7/cancel").respond(204)
    client.jobs.cancel("7")
    assert sent(route).content == b""
    assert "content-type" not in sent(route).headers


@respx.mock
def test_optional_json_body_with_a_field_is_sent(client: Any) -> None:
    route = respx.post("https://api.bodies.test/jobs/7/cancel").respond(204)
    client.jobs.cancel("7", reason="duplicate")
    assert json.loads(sent(route).content) == {"reason": "duplicate"}
    assert sent(route).headers["content-type"] == "application/json"


@respx.mock
def test_required_body_whose_fields_are_optional_is_sent_empty(client: Any) -> None:
    route = respx.post("https://api.bodies.test/jobs").respond(204)
    client.jobs.create()
    assert json.loads(sent(route).content) == {}


@respx.mock
def test_optional_form_body_without_fields_is_not_sent(client: Any) -> None:
    route = respx.post("https://api.bodies.test/jobs/7/notes").respond(204)
    client.jobs.add_note("7")
    assert sent(route).content == b""
    client.jobs.add_note("7", text="hello world")
    assert sent(route).content == b"text=hello+world"


@respx.mock
def test_allow_reserved_query_parameter_keeps_reserved_characters(client: Any) -> None:
    route = respx.get("https://api.bodies.test/files").respond(204)
    client.files.list(path="/a/b:c d", q="/a/b:c d")
    assert sent(route).url.query == b"path=/a/b:c%20d&q=%2Fa%2Fb%3Ac%20d"


@respx.mock
def test_headers_that_frame_the_request_are_left_to_httpx(client: Any) -> None:
    """A `Content-Length` given as an extra header (or a spec's header parameter of that name) would contradict the
    body httpx sends (a real server then waits for the rest, or reads half)."""
    route = respx.post("https://api.bodies.test/jobs/7/cancel").respond(204)
    client.jobs.cancel("7", reason="duplicate", extra_headers={"Content-Length": "1", "Connection": "x"})
    assert sent(route).headers["content-length"] == str(len(sent(route).content))
    assert sent(route).headers.get("connection") != "x"


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_a_path_parameter_that_would_lead_elsewhere_raises_before_sending(client: Any, value: str) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(204)
        with pytest.raises(ValueError, match=f"path parameter 'id' needs .*, got {value!r}: the request would go"):
            client.jobs.cancel(value)
    assert not route.called


@respx.mock
def test_a_dot_inside_a_path_parameter_is_sent(client: Any) -> None:
    route = respx.post("https://api.bodies.test/jobs/..7./cancel").respond(204)
    client.jobs.cancel("..7.")
    assert route.called
