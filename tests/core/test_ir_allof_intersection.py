"""A property two allOf parts both declare as an object of their own is one object with the properties of both:
JSON Schema's allOf holds for every part, so the value satisfies both declarations. The last declaration alone
dropped the first's properties (SendGrid's sender `from` lost `name`) or its `required` (GitHub's SCIM members)."""

from __future__ import annotations

from pathlib import Path

from sdkgen.ir.model import Api, ArrayType, Model, ModelKind, ModelRef, Primitive, TypeRef

from .conftest import analyse_text

SPEC = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Sender:
      type: object
      properties:
        from:
          type: object
          properties:
            email: {type: string}
            name: {type: string}
            address:
              type: object
              properties:
                city: {type: string}
        members:
          type: array
          items:
            type: object
            required: [value]
            properties:
              value: {type: string}
              display: {type: string}
        status: {type: string}
        same:
          type: object
          properties:
            a: {type: string}
        linked:
          type: object
          properties:
            a: {type: string}
    Link:
      type: object
      properties:
        href: {type: string}
    NewSender:
      allOf:
        - $ref: "#/components/schemas/Sender"
        - type: object
          properties:
            from:
              type: object
              required: [email]
              properties:
                address:
                  type: object
                  required: [city]
                  properties:
                    zip: {type: string}
            members:
              type: array
              items:
                type: object
                properties:
                  display: {type: string, description: Shown to people.}
            status: {type: string, enum: [active, paused]}
            same:
              type: object
              properties:
                a: {type: string}
            linked:
              $ref: "#/components/schemas/Link"
"""


def _api(tmp_path: Path) -> Api:
    return analyse_text(tmp_path, SPEC)


def _model(api: Api, t: TypeRef | None) -> Model:
    assert isinstance(t, ModelRef), t
    return api.models[t.key]


def _prop(api: Api, model: Model, wire: str) -> TypeRef:
    return next(p.type for p in model.properties if p.wire == wire)


def test_an_object_declared_by_two_parts_has_the_properties_and_requirements_of_both(tmp_path: Path) -> None:
    api = _api(tmp_path)
    new = api.models["/components/schemas/NewSender"]
    sender_from = _model(api, _prop(api, new, "from"))
    assert [p.wire for p in sender_from.properties] == ["email", "name", "address"]
    assert [p.wire for p in sender_from.properties if p.required] == ["email"]
    address = _model(api, _prop(api, sender_from, "address"))  # merged again, one level down
    assert [(p.wire, p.required) for p in address.properties] == [("city", True), ("zip", False)]


def test_arrays_of_objects_declared_by_two_parts_merge_their_items(tmp_path: Path) -> None:
    api = _api(tmp_path)
    members = _prop(api, api.models["/components/schemas/NewSender"], "members")
    assert isinstance(members, ArrayType)
    item = _model(api, members.items)
    assert [(p.wire, p.required) for p in item.properties] == [("value", True), ("display", False)]
    assert next(p.description for p in item.properties if p.wire == "display") == "Shown to people."


def test_the_part_declared_first_keeps_its_own_model(tmp_path: Path) -> None:
    api = _api(tmp_path)
    sender = api.models["/components/schemas/Sender"]
    own_from = _model(api, _prop(api, sender, "from"))
    assert [p.wire for p in own_from.properties] == ["email", "name", "address"]
    assert not any(p.required for p in own_from.properties)
    assert own_from is not _model(api, _prop(api, api.models["/components/schemas/NewSender"], "from"))


def test_other_repeated_properties_are_the_last_declaration(tmp_path: Path) -> None:
    api = _api(tmp_path)
    new = api.models["/components/schemas/NewSender"]
    status = _prop(api, new, "status")
    assert not isinstance(status, Primitive)  # the later enum, not the earlier plain string
    assert _model(api, status).kind is ModelKind.ENUM
    assert _prop(api, new, "linked") == ModelRef("/components/schemas/Link")  # a reference is not merged
    # the same object declared twice is not merged into a new model: it is the last declaration's
    same = _model(api, _prop(api, new, "same"))
    assert same.key == "/components/schemas/NewSender/allOf/1/properties/same"
