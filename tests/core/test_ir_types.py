"""Schemas → IR types and models, through `sdkgen.pipeline.analyse` on small fixture specs."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from sdkgen.ir.model import (
    AnyType,
    ArrayType,
    LiteralType,
    MapType,
    Model,
    ModelKind,
    ModelRef,
    Primitive,
    PrimitiveKind,
    Property,
    UnionType,
)
from sdkgen.pipeline import Analysis, analyse

from .conftest import SPECS, write

THING = "/components/schemas/Thing"


@cache
def analysed(name: str) -> Analysis:
    return analyse(SPECS / name)


def model(spec: str, name: str) -> Model:
    return analysed(spec).api.models[f"/components/schemas/{name}"]


def prop(m: Model, wire: str) -> Property:
    return next(p for p in m.properties if p.wire == wire)


def thing(wire: str) -> Property:
    return prop(model("types.yaml", "Thing"), wire)


def test_types_spec_is_clean() -> None:
    assert analysed("types.yaml").diagnostics == []


def test_object_keeps_description_required_and_closed_additional_properties() -> None:
    m = model("types.yaml", "Thing")
    assert m.kind is ModelKind.OBJECT
    assert m.description == "A thing with every kind of property."
    assert [p.wire for p in m.properties if p.required] == ["id", "name"]
    assert m.additional_properties is None


def test_read_only_write_only_and_deprecated_flags_are_kept() -> None:
    assert thing("id").read_only and not thing("id").write_only
    assert thing("secret").write_only and not thing("secret").read_only
    assert thing("legacy").deprecated
    assert not thing("name").deprecated


def test_defaults_are_kept_with_their_value() -> None:
    assert (thing("size").has_default, thing("size").default) == (True, 5)
    assert (thing("active").has_default, thing("active").default) == (True, True)
    assert not thing("name").has_default


def test_constraints_are_kept() -> None:
    name = thing("name").type
    assert isinstance(name, Primitive)
    assert (name.constraints.min_length, name.constraints.max_length) == (1, 64)
    assert name.constraints.pattern == "^[a-z]+$"
    size = thing("size").type
    assert isinstance(size, Primitive)
    assert (size.constraints.minimum, size.constraints.maximum) == (1, 10)
    tags = thing("tags").type
    assert isinstance(tags, ArrayType) and tags.constraints.min_items == 1


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("/^[0-9]{5}$/i", "(?i)^[0-9]{5}$"),  # a JavaScript regex literal: the expression, its flags inline
        ("/^a.b$/gs", "(?s)^a.b$"),
        ("/^x/", "^x"),
        ("/api/", "/api/"),  # not plainly a literal: as written
        ("/x.y/q", "/x.y/q"),  # no such flag
        ("^[a-z]+$", "^[a-z]+$"),
    ],
)
def test_a_pattern_written_as_a_regex_literal_is_read_as_its_expression(
    tmp_path: Path, written: str, read: str
) -> None:
    spec = write(
        tmp_path / "spec.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        f"    Code: {{type: string, pattern: {json.dumps(written)}}}\n",
    )
    code = analyse(spec).api.models["/components/schemas/Code"]
    assert isinstance(code.target, Primitive) and code.target.constraints.pattern == read


def test_boolean_exclusive_minimum_of_30_becomes_an_exclusive_bound() -> None:
    ratio = thing("ratio").type
    assert isinstance(ratio, Primitive)
    assert ratio.constraints.exclusive_minimum == 0
    assert ratio.constraints.minimum is None


def test_property_description_is_kept() -> None:
    assert thing("name").description == "The name of the thing."


@pytest.mark.parametrize(
    ("wire", "kind", "fmt"),
    [
        ("id", PrimitiveKind.STRING, "uuid"),
        ("size", PrimitiveKind.INTEGER, "int32"),
        ("ratio", PrimitiveKind.NUMBER, "double"),
        ("created", PrimitiveKind.STRING, "date-time"),
        ("avatar", PrimitiveKind.STRING, "binary"),
        ("active", PrimitiveKind.BOOLEAN, None),
    ],
)
def test_primitives_keep_their_format(wire: str, kind: PrimitiveKind, fmt: str | None) -> None:
    t = thing(wire).type
    assert isinstance(t, Primitive)
    assert (t.kind, t.format) == (kind, fmt)


def test_nullable_30_property_is_a_nullable_type() -> None:
    nickname = thing("nickname").type
    assert isinstance(nickname, Primitive) and nickname.nullable
    assert not thing("name").type.nullable


def test_arrays_maps_and_any() -> None:
    tags = thing("tags").type
    assert isinstance(tags, ArrayType) and tags.items == Primitive(PrimitiveKind.STRING)
    labels = thing("labels").type
    assert isinstance(labels, MapType) and labels.values == Primitive(PrimitiveKind.STRING)
    assert thing("anything").type == AnyType()


def test_string_enum_drops_duplicate_values_in_order() -> None:
    color = model("types.yaml", "Color")
    assert color.kind is ModelKind.ENUM
    assert color.enum_base is PrimitiveKind.STRING
    assert [m.value for m in color.members] == ["red", "green", "blue"]
    assert [m.name.py for m in color.members] == ["RED", "GREEN", "BLUE"]


def test_integer_enum_gets_valid_member_names() -> None:
    priority = model("types.yaml", "Priority")
    assert priority.enum_base is PrimitiveKind.INTEGER
    assert [m.value for m in priority.members] == [1, 2, 3]
    assert all(m.name.py.isidentifier() for m in priority.members)


def test_nullable_enum_with_null_member_is_nullable_without_a_null_member() -> None:
    mood = model("types.yaml", "Mood")
    assert mood.nullable
    assert [m.value for m in mood.members] == ["happy", "sad"]
    assert thing("mood").type == ModelRef("/components/schemas/Mood", nullable=True)


def test_all_of_is_merged_into_one_object_that_records_its_bases() -> None:
    cat = model("types.yaml", "Cat")
    assert cat.kind is ModelKind.OBJECT
    assert cat.extends == ["/components/schemas/Animal"]
    assert [p.wire for p in cat.properties] == ["pet_type", "name", "lives"]
    assert {p.wire for p in cat.properties if p.required} == {"pet_type", "lives"}


def test_one_of_with_discriminator_mapping_tags_each_variant() -> None:
    pet = model("types.yaml", "Pet")
    assert isinstance(pet.target, UnionType)
    assert pet.target.variants == (ModelRef("/components/schemas/Cat"), ModelRef("/components/schemas/Dog"))
    assert pet.target.discriminator is not None
    assert pet.target.discriminator.property == "pet_type"
    assert pet.target.discriminator.mapping == (("cat", "/components/schemas/Cat"), ("dog", "/components/schemas/Dog"))
    assert prop(model("types.yaml", "Cat"), "pet_type").type == LiteralType(("cat",))
    assert prop(model("types.yaml", "Dog"), "pet_type").type == LiteralType(("dog",))


def test_any_of_of_primitives_is_a_union() -> None:
    either = thing("either").type
    assert isinstance(either, UnionType)
    assert either.variants == (Primitive(PrimitiveKind.STRING), Primitive(PrimitiveKind.INTEGER))
    assert either.discriminator is None


def test_recursive_schema_refers_to_its_own_model() -> None:
    tree = model("types.yaml", "Tree")
    assert prop(tree, "children").type == ArrayType(ModelRef("/components/schemas/Tree"))


def test_inline_object_schemas_are_named_from_their_context() -> None:
    api = analysed("types.yaml").api
    names = {m.name.py for m in api.models.values()}
    assert {"ThingDimensions", "CreateThingResponse", "CreateThingResponseSummary"} <= names
    assert thing("dimensions").type == ModelRef(f"{THING}/properties/dimensions")


# ---------------------------------------------------------------------------- circular and 3.1


def test_mutually_recursive_and_self_recursive_schemas_become_models() -> None:
    api = analysed("circular.yaml").api
    node = api.models["/components/schemas/Node"]
    assert prop(node, "parent").type == ModelRef("/components/schemas/Node")
    person, company = api.models["/components/schemas/Person"], api.models["/components/schemas/Company"]
    assert prop(person, "employer").type == ModelRef("/components/schemas/Company")
    assert prop(company, "employees").type == ArrayType(ModelRef("/components/schemas/Person"))


def test_a_union_that_contains_itself_is_a_named_alias() -> None:
    expression = analysed("circular.yaml").api.models["/components/schemas/Expression"]
    assert expression.kind is ModelKind.ALIAS
    assert isinstance(expression.target, UnionType)
    assert ArrayType(ModelRef("/components/schemas/Expression")) in expression.target.variants


def test_31_type_array_with_null_is_a_nullable_type() -> None:
    item = model("openapi-31.yaml", "Item")
    note, count = prop(item, "note").type, prop(item, "count").type
    assert note == Primitive(PrimitiveKind.STRING, nullable=True)
    assert count == Primitive(PrimitiveKind.INTEGER, "int64", nullable=True)


def test_31_type_array_of_several_types_is_a_union() -> None:
    mixed = prop(model("openapi-31.yaml", "Item"), "mixed").type
    assert mixed == UnionType((Primitive(PrimitiveKind.STRING), Primitive(PrimitiveKind.INTEGER)))


def test_31_const_is_a_literal() -> None:
    assert prop(model("openapi-31.yaml", "Item"), "kind").type == LiteralType(("item",))


def test_31_ref_with_sibling_description_keeps_the_description() -> None:
    owner = prop(model("openapi-31.yaml", "Item"), "owner")
    assert owner.type == ModelRef("/components/schemas/Owner")
    assert owner.description == "Who owns the item, described beside the $ref."


def test_31_defs_are_reachable_by_ref_and_named_after_their_parent() -> None:
    api = analysed("openapi-31.yaml").api
    size = api.models["/components/schemas/Item/$defs/Size"]
    assert size.kind is ModelKind.ENUM
    assert size.name.py == "ItemSize"
    assert prop(model("openapi-31.yaml", "Item"), "size").type == ModelRef(size.key)


def test_31_webhooks_become_webhook_operations() -> None:
    api = analysed("openapi-31.yaml").api
    (webhook,) = api.webhooks
    assert (webhook.key, webhook.method, webhook.resource) == ("itemCreated", "post", "webhooks")
    assert webhook.request_body is not None
    assert webhook.request_body.preferred.type == ModelRef("/components/schemas/Item")
    assert [op.key for op in api.operations] == ["getItem"]


def test_31_examples_keyword_is_accepted() -> None:
    assert analysed("openapi-31.yaml").diagnostics == []
    assert prop(model("openapi-31.yaml", "Item"), "id").type == Primitive(PrimitiveKind.STRING)


# ---------------------------------------------------------------------------- what a target cannot represent


def test_unrepresentable_schemas_are_read_as_looser_types_with_a_located_warning() -> None:
    analysis = analysed("unrepresentable.yaml")
    shape = analysis.api.models["/components/schemas/Shape"]
    assert prop(shape, "notText").type == AnyType()
    assert prop(shape, "conditional").type == AnyType()
    assert prop(shape, "pair").type == ArrayType(AnyType())
    warned = {d.location.pointer: d for d in analysis.diagnostics if d.location is not None}
    for wire in ("notText", "conditional", "pair"):
        warning = warned[f"/components/schemas/Shape/properties/{wire}"]
        assert not warning.is_error
        assert warning.location is not None and warning.location.line is not None
        assert warning.location.file.endswith("unrepresentable.yaml")


def test_a_discriminator_that_cannot_be_checked_becomes_a_plain_union_with_a_warning() -> None:
    analysis = analysed("unrepresentable.yaml")
    point = analysis.api.models["/components/schemas/Point"]
    assert isinstance(point.target, UnionType) and point.target.discriminator is None
    assert any(
        d.location is not None and d.location.pointer == "/components/schemas/Point" and "discriminator" in d.message
        for d in analysis.diagnostics
    )


def test_no_operation_is_dropped_when_a_part_of_it_cannot_be_represented() -> None:
    analysis = analysed("unrepresentable.yaml")
    assert [op.key for op in analysis.api.operations] == ["createShape", "getPoint"]
    dropped = [d for d in analysis.diagnostics if d.code == "wrong-ref-target"]
    assert len(dropped) == 1
    assert dropped[0].location is not None
    assert dropped[0].location.pointer == "/paths/~1points/get/parameters/0"


def test_two_hundred_levels_of_inline_objects_convert(tmp_path: Path) -> None:
    schema: dict[str, object] = {"type": "string"}
    for _ in range(200):
        schema = {"type": "object", "properties": {"p": schema}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "deep", "version": "1"},
        "paths": {
            "/a": {
                "get": {"responses": {"200": {"description": "x", "content": {"application/json": {"schema": schema}}}}}
            }
        },
    }
    api = analyse(write(tmp_path / "deep.json", json.dumps(doc)))
    assert len(api.api.models) == 200


def test_a_tuple_array_is_an_array_of_any_of_its_item_types(tmp_path: Path) -> None:
    def items(schema: dict[str, object]) -> object:
        doc = {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Row": schema}},
        }
        api = analyse(write(tmp_path / "tuple.json", json.dumps(doc))).api
        target = api.models["/components/schemas/Row"].target
        assert isinstance(target, ArrayType)
        return target.items

    string, boolean = Primitive(PrimitiveKind.STRING), Primitive(PrimitiveKind.BOOLEAN)
    prefix = [{"type": "string"}]
    assert items({"type": "array", "prefixItems": prefix, "items": {"type": "boolean"}}) == UnionType((string, boolean))
    assert items({"type": "array", "prefixItems": prefix, "items": False}) == string
    assert items({"type": "array", "prefixItems": prefix}) == AnyType()


BOOLEAN_SCHEMAS = """
openapi: {version}
info: {{title: b, version: "1"}}
paths: {{}}
components:
  schemas:
    X:
      type: object
      required: [c]
      properties:
        a: true
        b: false
        c: {{type: string}}
        d: {{type: array, items: true}}
        h: {{not: true}}
        i: {{oneOf: [{{type: string}}, false]}}
