"""JSON Schema (as openapi-pydantic models) → IR types and named models.

Models are keyed by the JSON pointer of their schema, so a schema reached twice (by `$ref`, or
as an inline part of a model merged into another through allOf) becomes one model, and a
schema that contains itself is simply a model that refers to its own key.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeGuard

from openapi_pydantic.v3 import v3_0, v3_1
from pydantic import BaseModel, ValidationError

from sdkgen.diagnostics import (
    Diagnostic,
    Location,
    error,
    escape_pointer_token,
    join_pointer,
    split_pointer,
    unescape_pointer_token,
    warning,
)
from sdkgen.ir import naming
from sdkgen.ir.model import (
    AnyType,
    ArrayType,
    Constraints,
    Discriminator,
    EnumMember,
    Ident,
    LiteralType,
    MapType,
    Model,
    ModelKind,
    ModelRef,
    NullType,
    Primitive,
    PrimitiveKind,
    Property,
    TypeRef,
    UnionType,
    follow_aliases,
)
from sdkgen.regextools import parse_pattern, sre_parse

SchemaObject = v3_0.Schema | v3_1.Schema
SchemaLike = SchemaObject | v3_0.Reference | v3_1.Reference
# a discriminated union as converted, whatever nullable its sites add: (variants, discriminator)
_UnionKey = tuple[tuple[TypeRef, ...], Discriminator]

_PRIMITIVES = {
    "string": PrimitiveKind.STRING,
    "integer": PrimitiveKind.INTEGER,
    "number": PrimitiveKind.NUMBER,
    "boolean": PrimitiveKind.BOOLEAN,
}
_ALIASES: dict[type[BaseModel], dict[str, str]] = {}
_PY_FIELD_RESERVED = naming.PY_MODEL_ATTRIBUTES | naming.PY_TYPE_NAMES
# what a variant beside `properties` is (see SchemaConverter._variant_shape)
_OBJECT = "object"
_CONSTRAINT = "constraint"


class RefCycleError(Exception):
    def __init__(self, chain: list[str]):
        super().__init__(" → ".join(chain))
        self.chain = chain


def _alias_map(cls: type[BaseModel]) -> dict[str, str]:
    mapping = _ALIASES.get(cls)
    if mapping is None:
        mapping = {(f.alias or name): name for name, f in cls.model_fields.items()}
        _ALIASES[cls] = mapping
    return mapping


def with_nullable(t: TypeRef, nullable: bool) -> TypeRef:
    if not nullable or t.nullable:
        return t
    if type(t) is ModelRef:  # the most common case, without dataclasses.replace's field inspection
        return ModelRef(t.key, True)
    if isinstance(t, NullType):
        return t
    return dataclasses.replace(t, nullable=True)


def extensions_of(node: BaseModel) -> dict[str, Any]:
    extra = node.__pydantic_extra__  # what `model_extra` returns, without the property call
    if not extra:
        return {}
    return {k: v for k, v in extra.items() if k.startswith("x-")}


class SchemaConverter:
    """Converts schemas on demand, registering named models in `models` as it meets them."""

    def __init__(self, document: BaseModel, is_31: bool, locate: Callable[[str], Location]):
        self.document = document
        self.is_31 = is_31
        self.locate = locate
        self.schema_class: type[SchemaObject] = v3_1.Schema if is_31 else v3_0.Schema
        self.models: dict[str, Model] = {}
        self.diagnostics: list[Diagnostic] = []
        self.py_names = naming.Namespace()
        self.ts_names = naming.Namespace()
        self._resolved: dict[str, Any] = {}
        self._unions: list[tuple[str, UnionType]] = []
        self._component_idents: dict[str, Ident] = {}
        self._in_progress: dict[str, str] = {}
        self._done: dict[str, TypeRef] = {}  # what each schema converted so far became, by pointer
        self._dropped: frozenset[_UnionKey] = frozenset()  # discriminated unions read as plain unions
        self._plain: dict[tuple[PrimitiveKind, str | None], Primitive] = {}

    # ------------------------------------------------------------------ entry points

    def reserve_component_names(self, names: list[str]) -> None:
        """Claim the names of component schemas first, so inline schemas never take them."""
        for name in names:
            self._component_ident(name)

    def convert(self, node: SchemaLike | None, pointer: str, hint: str) -> TypeRef:
        if node is None:
            return AnyType()
        ref = ref_of(node)
        if ref is not None:
            return self._convert_ref(node, ref, pointer, hint, [pointer])
        assert isinstance(node, (v3_0.Schema, v3_1.Schema))
        return self._convert_schema(node, pointer, hint)

    def component(self, name: str, node: SchemaLike, pointer: str) -> TypeRef:
        """A component schema always becomes a named model (an alias when it is not an object)."""
        if pointer in self.models:
            return ModelRef(pointer)
        return self._named(node, pointer, name, force=True)

    # ------------------------------------------------------------------ references

    def resolve(self, ref: str, expected: type[BaseModel] | None = None) -> tuple[str, Any] | None:
        """The object a local `$ref` names; raw data found there is read as `expected` (default: a schema)."""
        if not ref.startswith("#"):
            return None
        pointer = ref[1:]
        if pointer in self._resolved:
            return pointer, self._resolved[pointer]
        node: Any = self.document
        for token in split_pointer(pointer):
            if isinstance(node, BaseModel):
                field_name = _alias_map(type(node)).get(token)
                if field_name is not None:
                    node = getattr(node, field_name)
                elif node.model_extra and token in node.model_extra:
                    node = node.model_extra[token]
                else:
                    return None
            elif isinstance(node, dict):
                if token not in node:
                    return None
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        if isinstance(node, (dict, bool)):
            try:
                node = (expected or self.schema_class).model_validate(node if isinstance(node, dict) else {})
            except ValidationError:
                return None
        if expected is None and not isinstance(node, (v3_0.Schema, v3_1.Schema, v3_0.Reference, v3_1.Reference)):
            return None  # `#/info`, a string, a parameter: no schema, so it does not resolve as one
        self._resolved[pointer] = node
        return pointer, node

    def deref(self, node: SchemaLike, pointer: str) -> tuple[SchemaObject, str]:
        """Follow `$ref`s to the schema they name; raises RefCycleError on a loop."""
        seen = [pointer]
        while (ref := ref_of(node)) is not None:
            target = self.resolve(ref)
            if target is None:
                raise _Unresolved(ref, pointer)
            pointer, node = target
            if pointer in seen:
                raise RefCycleError([*seen, pointer])
            seen.append(pointer)
        if not isinstance(node, (v3_0.Schema, v3_1.Schema)):
            raise _Unresolved(ref_of(node) or "", pointer)
        return node, pointer

    def _convert_ref(self, node: SchemaLike, ref: str, pointer: str, hint: str, chain: list[str]) -> TypeRef:
        target = self.resolve(ref)
        if target is None:
            self.diagnostics.append(
                error("unresolved-ref", f"$ref {ref!r} does not resolve", self.locate(join_pointer(pointer, "$ref")))
            )
            return AnyType()
        target_pointer, target_node = target
        nullable = bool(sibling(node, "nullable")) or _null_in_siblings(node)
        if target_pointer in chain:
            self.diagnostics.append(
                error(
                    "ref-cycle",
                    "$ref chain never reaches a schema: " + " → ".join(f"#{p}" for p in [*chain, target_pointer]),
                    self.locate(pointer),
                )
            )
            return AnyType()
        if target_pointer in self.models:
            # a schema that is itself nullable stays nullable wherever it is referenced
            return with_nullable(ModelRef(target_pointer), nullable or self.models[target_pointer].nullable)
        if target_pointer in self._in_progress:
            # a union or array that contains itself: it needs a name to refer to
            name = _component_name(target_pointer) or self._in_progress[target_pointer]
            self._new_model(target_pointer, name, ModelKind.ALIAS, target_node)
            return with_nullable(ModelRef(target_pointer), nullable)
        inner_ref = ref_of(target_node)
        if inner_ref is not None and not _is_component(target_pointer):
            return with_nullable(
                self._convert_ref(target_node, inner_ref, target_pointer, hint, [*chain, target_pointer]), nullable
            )
        name = _component_name(target_pointer) or hint
        return with_nullable(
            self._named(target_node, target_pointer, name, force=_is_component(target_pointer)), nullable
        )

    def _named(self, node: SchemaLike, pointer: str, name: str, *, force: bool) -> TypeRef:
        """A schema reached by reference: an object/enum/union model, or (for components) an alias."""
        ref = ref_of(node)
        if ref is not None:
            model = self._new_model(pointer, name, ModelKind.ALIAS, node)
            try:
                model.target = self._convert_ref(node, ref, pointer, name, [pointer])
            except RefCycleError as exc:
                self.diagnostics.append(error("ref-cycle", f"$ref cycle {exc}", self.locate(pointer)))
                model.target = AnyType()
            return ModelRef(pointer)
        if not isinstance(node, (v3_0.Schema, v3_1.Schema)):  # pragma: no cover - resolve() returns schemas only
            return AnyType()
        self._in_progress[pointer] = name
        try:
            converted = self._convert_schema(node, pointer, name)
        finally:
            del self._in_progress[pointer]
        placeholder = self.models.get(pointer)
        if placeholder is not None and placeholder.kind is ModelKind.ALIAS and placeholder.target is None:
            placeholder.target = _without_self(converted, pointer)
            self._done[pointer] = ModelRef(pointer)
            return ModelRef(pointer)
        if not force or (isinstance(converted, ModelRef) and converted.key == pointer):
            return converted
        # a component that is another type (a primitive, an array, or another model: `allOf: [X]`) keeps its name
        model = self._new_model(pointer, name, ModelKind.ALIAS, node)
        model.target = converted
        self._done[pointer] = ModelRef(pointer)  # from now on the schema is this alias, however it is reached
        return ModelRef(pointer)

    # ------------------------------------------------------------------ schemas

    def _convert_schema(self, schema: SchemaObject, pointer: str, hint: str) -> TypeRef:
        """The type of the schema at `pointer`: converted once, the same type wherever it is reached again."""
        done = self._done.get(pointer)
        if done is not None:
            return done
        types = types_of(schema)
        nullable = _says_nullable(schema, types)
        model = self.models.get(pointer)
        if model is not None:  # a schema that contains itself, reached again while being converted
            return with_nullable(ModelRef(pointer), nullable or model.nullable)
        converted = self._convert_new(schema, types, nullable, pointer, hint)
        self._done[pointer] = converted
        return converted

    def _convert_new(self, schema: SchemaObject, types: list[str], nullable: bool, pointer: str, hint: str) -> TypeRef:
        if "null" in types:
            types = [t for t in types if t != "null"]

        variants = schema.oneOf or schema.anyOf
        if schema.allOf:
            if variants:
                return with_nullable(self._all_of_union(schema, variants, pointer, hint, nullable), nullable)
            return with_nullable(self._all_of(schema, pointer, hint, nullable), nullable)
        if variants:
            return with_nullable(self._union(schema, variants, pointer, hint, nullable), nullable)
        if has_const(schema):
            value = const_of(schema)
            if value is None:
                return NullType()
            if isinstance(value, (str, int, float, bool)):
                return LiteralType((value,), nullable)
            return AnyType(nullable)
        if schema.enum is not None:
            return self._enum(schema, pointer, hint, nullable)
        if not types:
            if schema.properties or schema.additionalProperties not in (None, True):
                types = ["object"]
            elif schema.items is not None:
                types = ["array"]
            elif self._has_unsupported(schema):
                self._warn_unsupported(schema, pointer)
                return AnyType(nullable)
            else:
                return NullType() if nullable and "null" in types_of(schema) else AnyType(nullable)
        if len(types) > 1:
            # the object part gets a key of its own: the schema's pointer names the whole union
            # (a component's alias), and a component's name is not the object's
            object_key = join_pointer(pointer, "type", "object")
            object_hint = hint + " object" if _is_component(pointer) else hint
            parts = tuple(
                self._object(schema, pointer, object_hint, key=object_key)
                if t == "object"
                else self._single_type(schema, t, pointer, hint)
                for t in types
            )
            return UnionType(parts, None, nullable)
        return with_nullable(self._single_type(schema, types[0], pointer, hint, nullable), nullable)

    def _tuple_items(self, prefix: list[Any], items: Any, pointer: str, hint: str) -> TypeRef:
        """A tuple array (3.1 `prefixItems`, then `items` for the rest, or no more with `items: false`) is read as
        an array of any of those item types, with a warning: the positions are not kept."""
        types: list[TypeRef] = []
        for index, sub in enumerate(prefix):
            types.append(self.convert(sub, join_pointer(pointer, "prefixItems", index), f"{hint} item {index + 1}"))
        if items is None or items is True:
            types.append(AnyType())
        elif items is not False and not _is_false_schema(items):
            types.append(self.convert(items, join_pointer(pointer, "items"), hint + " item"))
        self.diagnostics.append(
            warning(
                "unsupported-schema",
                "tuple arrays (prefixItems) are read as arrays of any of their item types",
                self.locate(pointer),
            )
        )
        unique = list(dict.fromkeys(types))
        if any(isinstance(t, AnyType) for t in unique):
            return AnyType()
        return unique[0] if len(unique) == 1 else UnionType(tuple(unique))

    def _single_type(self, schema: SchemaObject, kind: str, pointer: str, hint: str, nullable: bool = False) -> TypeRef:
        if kind == "object":
            return self._object(schema, pointer, hint, nullable=nullable)
        if kind == "array":
            items = schema.items
            prefix = schema.__dict__.get("prefixItems")
            if prefix and isinstance(prefix, list):
                return ArrayType(self._tuple_items(prefix, items, pointer, hint), False, constraints_of(schema))
            item_type = self.convert(items, join_pointer(pointer, "items"), hint + " item") if items else AnyType()
            return ArrayType(item_type, False, constraints_of(schema))
        primitive = _PRIMITIVES.get(kind)
        if primitive is None:  # "file" (2.0 leftovers) and other unknown names
            if kind == "file":
                return Primitive(PrimitiveKind.STRING, "binary")
            self.diagnostics.append(
                warning("unknown-type", f"unknown type {kind!r}; read as any value", self.locate(pointer))
            )
            return AnyType()
        fmt = schema.schema_format
        if primitive is PrimitiveKind.STRING and fmt is None:
            fmt = _content_format(schema.__dict__.get("contentEncoding"), schema.__dict__.get("contentMediaType"))
        constraints = constraints_of(schema)
        if constraints.pattern is not None and primitive is PrimitiveKind.STRING:
            c = constraints
            reason = pattern_conflict(c.pattern, c.min_length, c.max_length)
            if reason is not None:
                message = f"no string can match the pattern {c.pattern!r} ({reason}); not enforced"
                where = self.locate(join_pointer(pointer, "pattern"))
                self.diagnostics.append(warning("unmatchable-pattern", message, where))
                constraints = dataclasses.replace(constraints, pattern=None)
        if constraints is not _NONE:
            return Primitive(primitive, fmt, False, constraints)
        # most schemas are a plain string or integer: one (immutable) value per kind and format will do
        plain = self._plain.get((primitive, fmt))
        if plain is None:
            plain = self._plain[(primitive, fmt)] = Primitive(primitive, fmt)
        return plain

    def _object(
        self, schema: SchemaObject, pointer: str, hint: str, *, nullable: bool = False, key: str | None = None
    ) -> TypeRef:
        """An object model (keyed `key`, default the schema's pointer), or a map when no property is named."""
        key = key or pointer
        if key in self.models:  # the object part of a multi-type schema that contains itself
            return ModelRef(key)
        properties = schema.properties or {}
        additional = schema.additionalProperties
        extra_type: TypeRef | None = None
        if additional is not None and not isinstance(additional, bool):
            extra_type = self.convert(additional, join_pointer(pointer, "additionalProperties"), hint + " value")
        pattern = schema.__dict__.get("patternProperties") or (schema.__pydantic_extra__ or {}).get("patternProperties")
        # no property named: a map, unless `additionalProperties: false` closes it (the empty object `{}`, which
        # Stripe gives its GETs as a form body): a model with no field, so that a body of it has no argument
        if not properties and not schema.required and not (additional is False and not pattern):
            if extra_type is None and pattern and isinstance(pattern, dict) and len(pattern) == 1:
                ((pattern_key, pattern_schema),) = pattern.items()
                if not isinstance(pattern_schema, dict):
                    extra_type = self.convert(
                        pattern_schema, join_pointer(pointer, "patternProperties", pattern_key), hint + " value"
                    )
            return MapType(extra_type or AnyType())
        model = self._new_model(pointer, hint, ModelKind.OBJECT, schema, key=key)
        model.nullable = nullable  # known before the properties, which may refer back to the model
        model.additional_properties = extra_type
        _set_key_bounds(model, [schema])
        model.properties = self._properties(model, [(schema, pointer)])
        self._add_undeclared_required(model, [schema])
        return ModelRef(key)

    def _properties(self, model: Model, sources: list[tuple[SchemaObject, str]]) -> list[Property]:
        """Properties of one or more schemas merged (allOf): `required` accumulates; a property several sources
        declare is their intersection where they are inline objects (`_intersection`), else the last declaration."""
        merged: dict[str, tuple[SchemaLike, str]] = {}
        repeated: dict[str, list[tuple[SchemaLike, str]]] = {}  # a property several sources declare: each one
        required: set[str] = set()
        for schema, pointer in sources:
            base = pointer + "/properties/"  # join_pointer(pointer, "properties", wire), once per schema
            for wire, sub in (schema.properties or {}).items():
                if _is_false_schema(sub):  # `name: false`: the property may not appear, in this model or merged
                    merged.pop(wire, None)
                    repeated.pop(wire, None)
                    continue
                entry = (sub, base + (escape_pointer_token(wire) if "~" in wire or "/" in wire else wire))
                if wire in merged:
                    repeated.setdefault(wire, [merged[wire]]).append(entry)
                merged[wire] = entry
            required.update(schema.required or [])
        py_names = naming.Namespace(_PY_FIELD_RESERVED)
        result = []
        prefix = model.name.py + " "
        for wire, (sub, sub_pointer) in merged.items():
            type_ = None
            if wire in repeated:
                type_ = self._intersection(join_pointer(model.key, "properties", wire), repeated[wire], prefix + wire)
            if type_ is None:
                type_ = self.convert(sub, sub_pointer, prefix + wire)
            if ref_of(sub) is not None:
                view = self._view(sub, sub_pointer)
                own: dict[str, Any] = view.__dict__ if view is not None else {}
                extra: dict[str, Any] = sub.__pydantic_extra__ or {}
                description = _text(sibling(sub, "description"))
                has_default, default, examples = False, None, []
            else:
                assert isinstance(sub, (v3_0.Schema, v3_1.Schema))
                view, own, extra, description = sub, sub.__dict__, {}, None
                has_default = "default" in sub.__pydantic_fields_set__
                default = own.get("default")
                examples = examples_of(sub)
                if sub.allOf:  # `allOf: [{$ref: X}, {description: ...}]`: the annotations are the property's
                    annotations = _allof_annotations(sub)
                    extra = {k: v for k, v in annotations.items() if own.get(k) is None}
                    description = None if own.get("description") else _text(annotations.get("description"))
                    if not has_default and "default" in annotations:
                        has_default, default = True, annotations["default"]
            result.append(
                Property(
                    wire=wire,
                    name=Ident(
                        py_names.claim(naming.py_identifier(wire, fallback="field", reserved=_PY_FIELD_RESERVED)), wire
                    ),
                    type=type_,
                    required=wire in required,
                    read_only=_flag_of(extra, own, "readOnly"),
                    write_only=_flag_of(extra, own, "writeOnly"),
                    has_default=has_default,
                    default=default,
                    description=description or own.get("description"),
                    deprecated=_flag_of(extra, own, "deprecated"),
                    extensions=extensions_of(sub),
                    examples=examples,
                )
            )
        return result

    def _intersection(self, base: str, parts: Sequence[tuple[SchemaLike | None, str]], hint: str) -> TypeRef | None:
        """The type of a property several allOf sources declare, when each declares an object of its own inline
        (or an array of such objects): one model with the properties of all, `required` accumulated, as a value
        must satisfy every part. None otherwise: then the last declaration is the property's type.

        `base` is the property's place in the merged model; the model made here is keyed below it, not at a
        part's pointer, where that part, reached alone, is only itself."""
        objects = [(s, p) for s, p in parts if _inline_object(s)]
        if len(objects) == len(parts):
            if all(s == objects[0][0] for s, _ in objects[1:]):
                return None
            key = join_pointer(base, _MERGED)
            if key not in self.models:
                last, last_pointer = objects[-1]
                model = self._new_model(last_pointer, hint, ModelKind.OBJECT, last, key=key)
                model.nullable = all(_says_nullable(s) for s, _ in objects)
                self._merge_into(model, objects, [], hint)
            return with_nullable(ModelRef(key), self.models[key].nullable)
        arrays = [(s, p) for s, p in parts if _inline_array(s)]
        if len(arrays) == len(parts):
            items = [(a.items, join_pointer(p, "items")) for a, p in arrays]
            item_type = self._intersection(join_pointer(base, "items"), items, hint + " item")
            if item_type is not None:
                nullable = all(_says_nullable(a) for a, _ in arrays)
                return with_nullable(ArrayType(item_type, False, constraints_of(arrays[-1][0])), nullable)
        return None

    def _add_undeclared_required(self, model: Model, sources: list[SchemaObject]) -> None:
        """A required name no source declares is still a required property: of the type the additional
        properties declare, else of any type. Its value must be present; only its type is unknown."""
        declared = {p.wire for p in model.properties}
        missing = [w for s in sources for w in s.required or [] if w not in declared]
        py_names = naming.Namespace(_PY_FIELD_RESERVED | {p.name.py for p in model.properties})
        for wire in dict.fromkeys(missing):
            name = py_names.claim(naming.py_identifier(wire, fallback="field", reserved=_PY_FIELD_RESERVED))
            model.properties.append(
                Property(wire, Ident(name, wire), model.additional_properties or AnyType(), required=True)
            )
        _unshadow(model)

    def _view(self, node: SchemaLike, pointer: str) -> SchemaObject | None:
        if ref_of(node) is None:
            assert isinstance(node, (v3_0.Schema, v3_1.Schema))
            return node
        try:
            return self.deref(node, pointer)[0]
        except (RefCycleError, _Unresolved):
            return None

    def _all_of(self, schema: SchemaObject, pointer: str, hint: str, nullable: bool) -> TypeRef:
        members = schema.allOf or []
        # `allOf: [{$ref: X}, {description: ...}]` (how 3.0 describes a reference) is X: parts that only annotate
        # add no type, and a copy of X would be a second, incompatible model
        typed = [(n, m) for n, m in enumerate(members) if not _annotates_only(m)]
        if len(typed) == 1 and not schema.properties:
            index, member = typed[0]
            member_pointer = join_pointer(pointer, "allOf", index)
            if self._requires_nothing_new(schema, member, member_pointer):
                converted = self.convert(member, member_pointer, hint)
                # `allOf: [{$ref: X}, {nullable: true}]` says what `nullable: true` beside the allOf says
                return (
                    with_nullable(converted, True) if _allof_annotations(schema).get("nullable") is True else converted
                )
        sources: list[tuple[SchemaObject, str]] = []
        extends: list[str] = []
        non_objects: list[tuple[SchemaLike, str]] = []
        self._flatten(schema, pointer, sources, extends, non_objects, set())
        if not any(s.properties or s.required for s, _ in sources):
            if non_objects:
                first, first_pointer = non_objects[0]
                if len(non_objects) > 1:
                    self._warn(pointer, "allOf of several non-object schemas is read as its first member")
                return self.convert(first, first_pointer, hint)
            return MapType(AnyType())
        if non_objects:
            self._warn(pointer, "allOf mixes objects with non-object schemas; only the object parts are kept")
        model = self._new_model(pointer, hint, ModelKind.OBJECT, schema)
        model.nullable = nullable
        self._merge_into(model, sources, extends, hint)
        return ModelRef(pointer)

    def _merge_into(self, model: Model, sources: list[tuple[SchemaObject, str]], extends: list[str], hint: str) -> None:
        """`model` as the object of `sources` merged: later sources win, `required` accumulates (allOf)."""
        model.extends = extends
        _set_key_bounds(model, [s for s, _ in sources])
        model.properties = self._properties(model, sources)
        for source, source_pointer in sources:
            extra = source.additionalProperties
            if extra is not None and not isinstance(extra, bool):
                model.additional_properties = self.convert(
                    extra, join_pointer(source_pointer, "additionalProperties"), hint + " value"
                )
        self._add_undeclared_required(model, [s for s, _ in sources])

    def _requires_nothing_new(self, schema: SchemaObject, member: SchemaLike, member_pointer: str) -> bool:
        """`allOf: [X]` with `required` beside it is X itself only when X already requires those names."""
        if not schema.required:
            return True
        view = self._view(member, member_pointer)
        if view is None or not (view.properties or view.allOf or "object" in types_of(view)):
            return True  # `required` means nothing beside a schema that is no object (or does not resolve)
        return set(schema.required) <= set(view.required or [])

    def _flatten(
        self,
        schema: SchemaObject,
        pointer: str,
        sources: list[tuple[SchemaObject, str]],
        extends: list[str],
        non_objects: list[tuple[SchemaLike, str]],
        visiting: set[str],
    ) -> None:
        if pointer in visiting:
            self._warn(pointer, "allOf includes itself; the repeated part is ignored")
            return
        visiting = visiting | {pointer}
        for index, member in enumerate(schema.allOf or []):
            member_pointer = join_pointer(pointer, "allOf", index)
            try:
                resolved, resolved_pointer = self.deref(member, member_pointer)
            except RefCycleError as exc:
                self.diagnostics.append(error("ref-cycle", f"$ref cycle {exc}", self.locate(member_pointer)))
                continue
            except _Unresolved as exc:
                self.diagnostics.append(
                    error("unresolved-ref", f"$ref {exc.ref!r} does not resolve", self.locate(member_pointer))
                )
                continue
            if ref_of(member) is not None and _is_component(resolved_pointer):
                extends.append(resolved_pointer)
            if resolved.allOf:
                self._flatten(resolved, resolved_pointer, sources, extends, non_objects, visiting)
            elif resolved.oneOf or resolved.anyOf:
                self._warn(member_pointer, "a union inside allOf cannot be merged; its variants' fields are not added")
            elif resolved.properties or resolved.required or "object" in types_of(resolved):
                # `allOf: [{$ref: Base}, {required: [id]}]`: a part naming only required fields counts too
                sources.append((resolved, resolved_pointer))
            elif types_of(resolved) or resolved.enum is not None or ref_of(member) is not None:
                non_objects.append((member, member_pointer))
        if schema.properties or schema.required:
            own = self.schema_class.model_validate(
                {"properties": {}, "required": schema.required} if schema.required and not schema.properties else {}
            )
            sources.append((schema, pointer) if schema.properties else (own, pointer))

    def _all_of_union(
        self, schema: SchemaObject, variants: list[Any], pointer: str, hint: str, nullable: bool
    ) -> TypeRef:
        """allOf beside oneOf/anyOf: every variant with the allOf members (and the schema's own properties)
        merged in, "A and (X or Y)" read as "(A and X) or (A and Y)". Variants that only constrain the object
        (`required: [...]`) leave the allOf object itself; a non-object variant leaves it too, warned about."""
        keyword = "oneOf" if schema.oneOf else "anyOf"
        shapes = [self._variant_shape(v, join_pointer(pointer, keyword, i)) for i, v in enumerate(variants)]
        if any(shape == _OBJECT for shape in shapes):
            if all(shape is not None for shape in shapes):
                sources: list[tuple[SchemaObject, str]] = []
                extends: list[str] = []
                non_objects: list[tuple[SchemaLike, str]] = []
                self._flatten(schema, pointer, sources, extends, non_objects, set())
                if not non_objects:
                    return self._merged_union(schema, variants, keyword, pointer, hint, (sources, extends))
            self._warn(pointer, f"{keyword} beside allOf is not merged: its variants are not all objects")
        return self._all_of(schema, pointer, hint, nullable)

    def _union(self, schema: SchemaObject, variants: list[Any], pointer: str, hint: str, nullable: bool) -> TypeRef:
        """oneOf/anyOf. Beside an object's own `properties`: variants that only constrain it leave the object
        itself (`nullable` is its own); variants that are all objects get its properties merged in; any other
        mix is a plain union of the variants, the properties warned about."""
        keyword = "oneOf" if schema.oneOf else "anyOf"
        if schema.properties and set(types_of(schema)) <= {"object", "null"}:
            shapes = [self._variant_shape(v, join_pointer(pointer, keyword, i)) for i, v in enumerate(variants)]
            if all(shape == _CONSTRAINT for shape in shapes):
                # the variants only say which of the declared properties must be present: the object itself
                return self._object(schema, pointer, hint, nullable=nullable)
            if all(shape is not None for shape in shapes):
                return self._merged_union(schema, variants, keyword, pointer, hint)
        parts: list[TypeRef] = []
        null_variant = False
        for index, variant in enumerate(variants):
            if _is_false_schema(variant):  # `false`: no value is this variant
                continue
            converted = self.convert(variant, join_pointer(pointer, keyword, index), f"{hint} variant{index + 1}")
            if isinstance(converted, NullType):
                null_variant = True
                continue
            if converted not in parts:
                parts.append(converted)
        if schema.properties:
            self._warn(pointer, f"properties beside {keyword} are not merged into the variants")
        if not parts:
            return NullType() if null_variant else AnyType()
        if len(parts) == 1:
            return with_nullable(parts[0], null_variant)
        return self._finish_union(schema, parts, pointer, null_variant, {})

    def _finish_union(
        self, schema: SchemaObject, parts: list[TypeRef], pointer: str, nullable: bool, merged: dict[str, str]
    ) -> UnionType:
        """The union of `parts`, with the schema's discriminator (decided in `finish`)."""
        discriminator = self._discriminator(schema, parts, pointer, merged)
        union = UnionType(tuple(parts), discriminator, nullable)
        if discriminator is not None:
            self._unions.append((pointer, union))
        return union

    def _variant_shape(self, variant: SchemaLike, pointer: str) -> str | None:
        """What a variant beside `properties` is: an object shape (`_OBJECT`), only constraints on the object
        (`_CONSTRAINT`: `required`, `not`, `minProperties`...), or None: anything else (a string, an array,
        a nested union, null, a `$ref` that does not resolve)."""
        view = self._view(variant, pointer)
        if view is None or view.oneOf or view.anyOf or view.items is not None or view.enum is not None:
            return None
        extra = view.__pydantic_extra__ or {}
        if has_const(view) or view.__dict__.get("nullable") or extra.get("nullable"):
            return None
        types = types_of(view)
        if types and types != ["object"]:
            return None
        additional = view.additionalProperties
        pattern = view.__dict__.get("patternProperties") or extra.get("patternProperties")
        if view.properties or view.allOf or pattern or (additional is not None and not isinstance(additional, bool)):
            return _OBJECT
        return _CONSTRAINT

    def _merged_union(
        self,
        schema: SchemaObject,
        variants: list[Any],
        keyword: str,
        pointer: str,
        hint: str,
        parent: tuple[list[tuple[SchemaObject, str]], list[str]] | None = None,
    ) -> TypeRef:
        """A union of object variants beside `properties`: every variant with the parent's properties and
        `required` merged in, as allOf would (the variant wins where both declare a property). A variant that
        declares and requires all of them already is itself; any other is a model of its own, keyed
        `<variant pointer>/merged` (the variant's own pointer names the variant alone: a `$ref` may reach it).
        `parent`: the parent's sources and the components it extends, when it is an allOf (else the schema)."""
        parent_sources, parent_extends = parent if parent is not None else ([(schema, pointer)], [])
        parent_declared = {wire for s, _ in parent_sources for wire in s.properties or {}}
        parent_required = {wire for s, _ in parent_sources for wire in s.required or []}
        parent_open = any(
            s.additionalProperties is not None and not isinstance(s.additionalProperties, bool)
            for s, _ in parent_sources
        )
        # each variant's own sources and the components it names, flattened once
        flat: list[tuple[SchemaObject, str, list[tuple[SchemaObject, str]], list[str], bool, str]] = []
        for index, variant in enumerate(variants):
            variant_pointer = join_pointer(pointer, keyword, index)
            view, view_pointer = self.deref(variant, variant_pointer)  # resolves: `_variant_shape` said so
            own: list[tuple[SchemaObject, str]] = []
            extends: list[str] = []
            non_objects: list[tuple[SchemaLike, str]] = []
            ref = ref_of(variant)
            resolved = self.resolve(ref) if ref is not None else None
            named = resolved[0] if resolved is not None else variant_pointer  # the schema the spec names
            if ref is not None and _is_component(view_pointer):
                extends.append(view_pointer)
            if view.allOf:
                self._flatten(view, view_pointer, own, extends, non_objects, set())
            else:
                own.append((view, view_pointer))
            flat.append((view, view_pointer, own, extends, bool(non_objects), named))
        # `required: [a, b]` beside `oneOf: [{has a}, {has b}]` names each variant's own field: a name the parent
        # does not declare but some variant does is required only where a variant declares it
        declared_by = [{wire for s, _ in own for wire in s.properties or {}} for _, _, own, _, _, _ in flat]
        per_variant = (parent_required - parent_declared) & set().union(*declared_by)
        parts: list[TypeRef] = []
        merged: dict[str, str] = {}  # pointer a variant names → key of the variant with the parent merged in
        for index, (view, view_pointer, own, own_extends, mixed, named) in enumerate(flat):
            variant = variants[index]
            variant_pointer = join_pointer(pointer, keyword, index)
            declared = declared_by[index]
            dropped = per_variant - declared
            base = parent_sources if not dropped else [_without_required(s, dropped, p) for s, p in parent_sources]
            sources = [*base, *own]
            extends = [*parent_extends, *own_extends]
            required = {wire for s, _ in own for wire in s.required or []}
            if not parent_open and parent_declared <= declared and parent_required - dropped <= required:
                converted = self.convert(variant, variant_pointer, f"{hint} variant{index + 1}")
            else:
                if mixed:
                    self._warn(
                        variant_pointer, "allOf mixes objects with non-object schemas; only the object parts are kept"
                    )
                key = join_pointer(variant_pointer, "merged")
                if key not in self.models:  # else a schema containing itself reached this union again
                    component = _component_name(named)
                    name = f"{hint} {component}" if component else f"{hint} variant{index + 1}"
                    model = self._new_model(variant_pointer, name, ModelKind.OBJECT, view, key=key)
                    # the parent's own property schemas are named after the parent, not after its first variant;
                    # those every variant overrides are never converted
                    self._convert_properties(schema, pointer, hint, skip=declared)
                    self._merge_into(model, sources, extends, name)
                converted = ModelRef(key)
                merged[named] = merged[view_pointer] = key
            if converted not in parts:
                parts.append(converted)
        if len(parts) == 1:
            return parts[0]
        return self._finish_union(schema, parts, pointer, False, merged)

    def _convert_properties(self, schema: SchemaObject, pointer: str, hint: str, *, skip: set[str]) -> None:
        """Convert the property (and additional property) schemas of `schema` but those in `skip`, with names
        from `hint`: a later conversion of the same pointers, for any model they are merged into, gets the same
        types."""
        base = pointer + "/properties/"
        for wire, sub in (schema.properties or {}).items():
            if wire not in skip and not _is_false_schema(sub):
                self.convert(sub, base + escape_pointer_token(wire), f"{hint} {wire}")
        extra = schema.additionalProperties
        if extra is not None and not isinstance(extra, bool):
            self.convert(extra, join_pointer(pointer, "additionalProperties"), hint + " value")

    def _discriminator(
        self, schema: SchemaObject, parts: list[TypeRef], pointer: str, merged: dict[str, str]
    ) -> Discriminator | None:
        """The union's discriminator; `merged` maps the pointer a variant names to the key of the model it
        became with the properties beside the union merged in, so tags name the variants as merged."""
        spec = schema.discriminator
        if spec is None:
            return None
        original: dict[str, str] = {}  # merged key → the component the spec names (the first pointer `merged` has)
        for named, key in merged.items():
            original.setdefault(key, named)
        mapping: list[tuple[str, str]] = []
        for value, target in (spec.mapping or {}).items():
            ref = target if target.startswith("#") else f"#/components/schemas/{target}"
            resolved = self.resolve(ref)
            if resolved is None:
                self._warn(
                    join_pointer(pointer, "discriminator", "mapping", value),
                    f"mapping target {target!r} does not resolve",
                )
                continue
            if resolved[0] in merged:
                mapping.append((value, merged[resolved[0]]))
                continue
            target_type = self.convert(resolved[1], resolved[0], _component_name(resolved[0]) or value)
            if isinstance(target_type, ModelRef):
                mapping.append((value, merged.get(target_type.key, target_type.key)))
        mapped = {key for _, key in mapping}
        for part in parts:
            if isinstance(part, ModelRef) and part.key not in mapped:
                # implicitly the component's name, unless the variant pins the property to one value itself
                # (`type: {enum: [account]}` in `Account`): then payloads carry that value, not the name
                name = self._pinned_value(part.key, spec.propertyName) or _component_name(
                    original.get(part.key, part.key)
                )
                if name:
                    mapping.append((name, part.key))
        return Discriminator(spec.propertyName, tuple(mapping))

    def _pinned_value(self, key: str, wire: str) -> str | None:
        """The one string value model `key` allows for its property `wire` (a single-value enum or const)."""
        model = self.models.get(key)
        prop = next((p for p in model.properties if p.wire == wire), None) if model is not None else None
        t = prop.type if prop is not None else None
        if isinstance(t, ModelRef) and t.key in self.models:
            enum = self.models[t.key]
            if enum.kind is ModelKind.ENUM and len(enum.members) == 1 and isinstance(enum.members[0].value, str):
                return enum.members[0].value
        if isinstance(t, LiteralType) and len(t.values) == 1 and isinstance(t.values[0], str):
            return t.values[0]
        return None

    def _enum(self, schema: SchemaObject, pointer: str, hint: str, nullable: bool) -> TypeRef:
        values: list[Any] = []
        for value in schema.enum or []:
            if value is None:
                nullable = True
            elif value not in values or type(value) is not type(values[values.index(value)]):
                values.append(value)
        if not values:
            return NullType()
        if all(isinstance(v, str) for v in values):
            base = PrimitiveKind.STRING
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            base = PrimitiveKind.INTEGER
        else:
            scalars = tuple(v for v in values if isinstance(v, (str, int, float, bool)))
            if len(scalars) != len(values):
                return AnyType(nullable)
            return LiteralType(scalars, nullable)
        model = self._new_model(pointer, hint, ModelKind.ENUM, schema)
        model.enum_base = base
        model.nullable = nullable
        extensions = extensions_of(schema)
        model.enum_open = extensions.get("x-sdkgen-open-enum", True) is not False
        names = naming.Namespace()
        descriptions = extensions.get("x-enum-descriptions")
        var_names = extensions.get("x-enum-varnames") or extensions.get("x-enumNames")
        for index, value in enumerate(values):
            preferred = var_names[index] if isinstance(var_names, list) and index < len(var_names) else value
            member_name = names.claim(naming.enum_member_name(preferred))
            described = descriptions[index] if isinstance(descriptions, list) and index < len(descriptions) else None
            model.members.append(EnumMember(value, Ident(member_name, member_name), _text(described)))
        return with_nullable(ModelRef(pointer), nullable)

    # ------------------------------------------------------------------ models

    def _claim_name(self, hint: str) -> Ident:
        return Ident(
            self.py_names.claim(naming.py_class_name(hint), ""),
            self.ts_names.claim(naming.ts_type_name(hint), ""),
        )

    def _new_model(
        self, pointer: str, hint: str, kind: ModelKind, schema: SchemaLike, *, key: str | None = None
    ) -> Model:
        key = key or pointer
        component = _component_name(key)
        name = self._component_ident(component) if component is not None else self._claim_name(hint)
        view = schema if isinstance(schema, (v3_0.Schema, v3_1.Schema)) else None
        model = Model(
            key=key,
            name=name,
            kind=kind,
            origin=key,  # the pointer, or `<pointer>/type/object` for the object part of a multi-type schema
            description=_text(sibling(schema, "description"))
            or (view.description if view else None)
            or (_text(_allof_annotations(view).get("description")) if view and view.allOf else None),
            deprecated=bool(view.deprecated) if view else False,
            extensions=extensions_of(schema),
            examples=examples_of(view) if view else [],
        )
        self.models[key] = model
        return model

    def _component_ident(self, component: str) -> Ident:
        if component not in self._component_idents:
            self._component_idents[component] = self._claim_name(component)
        return self._component_idents[component]

    # ------------------------------------------------------------------ discriminators

    def finish(self) -> None:
        """Tag each discriminated variant with its literal value, or drop a discriminator we cannot honour.

        Every dropped discriminator is decided first, then removed from every type in one pass, so a
        dropped union nested in another dropped union loses its discriminator as well, in any order.
        """
        dropped: set[_UnionKey] = set()
        checkable: list[tuple[str, UnionType, Discriminator, dict[str, tuple[str, ...]]]] = []
        for pointer, union in self._unions:
            disc = union.discriminator
            assert disc is not None
            values_by_key: dict[str, list[str]] = {}
            for value, key in disc.mapping:
                values_by_key.setdefault(follow_aliases(self.models, key), []).append(value)
            tags: dict[str, tuple[str, ...]] = {}  # the object model of each variant (an alias names one too)
            for part in union.variants:
                key = follow_aliases(self.models, part.key) if isinstance(part, ModelRef) else ""
                model = self.models.get(key)
                if model is None or model.kind is not ModelKind.OBJECT or key not in values_by_key:
                    break
                tags[key] = tuple(values_by_key[key])
            else:
                checkable.append((pointer, union, disc, tags))
                continue
            self._warn(
                pointer, f"discriminator {disc.property!r} cannot be checked on every variant; read as a plain union"
            )
            dropped.add((union.variants, disc))
        # A variant of several discriminated unions takes every tag they give it (`Cat` is "cat" in one, "feline" in
        # another); a union two of whose variants would then share a tag cannot be discriminated, and is dropped.
        while True:
            assigned: dict[tuple[str, str], tuple[Any, ...]] = {}
            for _, _, disc, tags in checkable:
                for key, values in tags.items():
                    known = assigned.get((key, disc.property), ())
                    assigned[(key, disc.property)] = known + tuple(v for v in values if v not in known)
            clash = next((c for c in checkable if _shared_tag(c[3], c[2].property, assigned)), None)
            if clash is None:
                break
            self._warn(
                clash[0], f"discriminator {clash[2].property!r}: two variants share a value; read as a plain union"
            )
            dropped.add((clash[1].variants, clash[2]))
            checkable.remove(clash)
        self._dropped = frozenset(dropped)
        if dropped:
            for model in self.models.values():
                if model.target is not None:
                    model.target = self.fix(model.target)
                if model.additional_properties is not None:
                    model.additional_properties = self.fix(model.additional_properties)
                for prop in model.properties:
                    prop.type = self.fix(prop.type)
        for (key, prop_name), values in assigned.items():
            model = self.models[key]
            for prop in model.properties:
                if prop.wire == prop_name:
                    prop.type = LiteralType(self._typed_tags(prop.type, values))
                    if prop.required or len(prop.type.values) != 1:
                        prop.required = True
                    else:  # the spec lets the variant leave its one tag out (`GET /cats/1` answers a Cat): absent is it
                        prop.has_default, prop.default = True, prop.type.values[0]
                    break
            else:
                py_names = naming.Namespace(p.name.py for p in model.properties)
                single = len(values) == 1  # undeclared, so not required: one tag is its default, as above
                model.properties.append(
                    Property(
                        wire=prop_name,
                        name=Ident(py_names.claim(naming.py_identifier(prop_name, fallback="field")), prop_name),
                        type=LiteralType(values),
                        required=not single,
                        has_default=single,
                        default=values[0] if single else None,
                    )
                )

    def _typed_tags(self, t: TypeRef, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """A mapping's keys are strings; on an integer property (`v: {type: integer, enum: [1]}`) the payload
        carries numbers, so the tags are those numbers."""
        if isinstance(t, ModelRef) and t.key in self.models and self.models[t.key].kind is ModelKind.ENUM:
            integer = self.models[t.key].enum_base is PrimitiveKind.INTEGER
        elif isinstance(t, LiteralType):
            integer = all(isinstance(v, int) and not isinstance(v, bool) for v in t.values)
        else:
            integer = isinstance(t, Primitive) and t.kind is PrimitiveKind.INTEGER
        if integer and all(isinstance(v, str) and re.fullmatch(r"-?\d+", v) for v in values):
            return tuple(dict.fromkeys(int(v) for v in values))
        return values

    @property
    def drops_discriminators(self) -> bool:
        """`finish` read some discriminated union as a plain one: types converted before need `fix`."""
        return bool(self._dropped)

    def fix(self, t: TypeRef) -> TypeRef:
        """A type as finally decided (discriminators that could not be honoured removed)."""
        return _without_dropped(t, self._dropped) if self._dropped else t

    # ------------------------------------------------------------------ helpers

    def _has_unsupported(self, schema: SchemaObject) -> bool:
        extra = schema.__pydantic_extra__ or {}
        return bool(schema.__dict__.get("schema_not") or schema.__dict__.get("schema_if") or extra.get("not"))

    def _warn_unsupported(self, schema: SchemaObject, pointer: str) -> None:
        self._warn(pointer, "not / if-then-else cannot be expressed as a type; read as any value")

    def _warn(self, pointer: str, message: str) -> None:
        self.diagnostics.append(warning("loose-type", message, self.locate(pointer)))


class _Unresolved(Exception):
    def __init__(self, ref: str, pointer: str):
        self.ref = ref
        self.pointer = pointer


def _without_dropped(t: TypeRef, dropped: frozenset[_UnionKey]) -> TypeRef:
    """`t` with the discriminator of every union in `dropped` removed, at any depth; `t` itself when none is."""
    if isinstance(t, UnionType):
        variants = tuple(_without_dropped(v, dropped) for v in t.variants)
        discriminator = t.discriminator
        if discriminator is not None and (t.variants, discriminator) in dropped:
            discriminator = None
        if discriminator is t.discriminator and all(a is b for a, b in zip(variants, t.variants, strict=True)):
            return t
        return UnionType(variants, discriminator, t.nullable)
    if isinstance(t, ArrayType):
        items = _without_dropped(t.items, dropped)
        return t if items is t.items else ArrayType(items, t.nullable, t.constraints)
    if isinstance(t, MapType):
        values = _without_dropped(t.values, dropped)
        return t if values is t.values else MapType(values, t.nullable)
    return t


_REFERENCES = (v3_0.Reference, v3_1.Reference)
_SCHEMA_CLASSES = frozenset({v3_0.Schema, v3_1.Schema})


def ref_of(node: Any) -> str | None:
    if node.__class__ in _SCHEMA_CLASSES:  # the common case first: a schema, `$ref` only as an extra key
        extra = node.__pydantic_extra__
        if extra:
            ref = extra.get("$ref")
            return ref if isinstance(ref, str) else None
        return None
    if isinstance(node, _REFERENCES):
        return node.ref
    if isinstance(node, BaseModel):
        extra = node.__pydantic_extra__  # what `model_extra` returns, without the property call
        if extra:
            ref = extra.get("$ref")
            return ref if isinstance(ref, str) else None
    return None


def sibling(node: Any, key: str) -> Any:
    """A keyword beside `$ref` (3.1 allows them; many 3.0 specs use them anyway)."""
    if isinstance(node, _REFERENCES):
        extra = node.__pydantic_extra__ or {}
        if key == "description":
            # a field of 3.1 references; 3.0 ones have none, and reading the attribute would find the extra key
            return node.__dict__.get("description") or extra.get(key)
        return extra.get(key)
    if isinstance(node, BaseModel):
        return (node.__pydantic_extra__ or {}).get(key)
    return None


def _null_in_siblings(node: Any) -> bool:
    types = sibling(node, "type")
    return isinstance(types, list) and "null" in types


# keywords that describe a value without constraining it: an allOf part of only these adds no type
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "nullable"}
    | {"externalDocs", "xml", "$comment"}
)


