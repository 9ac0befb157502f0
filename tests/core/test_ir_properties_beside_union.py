"""`properties` beside `oneOf`/`anyOf`: constraint-only variants leave the object itself; object variants each
get the parent's properties and `required` merged in (a discriminator on the parent still applies); anything
else (a string beside an object...) stays a plain union, with a warning. `allOf` beside `oneOf`/`anyOf` is read
the same way, the allOf members merged as the parent: "A and (X or Y)" is "(A and X) or (A and Y)"."""

from __future__ import annotations

from pathlib import Path

from sdkgen.ir.model import (
    AnyType,
    Api,
    LiteralType,
    MapType,
    Model,
    ModelKind,
    ModelRef,
    Primitive,
    PrimitiveKind,
    TypeRef,
    UnionType,
)
from sdkgen.pipeline import analyse

from .conftest import write

HEAD = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
"""


def analysed(tmp_path: Path, schemas: str) -> tuple[Api, list[str]]:
    """The IR of a spec with these component schemas (YAML indented under `schemas:`), and its warnings."""
    analysis = analyse(write(tmp_path / "spec.yaml", HEAD + schemas))
    return analysis.api, [d.message for d in analysis.diagnostics]


def component(api: Api, name: str) -> Model:
    return api.models[f"/components/schemas/{name}"]


def fields(model: Model) -> dict[str, tuple[TypeRef, bool]]:
    return {p.wire: (p.type, p.required) for p in model.properties}


def union_models(api: Api, t: TypeRef) -> list[Model]:
    assert isinstance(t, UnionType), t
    assert all(isinstance(v, ModelRef) for v in t.variants), t
    return [api.models[v.key] for v in t.variants if isinstance(v, ModelRef)]


STRING = Primitive(PrimitiveKind.STRING)


# --------------------------------------------------------------------------- (a) variants that only constrain


def test_variants_naming_only_required_fields_leave_the_object_itself(tmp_path: Path) -> None:
    api, warnings = analysed(
        tmp_path,
        """
    GistUpdate:
      type: object
      required: [id]
      properties:
        id: {type: string}
        description: {type: string}
        files:
          type: object
          additionalProperties:
            type: object
            properties:
              content: {type: string}
              filename: {type: string}
            anyOf:
              - required: [content]
              - required: [filename]
              - {type: object, maxProperties: 0}
      anyOf:
        - required: [description]
        - required: [files]
        - {minProperties: 2, not: {required: [other]}}
""",
    )
    assert warnings == []
    gist = component(api, "GistUpdate")
    assert gist.kind is ModelKind.OBJECT
    files_type, _ = fields(gist)["files"]
    assert fields(gist) == {"id": (STRING, True), "description": (STRING, False), "files": (files_type, False)}
    assert isinstance(files_type, MapType) and isinstance(files_type.values, ModelRef)
    file = api.models[files_type.values.key]
    assert file.kind is ModelKind.OBJECT and fields(file) == {"content": (STRING, False), "filename": (STRING, False)}
    # no model for any variant
    assert not [key for key in api.models if "anyOf" in key]


def test_a_constrained_object_keeps_nullable_and_may_refer_to_itself(tmp_path: Path) -> None:
    api, warnings = analysed(
        tmp_path,
        """
    Node:
      type: object
      nullable: true
      properties:
        name: {type: string}
        parent: {$ref: "#/components/schemas/Node"}
      oneOf:
        - required: [name]
        - required: [parent]
""",
    )
    assert warnings == []
    node = component(api, "Node")
    assert node.kind is ModelKind.OBJECT and node.nullable
    assert fields(node)["parent"] == (ModelRef("/components/schemas/Node", True), False)


# --------------------------------------------------------------------------- (b) variants that are objects

CHECK_RUN = """
    CheckRun:
      type: object
      required: [name]
      properties:
        name: {type: string}
        status: {type: string}
        conclusion: {type: string, enum: [success, failure]}
        output:
          type: object
          properties:
            title: {type: string}
      oneOf:
        - properties:
            status: {type: string, enum: [completed]}
          required: [status, conclusion]
        - properties:
            status: {type: string, enum: [queued, in_progress]}
          additionalProperties: true
