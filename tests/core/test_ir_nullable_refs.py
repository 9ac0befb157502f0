"""A nullable schema is nullable at every site that reaches it, whatever the order of conversion."""

from __future__ import annotations

from pathlib import Path

import pytest
from sdkgen.ir.model import ModelKind, ModelRef, Primitive, TypeRef, UnionType
from sdkgen.pipeline import analyse

from .conftest import analyse_text

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


# an allOf parent whose inline nullable object (and nullable enum) is merged into several children,
# and reached by $ref from an operation: the same inline schema converted from five places
_COMPONENTS = {
    "Parent": """
    Parent:
      type: object
      properties:
        meta:
          type: object
          nullable: true
          properties: {x: {type: string}}
        state: {type: string, enum: [open, closed], nullable: true}
""",
    "ChildA": """
    ChildA:
      allOf:
        - $ref: "#/components/schemas/Parent"
        - {type: object, properties: {a: {type: string}}}
""",
    "ChildB": """
    ChildB:
      allOf:
        - $ref: "#/components/schemas/Parent"
        - {type: object, properties: {b: {type: string}}}
""",
}
_PATHS = """
paths:
  /meta:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Parent/properties/meta"}
"""


@pytest.mark.parametrize(
    "order", [("Parent", "ChildA", "ChildB"), ("ChildA", "ChildB", "Parent"), ("ChildB", "Parent", "ChildA")]
)
@pytest.mark.parametrize("paths_first", [True, False])
def test_an_inline_nullable_schema_reached_twice_is_nullable_at_every_site(
    tmp_path: Path, order: tuple[str, ...], paths_first: bool
) -> None:
    components = "components:\n  schemas:" + "".join(_COMPONENTS[name] for name in order)
    head = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'
    api = analyse_text(tmp_path, head + (_PATHS + components if paths_first else components + _PATHS))
    for key in ("Parent", "ChildA", "ChildB"):
        model = api.models[f"/components/schemas/{key}"]
        types = {p.wire: p.type for p in model.properties}
        assert types["meta"] == ModelRef("/components/schemas/Parent/properties/meta", nullable=True), key
        assert types["state"] == ModelRef("/components/schemas/Parent/properties/state", nullable=True), key
    (response,) = api.operations[0].responses
    assert response.contents[0].type == ModelRef("/components/schemas/Parent/properties/meta", nullable=True)


def test_a_nullable_component_referring_to_itself_is_nullable_at_its_own_reference(tmp_path: Path) -> None:
    api = analyse_text(
        tmp_path,
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Node:
      type: object
      nullable: true
      properties:
        next: {$ref: "#/components/schemas/Node"}
""",
    )
    (next_,) = api.models["/components/schemas/Node"].properties
    assert next_.type == ModelRef("/components/schemas/Node", nullable=True)


def test_a_component_of_several_types_keeps_its_object_part_as_a_model_of_its_own(tmp_path: Path) -> None:
    api = analyse_text(
        tmp_path,
        """
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Multi:
      type: [object, string, "null"]
      properties:
        a: {type: string}
        again: {$ref: "#/components/schemas/Multi"}
    Holder:
      type: object
      properties:
        m: {$ref: "#/components/schemas/Multi"}
""",
    )
    alias = api.models["/components/schemas/Multi"]
    assert alias.kind is ModelKind.ALIAS and alias.name.py == "Multi"
    target: TypeRef | None = alias.target
    assert isinstance(target, UnionType) and target.nullable
    part, text = target.variants
    assert isinstance(part, ModelRef) and isinstance(text, Primitive)
    obj = api.models[part.key]
    assert obj.kind is ModelKind.OBJECT and obj.name.py == "MultiObject"
    assert {p.wire: p.type for p in obj.properties} == {
        "a": Primitive(text.kind),
        "again": ModelRef("/components/schemas/Multi"),
    }
    assert api.models["/components/schemas/Holder"].properties[0].type == ModelRef("/components/schemas/Multi")