# the last token of the key of a model merged from several declarations of one property (`_intersection`)
_MERGED = "x-sdkgen-merged"


def _says_nullable(schema: SchemaObject, types: list[str] | None = None) -> bool:
    """Whether the schema admits null: a `null` type (3.1) or `nullable: true` (3.0, or beside a 3.1 type).
    `types`: the schema's `types_of`, when the caller has it already."""
    extra = schema.__pydantic_extra__
    return (
        "null" in (types_of(schema) if types is None else types)
        or bool(schema.__dict__.get("nullable"))
        or bool(extra.get("nullable") if extra else None)
    )


def _plain(node: object) -> TypeGuard[SchemaObject]:
    """An inline schema that neither composes others nor lists values."""
    return (
        isinstance(node, (v3_0.Schema, v3_1.Schema))
        and not (node.allOf or node.anyOf or node.oneOf)
        and node.enum is None
        and not has_const(node)
    )


def _inline_object(node: object) -> TypeGuard[SchemaObject]:
    """An inline object schema with properties or `required` of its own (no `$ref`, no composition)."""
    return (
        _plain(node)
        and [t for t in types_of(node) if t != "null"] in ([], ["object"])
        and bool(node.properties or node.required)
    )


def _inline_array(node: object) -> TypeGuard[SchemaObject]:
    return _plain(node) and [t for t in types_of(node) if t != "null"] == ["array"]


