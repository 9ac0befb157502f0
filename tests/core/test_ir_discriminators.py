"""Discriminators that cannot be honoured are dropped everywhere, nested ones included, in any order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sdkgen.ir.model import ArrayType, LiteralType, MapType, ModelRef, Primitive, PrimitiveKind, TypeRef, UnionType
from sdkgen.pipeline import analyse

from .conftest import analyse_text, write


def nested(**extra: Any) -> dict[str, Any]:
    """A discriminated union (a string variant: it cannot be checked) nested in another one."""
    inner = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "string"}],
        "discriminator": {"propertyName": "kind"},
    }
    return {"oneOf": [inner, {"$ref": "#/components/schemas/Dog"}], "discriminator": {"propertyName": "kind"}, **extra}


def spec(paths_first: bool) -> str:
    tagged = {"type": "object", "properties": {"kind": {"type": "string"}}}
    components = {
        "schemas": {
            "Cat": tagged,
            "Dog": tagged,
            "Owner": {
                "type": "object",
                "properties": {
                    "pet": nested(nullable=True),
                    "pets": {"type": "array", "items": nested(nullable=True)},
                },
                "additionalProperties": nested(),
            },
        }
    }
    page = {
        "type": "object",
        "properties": {"data": {"type": "array", "items": nested()}, "next_cursor": {"type": "string"}},
    }
    response = {
        "description": "ok",
        "headers": {"X-Pet": {"schema": nested()}},
        "content": {"application/json": {"schema": page}},
    }
    cursor = {"name": "cursor", "in": "query", "schema": {"type": "string"}}
    paths = {"/pets": {"get": {"parameters": [cursor], "responses": {"200": response}}}}
    document: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    document.update({"paths": paths, "components": components} if paths_first else {"components": components})
    document.setdefault("paths", paths)
    return json.dumps(document)


def discriminators(t: TypeRef) -> list[object]:
    """The discriminator of every union in `t`, at any depth."""
    if isinstance(t, UnionType):
        return [t.discriminator, *(d for v in t.variants for d in discriminators(v))]
    if isinstance(t, ArrayType):
        return discriminators(t.items)
    if isinstance(t, MapType):
        return discriminators(t.values)
    return []


@pytest.mark.parametrize("paths_first", [True, False])
def test_a_dropped_discriminator_nested_in_another_is_dropped_too(tmp_path: Path, paths_first: bool) -> None:
    api = analyse_text(tmp_path, spec(paths_first))
    owner = api.models["/components/schemas/Owner"]
    assert owner.additional_properties is not None
    (operation,) = api.operations
    assert operation.pagination is not None
    (response,) = operation.responses
    types = [p.type for p in owner.properties] + [owner.additional_properties]
    types += [operation.pagination.item_type, response.headers[0].type]
    for t in types:
        assert len(discriminators(t)) == 2 and discriminators(t) == [None, None], t
    pet = types[0]
    assert isinstance(pet, UnionType) and pet.nullable and pet.variants[1] == ModelRef("/components/schemas/Dog")


PINNED = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Item:
      oneOf: [{$ref: "#/components/schemas/Account"}, {$ref: "#/components/schemas/Share"}]
      discriminator: {propertyName: type}
    Account:
      type: object
      properties:
        type: {type: string, enum: [account]}
    Share:
      type: object
      properties:
        type: {type: string}
"""


def test_an_unmapped_variant_that_pins_the_tag_is_tagged_with_its_own_value_not_its_name(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, PINNED)
    union = api.models["/components/schemas/Item"].target
    assert isinstance(union, UnionType) and union.discriminator is not None
    # Account allows only "account" (payloads carry it); Share allows any string: its implicit value is its name
    assert dict(union.discriminator.mapping) == {
        "account": "/components/schemas/Account",
        "Share": "/components/schemas/Share",
    }


ALIASED = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      oneOf: [{$ref: "#/components/schemas/CatAlias"}, {$ref: "#/components/schemas/Dog"}]
      discriminator: {propertyName: kind}
    Cat: {type: object, properties: {kind: {type: string}, lives: {type: integer}}}
    Dog: {type: object, properties: {kind: {type: string}}}
    CatAlias: {$ref: "#/components/schemas/Cat"}
    MaybeCat: {$ref: "#/components/schemas/Cat", nullable: true}
    Loose:
      oneOf: [{$ref: "#/components/schemas/MaybeCat"}, {$ref: "#/components/schemas/Dog"}]
      discriminator: {propertyName: kind}