"""


def test_object_variants_each_get_the_parents_properties(tmp_path: Path) -> None:
    api, warnings = analysed(tmp_path, CHECK_RUN)
    assert warnings == []
    alias = component(api, "CheckRun")
    assert alias.kind is ModelKind.ALIAS and alias.target is not None
    completed, pending = union_models(api, alias.target)
    assert [completed.name.py, pending.name.py] == ["CheckRunVariant1", "CheckRunVariant2"]
    assert [completed.key, pending.key] == [
        "/components/schemas/CheckRun/oneOf/0/merged",
        "/components/schemas/CheckRun/oneOf/1/merged",
    ]
    for model in (completed, pending):
        assert model.kind is ModelKind.OBJECT
        # the parent's properties first, in its order; the variant wins where both declare one
        assert [p.wire for p in model.properties] == ["name", "status", "conclusion", "output"]
        assert fields(model)["name"] == (STRING, True)
    # `required` accumulates: the parent's and the variant's
    assert [fields(completed)[w][1] for w in ("status", "conclusion")] == [True, True]
    assert [fields(pending)[w][1] for w in ("status", "conclusion")] == [False, False]
    # the variant's narrower `status` wins over the parent's plain string
    statuses = [fields(m)["status"][0] for m in (completed, pending)]
    assert all(isinstance(s, ModelRef) for s in statuses)
    assert [[m.value for m in api.models[s.key].members] for s in statuses if isinstance(s, ModelRef)] == [
        ["completed"],
        ["queued", "in_progress"],
    ]
    # a parent's inline property converts once, named after the parent, the same type in every variant
    assert fields(completed)["output"] == fields(pending)["output"]
    output, _ = fields(completed)["output"]
    conclusion, _ = fields(completed)["conclusion"]
    assert isinstance(output, ModelRef) and isinstance(conclusion, ModelRef)
    assert api.models[output.key].name.py == "CheckRunOutput"
    assert api.models[conclusion.key].name.py == "CheckRunConclusion"


def test_merged_variants_are_named_once_without_collisions(tmp_path: Path) -> None:
    # components claim their names first: the inline variant takes a suffix, whatever the document order
    api, _ = analysed(tmp_path, CHECK_RUN + "    CheckRunVariant1: {type: object, properties: {x: {type: string}}}\n")
    alias = component(api, "CheckRun")
    assert alias.target is not None
    names = [m.name.py for m in union_models(api, alias.target)]
    assert names == ["CheckRunVariant12", "CheckRunVariant2"]
    assert component(api, "CheckRunVariant1").name.py == "CheckRunVariant1"
    assert len({m.name.py for m in api.models.values()}) == len(api.models)
    assert len({m.name.ts for m in api.models.values()}) == len(api.models)
    # the same spec twice: the same names
    again, _ = analysed(tmp_path, CHECK_RUN + "    CheckRunVariant1: {type: object, properties: {x: {type: string}}}\n")
    assert [(k, m.name) for k, m in again.models.items()] == [(k, m.name) for k, m in api.models.items()]


PETS = """
    Pet:
      type: object
      required: [kind, name]
      properties:
        kind: {type: string}
        name: {type: string}
        owner:
          type: object
          properties:
            email: {type: string}
      discriminator:
        propertyName: kind
        mapping:
          kitty: "#/components/schemas/Cat"
      oneOf:
        - $ref: "#/components/schemas/Cat"
        - $ref: "#/components/schemas/Dog"
    Cat:
      type: object
      properties:
        kind: {type: string}
        purrs: {type: boolean}
    Dog:
      type: object
      required: [barks]
      properties:
        barks: {type: boolean}
"""


def test_referenced_variants_get_models_of_their_own_and_the_discriminator_follows(tmp_path: Path) -> None:
    api, warnings = analysed(tmp_path, PETS)
    assert warnings == []
    pet = component(api, "Pet")
    assert pet.target is not None
    cat, dog = union_models(api, pet.target)
    assert [cat.name.py, dog.name.py] == ["PetCat", "PetDog"]
    assert cat.extends == ["/components/schemas/Cat"] and dog.extends == ["/components/schemas/Dog"]
    assert [p.wire for p in cat.properties] == ["kind", "name", "owner", "purrs"]
    assert [p.wire for p in dog.properties] == ["kind", "name", "owner", "barks"]
    assert fields(dog)["barks"] == (Primitive(PrimitiveKind.BOOLEAN), True)
    assert fields(cat)["owner"] == fields(dog)["owner"]
    # the discriminator applies to the merged variants: explicit and implicit tags alike
    assert isinstance(pet.target, UnionType) and pet.target.discriminator is not None
    assert pet.target.discriminator.mapping == (("kitty", cat.key), ("Dog", dog.key))
    assert fields(cat)["kind"] == (LiteralType(("kitty",)), True)
    assert fields(dog)["kind"] == (LiteralType(("Dog",)), True)
    # the referenced components themselves are untouched
    assert [p.wire for p in component(api, "Cat").properties] == ["kind", "purrs"]
    assert [p.wire for p in component(api, "Dog").properties] == ["barks"]


def test_a_variant_declaring_and_requiring_everything_already_is_itself(tmp_path: Path) -> None:
    api, warnings = analysed(
        tmp_path,
        """
    Shape:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
      oneOf:
        - $ref: "#/components/schemas/Circle"
        - type: object
          required: [kind]
          properties:
            kind: {type: string, enum: [square]}
            side: {type: number}
        - type: object
          properties:
            kind: {type: string}
            width: {type: number}
    Circle:
      type: object
      required: [kind, radius]
      properties:
        kind: {type: string}
        radius: {type: number}