def _annotates_only(member: SchemaLike) -> bool:
    """An allOf part that is no reference and sets only annotations (and `x-` extensions)."""
    if member.__class__ not in _SCHEMA_CLASSES or ref_of(member) is not None:
        return False
    return all(key in _ANNOTATIONS or key.startswith("x-") for key in member.__pydantic_fields_set__)


def _allof_annotations(schema: SchemaObject) -> dict[str, Any]:
    """What the annotation-only allOf parts of `schema` say (`description`, `readOnly`, ...), the first part first."""
    found: dict[str, Any] = {}
    for member in schema.allOf or []:
        if _annotates_only(member):
            values = {**(member.__pydantic_extra__ or {}), **member.__dict__}
            for key in member.__pydantic_fields_set__:
                if key in _ANNOTATIONS and key not in found:
                    found[key] = values.get(key)
    return found


def _flag_of(extra: dict[str, Any], own: dict[str, Any], name: str) -> bool:
    """A boolean keyword of a property: beside its `$ref` first, else on the schema itself."""
    value = extra.get(name)
    return bool(value if value is not None else own.get(name))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def examples_of(schema: SchemaObject) -> list[Any]:
    """`examples` (3.1, a list) then `example` (3.0), as plain JSON values."""
    found: list[Any] = []
    fields = schema.__pydantic_fields_set__  # what `model_fields_set` returns, without the property call
    extra = schema.__pydantic_extra__ or {}
    listed = schema.__dict__.get("examples") if "examples" in fields else extra.get("examples")
    if isinstance(listed, list):
        found.extend(listed)
    if "example" in fields:
        found.append(schema.example)
    return found