"""


def test_boolean_schemas_of_31_are_read_without_warnings(tmp_path: Path) -> None:
    """3.1 allows `true` / `false` wherever a schema goes; openapi-pydantic's models do not. `false` (and `not: true`)
    is a property that may not appear, or a variant no value is: left out, not read as any value."""
    analysis = analyse(write(tmp_path / "b31.yaml", BOOLEAN_SCHEMAS.format(version="3.1.0")))
    assert analysis.diagnostics == []
    x = analysis.api.models["/components/schemas/X"]
    assert [p.wire for p in x.properties] == ["a", "c", "d", "i"]
    assert prop(x, "a").type == AnyType()
    d = prop(x, "d").type
    assert isinstance(d, ArrayType) and d.items == AnyType()
    assert prop(x, "i").type == Primitive(PrimitiveKind.STRING)


def test_boolean_schemas_of_30_are_still_reported(tmp_path: Path) -> None:
    analysis = analyse(write(tmp_path / "b30.yaml", BOOLEAN_SCHEMAS.format(version="3.0.3")))
    flagged = sorted(d.location.pointer for d in analysis.diagnostics if d.code == "invalid-schema" and d.location)
    assert "/components/schemas/X/properties/a" in flagged
    assert "/components/schemas/X/properties/d/items" in flagged


def test_draft4_boolean_exclusive_bounds_in_31_keep_their_bound(tmp_path: Path) -> None:
    """3.1 bounds are numbers; `exclusiveMaximum: true` beside `maximum: 20` (the 3.0 style) was read as the number
    1 by the 3.1 models, so the server refused every value above 1."""
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "N": {
                    "type": "number",
                    "minimum": 10,
                    "maximum": 20,
                    "exclusiveMinimum": True,
                    "exclusiveMaximum": True,
                },
                "M": {"type": "number", "minimum": 10, "exclusiveMinimum": False},
            }
        },
    }
    analysis = analyse(write(tmp_path / "bounds.json", json.dumps(doc)))
    n = analysis.api.models["/components/schemas/N"].target
    assert isinstance(n, Primitive)
    bounds = n.constraints
    assert (bounds.minimum, bounds.maximum, bounds.exclusive_minimum, bounds.exclusive_maximum) == (None, None, 10, 20)
    m = analysis.api.models["/components/schemas/M"].target
    assert isinstance(m, Primitive)
    assert (m.constraints.minimum, m.constraints.exclusive_minimum) == (10, None)


def test_a_pattern_no_string_can_match_is_not_enforced(tmp_path: Path) -> None:
    """Azure's `' ^[-\\w._()]+[^.]$'` (a space before `^`) and `.*/^[0-9]{12}$/.*` refuse every value, which no real
    server does, as does App Runner's 36-character UUID pattern on an id of 32: such a pattern is dropped with a
    warning; anchors in alternatives or multi-line mode are kept."""
    schemas = {
        "Spaced": {"type": "string", "pattern": " ^[-\\w._()]+[^.]$"},
        "Inside": {"type": "string", "pattern": ".*/^[0-9]{12}$/.*"},
        "Plain": {"type": "string", "pattern": "^[a-z]+$"},
        "Either": {"type": "string", "pattern": "a|^b"},
        "Lines": {"type": "string", "pattern": "(?m)a\\n^b"},
        "TooLong": {"type": "string", "pattern": "[0-9a-f]{8}-[0-9a-f]{4}", "minLength": 8, "maxLength": 8},
        "TooShort": {"type": "string", "pattern": "^[0-9]{4}$", "minLength": 6},
        "Fits": {"type": "string", "pattern": "[0-9]{4}", "minLength": 6, "maxLength": 8},
    }
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}}
    analysis = analyse(write(tmp_path / "patterns.json", json.dumps(doc)))

    def pattern(name: str) -> str | None:
        target = analysis.api.models[f"/components/schemas/{name}"].target
        assert isinstance(target, Primitive)
        return target.constraints.pattern

    assert (pattern("Spaced"), pattern("Inside"), pattern("TooLong"), pattern("TooShort")) == (None, None, None, None)
    assert pattern("Fits") == "[0-9]{4}"
    assert (pattern("Plain"), pattern("Either"), pattern("Lines")) == ("^[a-z]+$", "a|^b", "(?m)a\\n^b")
    warned = sorted(d.location.pointer for d in analysis.diagnostics if d.code == "unmatchable-pattern" and d.location)
    assert warned == [f"/components/schemas/{name}/pattern" for name in ("Inside", "Spaced", "TooLong", "TooShort")]


EMPTY_OBJECTS = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {}, additionalProperties: false}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Holder"}
components:
  schemas:
    Holder:
      type: object
      properties:
        closed: {type: object, properties: {}, additionalProperties: false}
        open: {type: object}
        open_typed: {type: object, additionalProperties: {type: integer}}
        keyed: {type: object, additionalProperties: false, patternProperties: {"^x-": {type: string}}}
"""


def test_an_object_closed_to_every_key_is_an_empty_model_not_a_map(tmp_path: Path) -> None:
    """`{type: object, additionalProperties: false}` can only be `{}`: a map of any value was wrong, and made each
    of Stripe's GETs (which declare such a form body) take a `body` that fetch cannot send."""
    api = analyse(write(tmp_path / "spec.yaml", EMPTY_OBJECTS)).api
    holder = api.models["/components/schemas/Holder"]
    closed = prop(holder, "closed").type
    assert isinstance(closed, ModelRef)
    empty = api.models[closed.key]
    assert empty.kind is ModelKind.OBJECT and empty.properties == [] and empty.closed
    assert prop(holder, "open").type == MapType(AnyType())
    assert prop(holder, "open_typed").type == MapType(Primitive(PrimitiveKind.INTEGER))
    assert isinstance(prop(holder, "keyed").type, MapType)  # keys by pattern: still a map
    (listing,) = api.operations
    assert listing.request_body is not None and not listing.request_body.required
    assert listing.request_body.fields == []