""",
    )
    assert warnings == []
    shape = component(api, "Shape")
    assert shape.target is not None
    circle, square, rectangle = union_models(api, shape.target)
    assert circle.key == "/components/schemas/Circle"
    assert square.key == "/components/schemas/Shape/oneOf/1"  # as without the parent: nothing to add
    assert rectangle.key == "/components/schemas/Shape/oneOf/2/merged"  # `kind` becomes required
    assert fields(rectangle)["kind"] == (STRING, True)


def test_variants_built_with_all_of_are_flattened(tmp_path: Path) -> None:
    api, warnings = analysed(
        tmp_path,
        """
    Event:
      type: object
      properties:
        id: {type: string}
      anyOf:
        - allOf:
            - $ref: "#/components/schemas/Stamp"
            - properties: {created: {type: string}}
        - properties: {deleted: {type: boolean}}
    Stamp:
      type: object
      required: [at]
      properties:
        at: {type: string}
""",
    )
    assert warnings == []
    event = component(api, "Event")
    assert event.target is not None
    created, deleted = union_models(api, event.target)
    assert created.extends == ["/components/schemas/Stamp"]
    assert fields(created) == {"id": (STRING, False), "at": (STRING, True), "created": (STRING, False)}
    assert fields(deleted) == {"id": (STRING, False), "deleted": (Primitive(PrimitiveKind.BOOLEAN), False)}


def test_a_union_nullable_at_the_parent_stays_nullable(tmp_path: Path) -> None:
    api, _ = analysed(
        tmp_path,
        """
    Holder:
      type: object
      properties:
        check: {$ref: "#/components/schemas/CheckRun"}
        inline:
          nullable: true
          properties:
            a: {type: string}
          oneOf:
            - properties: {b: {type: string}}
            - properties: {c: {type: string}}
"""
        + CHECK_RUN,
    )
    inline, _ = fields(component(api, "Holder"))["inline"]
    assert isinstance(inline, UnionType) and inline.nullable
    assert [m.name.py for m in union_models(api, inline)] == ["HolderInlineVariant1", "HolderInlineVariant2"]
    assert [list(fields(m)) for m in union_models(api, inline)] == [["a", "b"], ["a", "c"]]


# --------------------------------------------------------------------------- mixed: unchanged


def test_non_object_variants_beside_properties_stay_a_plain_union_with_a_warning(tmp_path: Path) -> None:
    api, warnings = analysed(
        tmp_path,
        """
    Loose:
      type: object
      properties:
        id: {type: string}
      oneOf:
        - type: string
        - type: object
          properties: {name: {type: string}}
        - required: [id]
""",
    )
    assert warnings == ["properties beside oneOf are not merged into the variants"]
    loose = component(api, "Loose")
    assert isinstance(loose.target, UnionType)
    string, name, constraint = loose.target.variants
    assert string == STRING and constraint == AnyType()
    assert isinstance(name, ModelRef) and name.key == "/components/schemas/Loose/oneOf/1"
    assert list(fields(api.models[name.key])) == ["name"]


def test_tags_reach_merged_and_unmerged_variants_alike(tmp_path: Path) -> None:
    api, warnings = analysed(
        tmp_path,
        """
    Animal:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
      discriminator: {propertyName: kind}
      oneOf:
        - $ref: "#/components/schemas/Bird"
        - $ref: "#/components/schemas/Fish"
    Bird:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        wings: {type: integer}
    Fish:
      type: object
      properties:
        fins: {type: integer}