_TYPE_NAMES: dict[Any, str] = {
    **{member: str(member.value) for member in v3_0.DataType},
    **{member: str(member.value) for member in v3_1.DataType},
}
# the same names by the members' classes: hashing an enum member runs Python code, a class lookup does not
_DATA_TYPES = frozenset({v3_0.DataType, v3_1.DataType})


def _type_name(raw: Any) -> str:
    if raw.__class__ in _DATA_TYPES:
        return _TYPE_NAMES[raw]
    return _TYPE_NAMES.get(raw) or str(raw)


def types_of(schema: SchemaObject) -> list[str]:
    raw = schema.type
    if raw is None:
        return []
    if raw.__class__ in _DATA_TYPES:
        return [raw._value_]
    if not isinstance(raw, list):
        return [_type_name(raw)]
    return [_type_name(t) for t in raw]


def has_const(schema: SchemaObject) -> bool:
    if "const" in schema.__pydantic_fields_set__:
        return True
    extra = schema.__pydantic_extra__
    return bool(extra and "const" in extra)


def const_of(schema: SchemaObject) -> Any:
    if "const" in schema.__pydantic_fields_set__:
        return getattr(schema, "const", None)
    return (schema.__pydantic_extra__ or {}).get("const")


_CONSTRAINT_FIELDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength"}
    | {"pattern", "minItems", "maxItems", "uniqueItems"}
)
_NONE = Constraints()


