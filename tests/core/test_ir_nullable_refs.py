"""A schema that is itself nullable stays nullable wherever it is referenced, not only at its first use."""

from __future__ import annotations

from pathlib import Path

from sdkgen.ir.model import ModelRef
from sdkgen.pipeline import analyse

SPEC = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    NullableUser:
      type: object
      nullable: true
      properties:
        login: {type: string}
    Issue:
      type: object
      required: [author, assignee]
      properties:
        author: {$ref: "#/components/schemas/NullableUser"}
        assignee: {$ref: "#/components/schemas/NullableUser"}
"""


def test_every_reference_to_a_nullable_component_is_nullable(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, "utf-8")
    api = analyse(spec).api
    issue = api.models["/components/schemas/Issue"]
    types = [p.type for p in issue.properties]
    assert all(isinstance(t, ModelRef) and t.nullable for t in types), types