""",
    )
    assert warnings == []
    animal = component(api, "Animal")
    assert isinstance(animal.target, UnionType) and animal.target.discriminator is not None
    bird, fish = union_models(api, animal.target)
    assert bird.key == "/components/schemas/Bird" and fish.key == "/components/schemas/Animal/oneOf/1/merged"
    assert animal.target.discriminator.mapping == (("Bird", bird.key), ("Fish", fish.key))
    assert fields(bird)["kind"] == (LiteralType(("Bird",)), True)
    assert fields(fish)["kind"] == (LiteralType(("Fish",)), True)


# --------------------------------------------------------------------------- allOf beside oneOf/anyOf


ALL_OF_BESIDE = """
    Options:
      type: object
      properties:
        carriers: {type: array, items: {type: string}}
    ById:
      type: object
      required: [shipment_id]
      properties:
        shipment_id: {type: string}
    ByShipment:
      type: object
      required: [shipment]
      properties:
        shipment: {type: object, properties: {weight: {type: number}}}
    RatesRequest:
      type: object
      required: [shipment_id, shipment]  # each names one variant's field
      allOf: [{$ref: "#/components/schemas/Options"}]
      oneOf: [{$ref: "#/components/schemas/ById"}, {$ref: "#/components/schemas/ByShipment"}]
      properties:
        label: {type: string}
    Base:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
    Pet:
      allOf: [{$ref: "#/components/schemas/Base"}]
      discriminator: {propertyName: kind}
      anyOf:
        - {type: object, properties: {kind: {enum: [cat]}, lives: {type: integer}}}
        - {type: object, properties: {kind: {enum: [dog]}, barks: {type: boolean}}}
    Named:
      allOf: [{$ref: "#/components/schemas/Base"}]
      properties:
        name: {type: string}
      oneOf: [{required: [name]}, {required: [kind]}]
    Odd:
      allOf: [{$ref: "#/components/schemas/Base"}]
      properties: {note: {type: string}}
      oneOf: [{type: string}, {$ref: "#/components/schemas/ById"}]
"""


def test_all_of_beside_object_variants_is_merged_into_each_variant(tmp_path: Path) -> None:
    api, warnings = analysed(tmp_path, ALL_OF_BESIDE)
    rates = component(api, "RatesRequest")
    assert isinstance(rates.target, UnionType) and rates.target.discriminator is None
    by_id, by_shipment = union_models(api, rates.target)
    assert [by_id.name.py, by_shipment.name.py] == ["RatesRequestById", "RatesRequestByShipment"]
    assert {w: r for w, (_, r) in fields(by_id).items()} == {"carriers": False, "label": False, "shipment_id": True}
    assert {w: r for w, (_, r) in fields(by_shipment).items()} == {"carriers": False, "label": False, "shipment": True}
    # the variants' own components are untouched
    assert list(fields(component(api, "ById"))) == ["shipment_id"]
    assert "oneOf beside allOf is not merged: its variants are not all objects" in warnings


def test_a_discriminator_beside_all_of_and_any_of_tags_the_merged_variants(tmp_path: Path) -> None:
    api, _ = analysed(tmp_path, ALL_OF_BESIDE)
    pet = component(api, "Pet")
    assert isinstance(pet.target, UnionType) and pet.target.discriminator is not None
    cat, dog = union_models(api, pet.target)
    assert fields(cat)["kind"] == (LiteralType(("cat",)), True) and "lives" in fields(cat)
    assert fields(dog)["kind"] == (LiteralType(("dog",)), True) and "barks" in fields(dog)


def test_all_of_beside_constraints_or_mixed_variants_is_the_all_of_object(tmp_path: Path) -> None:
    api, warnings = analysed(tmp_path, ALL_OF_BESIDE)
    named = component(api, "Named")
    assert named.kind is ModelKind.OBJECT and list(fields(named)) == ["kind", "name"]
    odd = component(api, "Odd")
    assert odd.kind is ModelKind.OBJECT and list(fields(odd)) == ["kind", "note"]
    assert warnings == ["oneOf beside allOf is not merged: its variants are not all objects"]


def test_required_beside_a_union_naming_variant_fields_binds_each_to_its_variants(tmp_path: Path) -> None:
    # the same with `properties` beside: `required` may name a field one variant declares; a name no variant
    # declares stays required everywhere (a value must be there; its type is unknown)
    api, warnings = analysed(
        tmp_path,
        """
    Lookup:
      type: object
      required: [email, phone, tenant]
      properties:
        note: {type: string}
      oneOf:
        - {type: object, properties: {email: {type: string}}}
        - {type: object, properties: {phone: {type: string}}}
""",
    )
    assert warnings == []
    lookup = component(api, "Lookup")
    assert isinstance(lookup.target, UnionType)
    by_email, by_phone = union_models(api, lookup.target)
    assert {w: r for w, (_, r) in fields(by_email).items()} == {"note": False, "email": True, "tenant": True}
    assert {w: r for w, (_, r) in fields(by_phone).items()} == {"note": False, "phone": True, "tenant": True}