def constraints_of(schema: SchemaObject) -> Constraints:
    if _CONSTRAINT_FIELDS.isdisjoint(schema.__pydantic_fields_set__):
        return _NONE
    exclusive_min = schema.exclusiveMinimum
    exclusive_max = schema.exclusiveMaximum
    minimum, maximum = schema.minimum, schema.maximum
    ex_min: float | None = None
    ex_max: float | None = None
    if isinstance(exclusive_min, bool):
        if exclusive_min and minimum is not None:
            ex_min, minimum = minimum, None
    elif exclusive_min is not None:
        ex_min = exclusive_min
    if isinstance(exclusive_max, bool):
        if exclusive_max and maximum is not None:
            ex_max, maximum = maximum, None
    elif exclusive_max is not None:
        ex_max = exclusive_max
    return Constraints(
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=ex_min,
        exclusive_maximum=ex_max,
        multiple_of=schema.multipleOf,
        min_length=schema.minLength,
        max_length=schema.maxLength,
        pattern=_pattern(schema.pattern),
        min_items=schema.minItems,
        max_items=schema.maxItems,
        unique_items=schema.uniqueItems is True,
    )


def _unshadow(model: Model) -> None:
    """No property's Python name is another property's wire name. Models read a key by its wire name and, for
    construction by attribute name, by its Python name too: `_type` named `type` beside a wire `type` took the
    other property's value when its own key was absent (rudder's `method-parameter`). A property whose Python
    name is its wire name keeps it; the other is renamed (`type_2`)."""
    wires = {p.wire for p in model.properties}
    clashing = [p for p in model.properties if p.name.py != p.wire and p.name.py in wires]
    if not clashing:
        return
    held = {p.name.py: p for p in clashing}
    # a property named otherwise only because a clashing one held its wire name takes it back
    for p in model.properties:
        wanted = p.wire in held and held.get(p.name.py) is not p
        if wanted and naming.py_identifier(p.wire, reserved=_PY_FIELD_RESERVED) == p.wire:
            p.name = Ident(p.wire, p.name.ts)
    names = naming.Namespace(_PY_FIELD_RESERVED | wires | {p.name.py for p in model.properties})
    for p in clashing:
        p.name = Ident(names.claim(p.name.py), p.name.ts)


