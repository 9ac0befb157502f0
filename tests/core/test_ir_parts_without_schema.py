"""A multipart or form body whose schema says nothing (`{}`, or no schema) is a mapping of any parts, silently.

Real specs upload attachments so (Codat's `multipart/form-data: {schema: {}}`); every SDK needs a mapping of parts
there, as for a schema that names no parts, but nothing in the spec is wrong, so no warning. A JSON body keeps `{}`.
"""

from __future__ import annotations

from pathlib import Path

from sdkgen.ir.model import AnyType, BodyKind, MapType
from sdkgen.pipeline import analyse

SPEC = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      operationId: emptySchema
      requestBody:
        content:
          multipart/form-data: {schema: {}}
      responses:
        "204": {description: done}
  /b:
    post:
      operationId: noSchema
      requestBody:
        content:
          application/x-www-form-urlencoded: {}
      responses:
        "204": {description: done}
  /c:
    post:
      operationId: anyJson
      requestBody:
        content:
          application/json: {schema: {}}
      responses:
        "204": {description: done}
"""


def test_parts_without_a_schema_are_a_mapping_of_any_values(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    analysis = analyse(spec)
    bodies = {op.key: op.request_body for op in analysis.api.operations}
    for key, kind in (("emptySchema", BodyKind.MULTIPART), ("noSchema", BodyKind.FORM)):
        body = bodies[key]
        assert body is not None and body.preferred.kind is kind
        assert body.preferred.type == MapType(AnyType())
    json_body = bodies["anyJson"]
    assert json_body is not None and json_body.preferred.type == AnyType()
    assert not [d for d in analysis.diagnostics if "named parts" in d.message]
