"""`allOf: [{$ref: X}, {description: ...}]`, how OpenAPI 3.0 describes a reference (no keyword may stand beside
`$ref` there), is X itself: parts that only annotate add no type. A copy of X was a second model, which mypy and
tsc keep apart from X (AWS Glue's spec: 1,705 models, 356 of them such copies)."""

from __future__ import annotations

from pathlib import Path

from sdkgen.ir.model import Api, ModelKind, ModelRef, Primitive

from .conftest import analyse_text

SPEC = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Name:
      type: object
      required: [given]
      properties:
        given: {type: string}
    MaybeName:
      type: object
      nullable: true
      properties:
        given: {type: string}
    Status:
      type: string
      enum: ["on", "off"]
    Nick:
      allOf:
        - $ref: "#/components/schemas/Name"
        - description: A name to call the user by.
    User:
      type: object
      required: [name]
      properties:
        name:
          allOf:
            - $ref: "#/components/schemas/Name"
            - description: The user's full name.
        alias:
          allOf:
            - $ref: "#/components/schemas/MaybeName"
            - description: Another name, if any.
              x-internal: true
        nickname:
          allOf:
            - $ref: "#/components/schemas/Name"
            - nullable: true
        status:
          allOf:
            - description: Whether the user is on.
              readOnly: true
              default: "on"
            - $ref: "#/components/schemas/Status"
        merged:
          allOf:
            - $ref: "#/components/schemas/Name"
            - type: object
              properties:
                family: {type: string}
            - description: A name with a family.
"""


def user(api: Api) -> dict[str, object]:
    return {p.wire: p for p in api.models["/components/schemas/User"].properties}


def test_a_described_reference_is_the_model_itself_with_the_description_on_the_property(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    name = user(api)["name"]
    assert name.type == ModelRef("/components/schemas/Name")  # type: ignore[attr-defined]
    assert name.description == "The user's full name."  # type: ignore[attr-defined]
    assert name.required  # type: ignore[attr-defined]
    copies = [m for m in api.models.values() if [p.wire for p in m.properties] == ["given"]]
    assert sorted(m.key for m in copies) == ["/components/schemas/MaybeName", "/components/schemas/Name"]


def test_the_referenced_schema_stays_nullable_and_a_nullable_part_makes_it_nullable(tmp_path: Path) -> None:
    properties = user(analyse_text(tmp_path, SPEC))
    assert properties["alias"].type == ModelRef("/components/schemas/MaybeName", nullable=True)  # type: ignore[attr-defined]
    assert properties["alias"].description == "Another name, if any."  # type: ignore[attr-defined]
    assert properties["nickname"].type == ModelRef("/components/schemas/Name", nullable=True)  # type: ignore[attr-defined]


def test_flags_and_defaults_of_the_annotating_part_belong_to_the_property(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    status = user(api)["status"]
    assert status.type == ModelRef("/components/schemas/Status")  # type: ignore[attr-defined]
    assert api.models["/components/schemas/Status"].kind is ModelKind.ENUM
    assert status.read_only  # type: ignore[attr-defined]
    assert (status.has_default, status.default) == (True, "on")  # type: ignore[attr-defined]
    assert status.description == "Whether the user is on."  # type: ignore[attr-defined]


def test_a_part_that_adds_fields_still_makes_a_merged_model(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    merged = user(api)["merged"].type  # type: ignore[attr-defined]
    assert isinstance(merged, ModelRef) and merged.key == "/components/schemas/User/properties/merged"
    model = api.models[merged.key]
    assert [p.wire for p in model.properties] == ["given", "family"]
    assert model.extends == ["/components/schemas/Name"]
    assert isinstance(model.properties[1].type, Primitive)


def test_a_described_component_is_an_alias_of_the_reference_with_its_description(tmp_path: Path) -> None:
    nick = analyse_text(tmp_path, SPEC).models["/components/schemas/Nick"]
    assert nick.kind is ModelKind.ALIAS
    assert nick.target == ModelRef("/components/schemas/Name")
    assert nick.description == "A name to call the user by."