_REGEX_LITERAL = re.compile(r"/(.*)/([a-z]*)", re.DOTALL)


def _pattern(pattern: str | None) -> str | None:
    """A pattern written as a JavaScript regex literal (`/^[0-9]{5}$/i`, as sinao's spec does) is the expression
    inside, its flags inline (`(?i)^[0-9]{5}$`): taken as written, it matches nothing a client would send. Only a
    literal that is plainly one (flags, or the expression anchored) is read so."""
    match = _REGEX_LITERAL.fullmatch(pattern) if pattern is not None else None
    if match is None:
        return pattern
    inner, flags = match.groups()
    if set(flags) - set("dgimsuy") or not (flags or inner.startswith("^") or inner.endswith("$")):
        return pattern
    inline = "".join(flag for flag in flags if flag in "ims")
    return f"(?{inline}){inner}" if inline else inner


_AT_START = ("AT_BEGINNING", "AT_BEGINNING_STRING")
_AT_END = ("AT_END", "AT_END_STRING")


@lru_cache(maxsize=4096)
def pattern_conflict(pattern: str, min_length: int | None, max_length: int | None) -> str | None:
    """Why no string can match `pattern` within the lengths, if none can: a start anchor after text it must consume
    or an end anchor before it (Azure's `' ^[-\\w._()]+$'`, a space before `^`; `.*/^[0-9]{12}$/.*`), more
    characters than `maxLength` allows (App Runner's 36-character UUID pattern on a 32-character id), or, anchored
    at both ends, fewer than `minLength` needs. Such a pattern only refuses, which the service plainly does not.
    Read with Python's parser; what it cannot parse is left alone (None), as are the anchors of alternatives,
    groups and multi-line mode."""
    try:
        parsed = parse_pattern(pattern)
        low, high = parsed.getwidth()
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    anchors = not parsed.state.flags & re.MULTILINE  # `^` and `$` match at the text's ends only
    items = list(parsed)
    if anchors:
        branches = [list(b) for b in items[0][1][1]] if len(items) == 1 and str(items[0][0]) == "BRANCH" else [items]
        if all(_unmatchable_sequence(branch) for branch in branches):
            return "an anchor inside it"
    if max_length is not None and low > max_length:
        return f"it needs at least {low} characters, maxLength is {max_length}"
    anchored = anchors and len(items) >= 2 and _is_at(items[0], _AT_START) and _is_at(items[-1], _AT_END)
    if anchored and min_length is not None and high < min_length:
        return f"it allows at most {high} characters, minLength is {min_length}"
    return None


