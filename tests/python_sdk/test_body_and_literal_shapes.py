"""Shapes from real specs outside the dev sample that the Python SDK once typed wrongly.

- A form body that is a union of models (PeerTube's OAuth token: password or refresh_token grant) is passed as
  the model the caller built; its fields are the parts.
- A multipart body whose schema says nothing (`{}`, or no schema: Codat's attachment uploads) takes a mapping of
  parts, like a body whose schema names no parts.
- A form or multipart body typed as a union of a model and a string (or a list) takes either: the model's
  fields are the parts, a string is the body the caller encoded, sent as it is.
- A float enum or const (WMATA's coordinates, HERE's WLAN bands) cannot be a `Literal` (PEP 586): it is a float.
- A model name longer than a file name allows (Microsoft Graph) still gets a module.
- A binary string under a JSON media type (Azure's runbook content) is raw bytes both ways: the method returned
  an input-file type whose name the response parser could not resolve (NameError on every call).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import respx
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
LONG = "Very" * 80  # 320 characters
SPEC = """
openapi: 3.0.3
info: {title: shapes, version: "1"}
servers: [{url: "https://api.shapes.test"}]
paths:
  /token:
    post:
      operationId: getToken
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              oneOf: [{$ref: "#/components/schemas/PasswordGrant"}, {$ref: "#/components/schemas/RefreshGrant"}]
              discriminator:
                propertyName: grant_type
                mapping:
                  password: "#/components/schemas/PasswordGrant"
                  refresh_token: "#/components/schemas/RefreshGrant"
      responses:
        "204": {description: ok}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {}
      responses:
        "204": {description: ok}
  /notes:
    post:
      operationId: addNote
      requestBody:
        content:
          multipart/form-data: {}
      responses:
        "204": {description: ok}
  /grants:
    post:
      operationId: grant
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              anyOf: [{$ref: "#/components/schemas/RefreshGrant"}, {type: array, items: {type: string}}, {type: string}]
      responses:
        "204": {description: ok}
  /attachments:
    post:
      operationId: attach
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              oneOf: [{$ref: "#/components/schemas/RefreshGrant"}, {type: string}]
      responses:
        "204": {description: ok}
  /stations:
    get:
      operationId: nearStations
      parameters:
        - {name: lat, in: query, schema: {type: number, enum: [38.8978168]}}
        - {name: band, in: query, schema: {enum: [2.4, 5, auto]}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Scan"}
  /runbook:
    get:
      operationId: getRunbook
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string, format: binary}}}}
    put:
      operationId: putRunbook
      requestBody:
        required: true
        content: {application/json: {schema: {type: string, format: binary}}}
      responses:
        "204": {description: ok}
  /long:
    get:
      operationId: getLong
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/LONG"}
components:
  schemas:
    PasswordGrant:
      type: object
      required: [grant_type, username, password]
      properties:
        grant_type: {type: string, enum: [password]}
        username: {type: string}
        password: {type: string}
        client_id: {type: string, readOnly: true}
    RefreshGrant:
      type: object
      required: [grant_type, refresh_token]
      properties:
        grant_type: {type: string, enum: [refresh_token]}
        refresh_token: {type: string}
    Scan:
      type: object
      properties:
        band: {enum: [2.4, 3.65, 5]}
        channel: {const: 6.5}
    LONG:
      type: object
      properties:
        id: {type: string}
    LONGArchive:  # referred to by nothing: a module of its own, named after it
      type: object
      properties:
        id: {type: string}
