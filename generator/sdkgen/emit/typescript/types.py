"""IR types → TypeScript type expressions, and spec text → safe TypeScript literals and comments."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from json.encoder import encode_basestring as _encode_string
from json.encoder import encode_basestring_ascii as _encode_string_ascii

from sdkgen.ir.model import (
    AnyType,
    Api,
    ArrayType,
    LiteralType,
    MapType,
    Model,
    ModelKind,
    ModelRef,
    NullType,
    Primitive,
    PrimitiveKind,
    TypeRef,
    UnionType,
)

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def ts_string(value: object) -> str:
    """Any text as a TypeScript string literal (quotes, backslashes, control characters, lone surrogates escaped)."""
    # What json.dumps(text, ensure_ascii=False) returns, without building an encoder per call.
    text = _encode_string(str(value))
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: escape everything
            text = _encode_string_ascii(str(value))
    return text


@lru_cache(maxsize=1 << 14)
def property_key(name: str) -> str:
    """A wire name as an object key or interface member: bare when it is an identifier, else quoted."""
    return name if _IDENTIFIER.match(name) else ts_string(name)


def object_key(name: str) -> str:
    """A wire name as a key of an object literal: `property_key`, but `__proto__` computed.

    In an object literal `__proto__: x` (quoted or not) sets the prototype instead of making a property.
    """
    return '["__proto__"]' if name == "__proto__" else property_key(name)


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name))


def doc_lines(text: str | None) -> list[str]:
    """Spec prose as the lines of a JSDoc comment: nothing in it can close the comment."""
    if not text:
        return []
    return list(doc_tuple(text))


# Characters a comment must not hold, besides line breaks and tabs: every character that is not printable
# (`str.isprintable`: controls, format characters, separators other than the space, surrogates, unassigned).
_ASCII_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@lru_cache(maxsize=1 << 14)
def doc_tuple(text: str) -> tuple[str, ...]:
    """`doc_lines` of a non-empty text, as a tuple shared between calls (specs repeat their prose)."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    cleaned = _printable(cleaned)
    cleaned = cleaned.replace("*/", "*\\/")
    lines = [line.rstrip() for line in cleaned.strip("\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return tuple(lines)


def _printable(text: str) -> str:
    """`text` with every character that is not printable, other than newlines and tabs, made a space."""
    if text.isascii():
        return _ASCII_UNPRINTABLE.sub(" ", text)
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return "".join(ch if ch in "\n\t" or ch.isprintable() else " " for ch in text)


def jsdoc(lines: Sequence[str], indent: str = "") -> str:
    """Doc lines (from `doc_lines`) as a JSDoc comment, each line ending in a newline; "" for none."""
    if not lines:
        return ""
    if len(lines) == 1:
        return f"{indent}/** {lines[0]} */\n"
    body = "".join(f"{indent} * {line}\n" if line else f"{indent} *\n" for line in lines)
    return f"{indent}/**\n{body}{indent} */\n"


def literal(value: str | int | float | bool) -> str | None:
    """A JSON scalar as a TypeScript literal type (None when it has none, e.g. infinity)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value >= 0 else f"-{-value}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return repr(value) if value >= 0 else "-" + repr(-value)
    return ts_string(value)


class TypeRenderer:
    """Renders IR types as TypeScript type expressions for one file.

    `prefix` qualifies model names (`models.` outside models.ts); with `input_names` the renderer
    writes request types, naming the input variant of models that have read-only or write-only
    fields; `files` renders binary strings as uploads; `cut` names models whose direct mention
    would close a cycle of type aliases (rendered as `unknown`).
    """

    def __init__(
        self,
        api: Api,
        *,
        prefix: str = "",
        input_names: Mapping[str, str] | None = None,
        files: bool = False,
        upload_type: str = "Uploadable",
    ):
        self.api = api
        self.prefix = prefix
        self.input_names = input_names
        self.files = files
        self.upload_type = upload_type
        self.cut: frozenset[str] = frozenset()
        self.used_models = False
        self.used_uploads = False

    def render(self, t: TypeRef) -> str:
        # The common cases first (a primitive or a model, perhaps nullable): what `_parts` would return.
        name = None
        if isinstance(t, Primitive):
            name = self._primitive(t)
        elif isinstance(t, ModelRef) and t.key not in self.cut:
            name = self.model_name(t.key)
        if name is not None and name != "unknown" and name != "null":
            return name + " | null" if t.nullable else name
        return " | ".join(self._parts(t, direct=True))

    def render_alias(self, t: TypeRef, cut: frozenset[str], key: str | None = None) -> str:
        """The target of a type alias `key`, with the references in `cut` broken.

        A union member that is the alias itself adds nothing to it (`Tree = string | Tree[] | Tree`):
        it is left out; other references in `cut` become `unknown`.
        """
        self.cut = cut
        try:
            if key is not None and key in cut and isinstance(t, UnionType):
                t = _without_self(t, key)
            return self.render(t)
        finally:
            self.cut = frozenset()

    def _parts(self, t: TypeRef, direct: bool) -> list[str]:
        parts = self._own_parts(t, direct)
        if t.nullable and not isinstance(t, (AnyType, NullType)) and "unknown" not in parts:
            parts.append("null")
        return _dedupe(parts)

    def _own_parts(self, t: TypeRef, direct: bool) -> list[str]:
        if isinstance(t, Primitive):
            return [self._primitive(t)]
        if isinstance(t, AnyType):
            return ["unknown"]
        if isinstance(t, NullType):
            return ["null"]
        if isinstance(t, LiteralType):
            literals = [literal(v) for v in t.values]
            if any(v is None for v in literals):
                return ["number"]
            return [v for v in literals if v is not None]
        if isinstance(t, ArrayType):
            items = self._parts(t.items, direct=False)
            inner = " | ".join(items)
            return [f"({inner})[]" if len(items) > 1 or " " in inner else f"{inner}[]"]
        if isinstance(t, MapType):
            values = " | ".join(self._parts(t.values, direct=False))
            return [f"{{ [key: string]: {values} }}"]
        if isinstance(t, UnionType):
            parts: list[str] = []
            for variant in t.variants:
                parts.extend(self._parts(variant, direct))
            if "unknown" in parts:
                return ["unknown"]
            return parts
        if isinstance(t, ModelRef):
            if direct and t.key in self.cut:
                return ["unknown"]
            return [self.model_name(t.key)]
        raise TypeError(f"unknown IR type {t!r}")  # pragma: no cover

    def _primitive(self, t: Primitive) -> str:
        kind = t.kind
        if kind is PrimitiveKind.STRING:
            if self.files and t.is_binary:
                self.used_uploads = True
                return self.upload_type
            return "string"
        if kind is PrimitiveKind.INTEGER or kind is PrimitiveKind.NUMBER:
            return "number"
        return "boolean"

    def model_name(self, key: str) -> str:
        self.used_models = True
        if self.input_names is not None and key in self.input_names:
            return self.prefix + self.input_names[key]
        return self.prefix + self.api.models[key].name.ts


def _without_self(t: UnionType, key: str) -> TypeRef:
    """A union without its direct members referring to model `key` (kept when nothing else is left)."""
    kept: list[TypeRef] = []
    nullable = t.nullable
    for variant in t.variants:
        if isinstance(variant, UnionType):
            variant = _without_self(variant, key)
        if isinstance(variant, ModelRef) and variant.key == key:
            nullable = nullable or variant.nullable
            continue
        kept.append(variant)
    if not kept:
        return t
    return replace(t, variants=tuple(kept), nullable=nullable)


def _dedupe(parts: list[str]) -> list[str]:
    unique = list(dict.fromkeys(parts))
    if "unknown" in unique:
        return ["unknown"]
    return unique


def mentioned(t: TypeRef, *, direct_only: bool = False) -> list[str]:
    """Keys of the models a type mentions (only outside arrays and maps with `direct_only`), once each."""
    if isinstance(t, ModelRef):
        return [t.key]
    found: list[str] = []
    _collect(t, found, direct_only)
    return list(dict.fromkeys(found)) if len(found) > 1 else found


def _collect(t: TypeRef, found: list[str], direct_only: bool) -> None:
    if isinstance(t, ModelRef):
        found.append(t.key)
    elif isinstance(t, ArrayType):
        if not direct_only:
            _collect(t.items, found, False)
    elif isinstance(t, MapType):
        if not direct_only:
            _collect(t.values, found, False)
    elif isinstance(t, UnionType):
        for variant in t.variants:
            _collect(variant, found, direct_only)


def model_types(model: Model) -> list[TypeRef]:
    """Every type a model mentions."""
    found = [p.type for p in model.properties]
    found += [t for t in (model.additional_properties, model.target) if t is not None]
    return found


def is_alias(model: Model) -> bool:
    return model.kind in (ModelKind.ALIAS, ModelKind.UNION)