def _is_at(item: Any, anchors: tuple[str, ...]) -> bool:
    return str(item[0]) == "AT" and str(item[1]) in anchors


def _unmatchable_sequence(items: list[Any]) -> bool:
    for index, item in enumerate(items):
        if _is_at(item, _AT_START) and _min_width(items[:index]) > 0:
            return True
        if _is_at(item, _AT_END):
            after = items[index + 1 :]
            newline = len(after) == 1 and str(after[0][0]) == "LITERAL" and after[0][1] == ord("\n")
            if _min_width(after) > 0 and not newline:  # `$` also matches before a final newline
                return True
    return False


def _min_width(items: list[Any]) -> int:
    if not items:
        return 0
    sub = sre_parse.SubPattern(sre_parse.State(), items)
    return int(sub.getwidth()[0])


def _is_component(pointer: str) -> bool:
    return _component_name(pointer) is not None


_COMPONENT_PREFIX = "components/schemas/"


def _set_key_bounds(model: Model, sources: list[SchemaObject]) -> None:
    """`additionalProperties: false`, minProperties and maxProperties of the schemas a model merges. Closed if any
    part is (allOf's parts are written as one object: a closed base means no key beyond the merged properties);
    the tightest bounds win."""
    model.closed = any(s.additionalProperties is False for s in sources)
    lows = [s.minProperties for s in sources if isinstance(s.minProperties, int) and s.minProperties > 0]
    highs = [s.maxProperties for s in sources if isinstance(s.maxProperties, int) and s.maxProperties >= 0]
    model.min_properties = max(lows) if lows else None
    model.max_properties = min(highs) if highs else None