"""


def test_a_variant_named_through_a_component_alias_is_tagged_on_the_object_it_names(tmp_path: Path) -> None:
    analysis = analyse(write(tmp_path / "spec.yaml", ALIASED))
    api, warnings = analysis.api, [d.message for d in analysis.diagnostics]
    pet = api.models["/components/schemas/Pet"].target
    assert isinstance(pet, UnionType) and pet.discriminator is not None
    cat = api.object_of("/components/schemas/CatAlias")
    assert cat is not None and cat.key == "/components/schemas/Cat"
    kind = next(p for p in cat.properties if p.wire == "kind")
    # the implicit tag: the name referred to; not required by the spec, so it defaults to that one value
    assert (kind.type, kind.required, kind.literal_default) == (LiteralType(("CatAlias",)), False, True)
    # an alias that makes the object nullable is not the object: that union stays plain, with a warning
    assert api.models["/components/schemas/Loose"].target.discriminator is None  # type: ignore[union-attr]
    assert any("cannot be checked" in w for w in warnings)


TWO_UNIONS = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A: {type: object, required: [kind], properties: {kind: {type: string}}}
    B: {type: object, required: [kind], properties: {kind: {type: string}}}
    C: {type: object, required: [kind], properties: {kind: {type: string}}}
    U1:
      oneOf: [{$ref: "#/components/schemas/A"}, {$ref: "#/components/schemas/B"}]
      discriminator: {propertyName: kind, mapping: {a1: "#/components/schemas/A", b1: "#/components/schemas/B"}}
    U2:
      oneOf: [{$ref: "#/components/schemas/A"}, {$ref: "#/components/schemas/B"}]
      discriminator: {propertyName: kind, mapping: {a2: "#/components/schemas/A", b2: "#/components/schemas/B"}}
    Clashing:
      oneOf: [{$ref: "#/components/schemas/A"}, {$ref: "#/components/schemas/C"}]
      discriminator: {propertyName: kind, mapping: {x: "#/components/schemas/A", a2: "#/components/schemas/C"}}
    Numbered:
      oneOf: [{$ref: "#/components/schemas/One"}, {$ref: "#/components/schemas/Two"}]
      discriminator: {propertyName: v, mapping: {"1": "#/components/schemas/One", "2": "#/components/schemas/Two"}}
    One: {type: object, required: [v], properties: {v: {type: integer, enum: [1]}}}
    Two: {type: object, required: [v], properties: {v: {type: integer}}}
"""


def tag(api: Any, name: str, wire: str) -> TypeRef:
    model = api.models[f"/components/schemas/{name}"]
    return next(p.type for p in model.properties if p.wire == wire)


def test_a_variant_of_two_discriminated_unions_takes_the_tags_of_both(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, TWO_UNIONS)
    assert tag(api, "A", "kind") == LiteralType(("a1", "a2"))
    assert tag(api, "B", "kind") == LiteralType(("b1", "b2"))
    for name in ("U1", "U2"):
        assert api.models[f"/components/schemas/{name}"].target.discriminator is not None, name


def test_a_union_whose_variants_would_share_a_tag_is_a_plain_union(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, TWO_UNIONS)
    # Clashing calls C "a2", which U2 calls A: A would be a1, a2 or x and C a2
    assert api.models["/components/schemas/Clashing"].target.discriminator is None
    assert tag(api, "A", "kind") == LiteralType(("a1", "a2"))  # the dropped union gives no tag
    assert tag(api, "C", "kind") == Primitive(PrimitiveKind.STRING)


def test_an_integer_discriminator_property_is_tagged_with_numbers(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, TWO_UNIONS)
    assert tag(api, "One", "v") == LiteralType((1,))
    assert tag(api, "Two", "v") == LiteralType((2,))


def test_a_tag_a_variant_does_not_declare_is_added_with_its_value_as_default(tmp_path: Path) -> None:
    api = analyse(
        write(
            tmp_path / "spec.yaml",
            """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Method:
      oneOf: [{$ref: "#/components/schemas/Card"}, {$ref: "#/components/schemas/Bank"}]
      discriminator:
        propertyName: type
        mapping: {card: "#/components/schemas/Card", bank: "#/components/schemas/Bank"}
    Card: {type: object, properties: {last4: {type: string}}}
    Bank: {type: object, required: [type], properties: {type: {type: string}, iban: {type: string}}}
""",
        )
    ).api
    card = next(p for p in api.models["/components/schemas/Card"].properties if p.wire == "type")
    bank = next(p for p in api.models["/components/schemas/Bank"].properties if p.wire == "type")
    assert (card.type, card.required, card.literal_default) == (LiteralType(("card",)), False, True)
    assert (bank.type, bank.required, bank.literal_default) == (LiteralType(("bank",)), True, False)
