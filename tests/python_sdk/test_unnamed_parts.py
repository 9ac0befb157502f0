"""A multipart or form body whose schema names no parts (a string, an array) takes a mapping of parts.

Real specs do this (a file upload declared as `multipart/form-data: {schema: {type: string, format: binary}}`,
an array of column names as form data). The IR types such a body as a mapping of any values, with a warning;
the SDK sends what the caller maps, and an optional body left out sends none.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from sdkgen.ir.model import AnyType, BodyKind, MapType
from sdkgen.pipeline import analyse, generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
SPEC = """
openapi: 3.0.3
info: {title: parts, version: "1"}
servers: [{url: "https://api.parts.test"}]
paths:
  /attachments:
    post:
      operationId: addAttachment
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: string, format: binary}
      responses:
        "204": {description: added}
  /columns:
    put:
      operationId: setColumns
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: array, items: {type: string}}
      responses:
        "204": {description: set}
"""


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("parts")
    spec = root / "parts.yaml"
    spec.write_text(SPEC)
    files, _ = generate(spec, "python", "parts_sdk")
    write_tree(files, root / "parts_sdk")
    sys.path.insert(0, str(root / "parts_sdk"))
    yield root
    sys.path.remove(str(root / "parts_sdk"))
    for name in [m for m in sys.modules if m == "parts_sdk" or m.startswith("parts_sdk.")]:
        del sys.modules[name]


def test_the_ir_takes_unnamed_parts_as_a_mapping_with_a_warning(parts: Path) -> None:
    analysis = analyse(parts / "parts.yaml")
    bodies = {op.key: op.request_body for op in analysis.api.operations}
    for key, kind in (("addAttachment", BodyKind.MULTIPART), ("setColumns", BodyKind.FORM)):
        body = bodies[key]
        assert body is not None and body.preferred.kind is kind
        assert body.preferred.type == MapType(AnyType())
    warned = [d for d in analysis.diagnostics if "named parts" in d.message]
    assert [d.location.pointer for d in warned if d.location] == [
        "/paths/~1attachments/post/requestBody/content/multipart~1form-data",
        "/paths/~1columns/put/requestBody/content/application~1x-www-form-urlencoded",
    ]


def test_the_sdk_passes_mypy_strict(parts: Path) -> None:
    mypy = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(REPO / ".mypy_cache")),
            str(parts / "parts_sdk" / "parts_sdk"),
        ],
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_the_caller_maps_the_parts_and_may_leave_an_optional_body_out(parts: Path) -> None:
    sdk = importlib.import_module("parts_sdk")
    with respx.mock(base_url="https://api.parts.test") as mock:
        upload = mock.post("/attachments").respond(204)
        columns = mock.put("/columns").respond(204)
        with sdk.Client() as client:
            client.attachments.add(body={"file": ("a.txt", b"hello", "text/plain")})
            client.columns.set(body={"columns": ["summary", "status"]})
            client.columns.set()
    sent = upload.calls.last.request
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="a.txt"' in sent.content and b"hello" in sent.content
    first, second = columns.calls
    assert first.request.content == b"columns=summary&columns=status"
    assert second.request.content == b"" and "content-type" not in second.request.headers