def _without_required(schema: SchemaObject, names: set[str], pointer: str) -> tuple[SchemaObject, str]:
    """`schema` (a source of a merged model, at `pointer`) without these names in its `required`."""
    if not schema.required or not names & set(schema.required):
        return schema, pointer
    return schema.model_copy(update={"required": [w for w in schema.required if w not in names] or None}), pointer


def _component_name(pointer: str) -> str | None:
    """`X` for `/components/schemas/X`, else None (the tokens of `split_pointer`, without splitting every pointer)."""
    stripped = pointer.lstrip("/")
    if not stripped.startswith(_COMPONENT_PREFIX):
        return None
    name = stripped[len(_COMPONENT_PREFIX) :]
    return None if "/" in name else unescape_pointer_token(name)


def _content_format(encoding: object, media_type: object) -> str | None:
    """OpenAPI 3.1 spells binary data with content keywords instead of `format`.

    `contentEncoding: base64` is base64 text ("byte"); a `contentMediaType` that is not textual, without an
    encoding, is raw bytes ("binary"): a file field of a multipart body (`contentMediaType: image/png`).
    """
    if isinstance(encoding, str):
        return "byte" if encoding.lower() in ("base64", "base64url") else None
    if not isinstance(media_type, str):
        return None
    media = media_type.split(";", 1)[0].strip().lower()
    textual = media.startswith("text/") or media.endswith(("json", "xml", "+yaml", "/yaml", "javascript", "csv"))
    return None if textual or not media else "binary"


def _shared_tag(tags: dict[str, tuple[str, ...]], prop: str, assigned: dict[tuple[str, str], tuple[Any, ...]]) -> bool:
    """Whether two variants of one union would carry a common tag value."""
    seen: set[Any] = set()
    for key in tags:
        values = set(assigned[(key, prop)])
        if values & seen:
            return True
        seen |= values
    return False


def _without_self(t: TypeRef, pointer: str) -> TypeRef:
    """The type a recursive alias at `pointer` stands for, less the alias itself as a member of its own union
    (`V: anyOf: [$ref: V, integer]` is `integer`: a union containing itself adds nothing, and type checkers
    refuse it); a schema that is only itself is any value."""
    if isinstance(t, ModelRef) and t.key == pointer:
        return AnyType(t.nullable)
    if isinstance(t, UnionType):
        variants = tuple(v for v in t.variants if not (isinstance(v, ModelRef) and v.key == pointer))
        nullable = t.nullable or any(isinstance(v, ModelRef) and v.key == pointer and v.nullable for v in t.variants)
        if not variants:
            return AnyType(nullable)
        if len(variants) != len(t.variants):
            return (
                with_nullable(variants[0], nullable)
                if len(variants) == 1
                else dataclasses.replace(t, variants=variants, nullable=nullable)
            )
    return t


def _is_false_schema(schema: Any) -> bool:
    """`false` as a schema (read as `{not: {}}`): no value is valid."""
    if not isinstance(schema, (v3_0.Schema, v3_1.Schema)):
        return False
    negated = schema.__dict__.get("schema_not") or (schema.__pydantic_extra__ or {}).get("not")
    if negated is None:
        return False
    fields = negated.model_dump(exclude_unset=True) if isinstance(negated, BaseModel) else negated
    return fields == {} and schema.model_dump(exclude_unset=True, by_alias=True).keys() <= {"not"}