""".replace("LONG", LONG)


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("shapes")
    spec = root / "shapes.yaml"
    spec.write_text(SPEC)
    files, _ = generate(spec, "python", "shapes_sdk")
    write_tree(files, root / "shapes_sdk")
    sys.path.insert(0, str(root / "shapes_sdk"))
    yield root
    sys.path.remove(str(root / "shapes_sdk"))
    for name in [m for m in sys.modules if m == "shapes_sdk" or m.startswith("shapes_sdk.")]:
        del sys.modules[name]


def test_the_sdk_passes_mypy_strict(shapes: Path) -> None:
    mypy = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(REPO / ".mypy_cache")),
            str(shapes / "shapes_sdk" / "shapes_sdk"),
        ],
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_float_enums_and_consts_are_floats(shapes: Path) -> None:
    # Scan is used by one resource only, so it lives in that resource's models module
    scan = (shapes / "shapes_sdk" / "shapes_sdk" / "models" / "stations.py").read_text()
    assert "class Scan(BaseModel):" in scan
    assert "band: float | None = None" in scan and "channel: float | None = None" in scan
    resource = (shapes / "shapes_sdk" / "shapes_sdk" / "resources" / "stations.py").read_text()
    assert "lat: float | NotGiven" in resource and 'band: Literal["auto"] | float | NotGiven' in resource


def test_a_long_model_name_gets_a_short_module(shapes: Path) -> None:
    modules = [p.name for p in (shapes / "shapes_sdk" / "shapes_sdk" / "models").glob("very_*.py")]
    assert len(modules) == 1 and len(modules[0]) <= len("x.py") + 100
    assert f"class {LONG}Archive(" in (shapes / "shapes_sdk" / "shapes_sdk" / "models" / modules[0]).read_text()
    sdk = importlib.import_module("shapes_sdk")
    assert getattr(sdk.models, LONG).__name__ == LONG


def test_a_union_of_models_is_sent_as_the_chosen_models_parts(shapes: Path) -> None:
    sdk = importlib.import_module("shapes_sdk")
    with respx.mock(base_url="https://api.shapes.test") as mock:
        token = mock.post("/token").respond(204)
        with sdk.Client() as client:
            grant = sdk.models.PasswordGrant(grant_type="password", username="ann", password="pw", client_id="x")
            client.token.get(body=grant)
            client.token.get(body=sdk.models.RefreshGrant(grant_type="refresh_token", refresh_token="r1"))
            client.token.get()
    first, second, third = (call.request for call in token.calls)
    assert first.headers["content-type"] == "application/x-www-form-urlencoded"
    # readOnly client_id is never sent
    assert parse_qs(first.content.decode()) == {"grant_type": ["password"], "username": ["ann"], "password": ["pw"]}
    assert parse_qs(second.content.decode()) == {"grant_type": ["refresh_token"], "refresh_token": ["r1"]}
    assert third.content == b""


def test_a_multipart_body_without_a_schema_takes_a_mapping_of_parts(shapes: Path) -> None:
    sdk = importlib.import_module("shapes_sdk")
    with respx.mock(base_url="https://api.shapes.test") as mock:
        upload = mock.post("/uploads").respond(204)
        notes = mock.post("/notes").respond(204)
        stations = mock.get("/stations").respond(200, json={"band": 2.4, "channel": 6.5})
        with sdk.Client() as client:
            client.uploads.upload(body={"file": ("a.txt", b"hello", "text/plain"), "note": "hi"})
            client.notes.add(body={"text": "n"})
            scan = client.stations.near(lat=38.8978168, band="auto")
    sent = upload.calls.last.request
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="a.txt"' in sent.content and b'name="note"' in sent.content
    assert b'name="text"' in notes.calls.last.request.content
    assert parse_qs(stations.calls.last.request.url.query.decode()) == {"lat": ["38.8978168"], "band": ["auto"]}
    assert json.loads(scan.to_json()) == {"band": 2.4, "channel": 6.5}


def test_a_form_or_multipart_body_typed_as_a_string_too_is_sent_as_given(shapes: Path) -> None:
    sdk = importlib.import_module("shapes_sdk")
    grant = sdk.models.RefreshGrant(grant_type="refresh_token", refresh_token="r1")
    with respx.mock(base_url="https://api.shapes.test") as mock:
        grants = mock.post("/grants").respond(204)
        attachments = mock.post("/attachments").respond(204)
        with sdk.Client() as client:
            client.grants.grant(body=grant)
            client.grants.grant(body="grant_type=refresh_token&refresh_token=r2")
            client.attachments.attach(body=grant)
            client.attachments.attach(body="--b\r\n\r\nx\r\n--b--\r\n")
            with pytest.raises(TypeError, match="cannot send a list as this request body"):
                client.grants.grant(body=["a"])
    model, text = (call.request for call in grants.calls)
    assert parse_qs(model.content.decode()) == {"grant_type": ["refresh_token"], "refresh_token": ["r1"]}
    assert text.headers["content-type"] == "application/x-www-form-urlencoded"
    assert text.content == b"grant_type=refresh_token&refresh_token=r2"
    parts, raw = (call.request for call in attachments.calls)
    assert parts.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="refresh_token"' in parts.content and b"r1" in parts.content
    assert raw.headers["content-type"] == "multipart/form-data" and raw.content == b"--b\r\n\r\nx\r\n--b--\r\n"


def test_a_binary_string_under_a_json_media_type_is_raw_bytes(shapes: Path) -> None:
    sdk = importlib.import_module("shapes_sdk")
    with respx.mock(base_url="https://api.shapes.test") as mock, sdk.Client() as client:
        mock.get("/runbook").respond(content=b"\x00Write-Output 1", headers={"Content-Type": "application/json"})
        assert client.runbook.get() == b"\x00Write-Output 1"
        route = mock.put("/runbook").respond(204)
        client.runbook.put(body=b"\x01script")
        assert route.calls.last.request.content == b"\x01script"
        assert route.calls.last.request.headers["content-type"] == "application/json"
