"""`required` names are kept even when no property declares them: the field must be present."""

from __future__ import annotations

from pathlib import Path

from sdkgen.ir.model import AnyType, Api, ModelKind, ModelRef, Primitive, PrimitiveKind, Property

from .conftest import analyse_text

SPEC = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Sloppy"}
      responses:
        "204": {description: done}
components:
  schemas:
    Base:
      type: object
      properties:
        id: {type: integer}
        name: {type: string}
    WithId:
      allOf:
        - $ref: "#/components/schemas/Base"
        - required: [id]
    WithIdBeside:
      allOf:
        - $ref: "#/components/schemas/Base"
      required: [id]
    AlreadyRequired:
      type: object
      required: [id]
      properties:
        id: {type: integer}
    SameAsParent:
      allOf:
        - $ref: "#/components/schemas/AlreadyRequired"
      required: [id]
    UsesSame:
      type: object
      properties:
        same: {$ref: "#/components/schemas/SameAsParent"}
    WithUnknown:
      allOf:
        - $ref: "#/components/schemas/Base"
        - required: [id, extra]
    Sloppy:
      type: object
      required: [a, b]
      properties:
        b: {type: string}
    Typed:
      type: object
      required: [x]
      properties:
        y: {type: string}
      additionalProperties: {type: integer}
    TypedMap:
      type: object
      required: [x]
      additionalProperties: {type: integer}
    OnlyRequired:
      type: object
      required: [email]
"""

INTEGER = Primitive(PrimitiveKind.INTEGER)
STRING = Primitive(PrimitiveKind.STRING)


def props(api: Api, name: str) -> dict[str, tuple[object, bool]]:
    model = api.models[f"/components/schemas/{name}"]
    assert model.kind is ModelKind.OBJECT
    return {p.wire: (p.type, p.required) for p in model.properties}


def test_a_required_name_without_a_property_is_a_required_property_of_any_type(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    assert props(api, "Sloppy") == {"b": (STRING, True), "a": (AnyType(), True)}


def test_the_required_property_is_a_required_body_field(tmp_path: Path) -> None:
    (operation,) = analyse_text(tmp_path, SPEC).operations
    assert operation.request_body is not None and operation.request_body.fields is not None
    fields = {f.name.py: f.property for f in operation.request_body.fields}
    assert isinstance(fields["a"], Property) and fields["a"].required and fields["a"].type == AnyType()


def test_a_required_name_covered_by_additional_properties_takes_their_type(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    assert props(api, "Typed") == {"y": (STRING, False), "x": (INTEGER, True)}
    assert props(api, "TypedMap") == {"x": (INTEGER, True)}
    assert api.models["/components/schemas/TypedMap"].additional_properties == INTEGER


def test_an_object_naming_only_required_fields_is_a_model_not_a_free_map(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    assert props(api, "OnlyRequired") == {"email": (AnyType(), True)}


def test_required_in_one_allof_part_applies_to_the_property_of_another(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    assert props(api, "Base") == {"id": (INTEGER, False), "name": (STRING, False)}
    for name in ("WithId", "WithIdBeside"):
        assert props(api, name) == {"id": (INTEGER, True), "name": (STRING, False)}, name
        assert api.models[f"/components/schemas/{name}"].extends == ["/components/schemas/Base"]
    assert props(api, "WithUnknown") == {"id": (INTEGER, True), "name": (STRING, False), "extra": (AnyType(), True)}


def test_allof_of_one_parent_that_requires_nothing_new_is_an_alias_of_the_parent(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    assert props(api, "UsesSame") == {"same": (ModelRef("/components/schemas/SameAsParent"), False)}
    alias = api.models["/components/schemas/SameAsParent"]
    assert alias.kind is ModelKind.ALIAS and alias.name.py == "SameAsParent"
    assert alias.target == ModelRef("/components/schemas/AlreadyRequired")
