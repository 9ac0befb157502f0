"""IR types → JSON Schema, for the parts of the OpenAPI document FastAPI cannot derive from annotations.

Error responses, extra media types and raw request bodies are declared to FastAPI as literal
OpenAPI objects. Object and enum models are generated classes, so they are referred to by name
(`#/components/schemas/<Class>`; the server completes the components at runtime); everything else
is written out inline, the way pydantic would describe the annotation.
"""

from __future__ import annotations

from typing import Any

from sdkgen.ir.model import (
    AnyType,
    Api,
    ArrayType,
    Constraints,
    LiteralType,
    MapType,
    ModelKind,
    ModelRef,
    NullType,
    Primitive,
    TypeRef,
    UnionType,
)

REF_PREFIX = "#/components/schemas/"
BINARY: dict[str, Any] = {"type": "string", "format": "binary"}

_CONSTRAINTS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusive_minimum": "exclusiveMinimum",
    "exclusive_maximum": "exclusiveMaximum",
    "multiple_of": "multipleOf",
    "min_length": "minLength",
    "max_length": "maxLength",
    "pattern": "pattern",
    "min_items": "minItems",
    "max_items": "maxItems",
}


class JsonSchemas:
    def __init__(self, api: Api):
        self.api = api

    def of(self, t: TypeRef, _stack: tuple[str, ...] = ()) -> dict[str, Any]:
        schema = self._of(t, _stack)
        nullable = t.nullable or (isinstance(t, ModelRef) and self.api.models[t.key].nullable)
        if nullable and not isinstance(t, (NullType, AnyType)):
            return {"anyOf": [schema, {"type": "null"}]}
        return schema

    def _of(self, t: TypeRef, stack: tuple[str, ...]) -> dict[str, Any]:
        if isinstance(t, Primitive):
            schema: dict[str, Any] = {"type": t.kind.value}
            if t.format:
                schema["format"] = t.format
            schema.update(constraints(t.constraints))
            return schema
        if isinstance(t, AnyType):
            return {}
        if isinstance(t, NullType):
            return {"type": "null"}
        if isinstance(t, LiteralType):
            if len(t.values) == 1:
                return {"const": t.values[0]}
            return {"enum": list(t.values)}
        if isinstance(t, ArrayType):
            return {"type": "array", "items": self.of(t.items, stack), **constraints(t.constraints)}
        if isinstance(t, MapType):
            return {"type": "object", "additionalProperties": self.of(t.values, stack)}
        if isinstance(t, UnionType):
            variants = [self.of(v, stack) for v in t.variants]
            if t.discriminator is None:
                return {"anyOf": variants}
            mapping = {str(tag): REF_PREFIX + self.api.models[key].name.py for tag, key in t.discriminator.mapping}
            return {"oneOf": variants, "discriminator": {"propertyName": t.discriminator.property, "mapping": mapping}}
        if isinstance(t, ModelRef):
            model = self.api.models[t.key]
            if model.kind in (ModelKind.OBJECT, ModelKind.ENUM):
                return {"$ref": REF_PREFIX + model.name.py}
            if model.target is None or t.key in stack:
                return {}
            return self.of(model.target, (*stack, t.key))
        raise TypeError(f"unknown IR type {t!r}")  # pragma: no cover


def constraints(c: Constraints) -> dict[str, Any]:
    if c.is_empty():
        return {}
    return {key: getattr(c, name) for name, key in _CONSTRAINTS.items() if getattr(c, name) is not None}
