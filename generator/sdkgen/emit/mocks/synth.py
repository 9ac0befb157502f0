"""Synthesise a JSON value that is valid for an IR type: the spec's examples first, else built from the type.

An example is used only where it fits its type (`Synthesizer.fits`): specs often carry examples their own schemas
reject (a date-time written `Wed Jan 06 18:40:40 +0000 2021`, a required property left out), which the generated
SDK, validating the mock's answer, would refuse.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import json
import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pydantic

from sdkgen.emit.patterns import pattern_check
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
    PrimitiveKind,
    Property,
    TypeRef,
    UnionType,
)
from sdkgen.regextools import compile_pattern, parse_pattern

_STRING_FORMATS: dict[str, str] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "AA==",
    "binary": "",
}
_MAX_DEPTH = 6
# A spec may ask for more than a mock can hold (`minItems: 300000000`): sizes are capped, so a response stays
# small (it then falls short of such a minimum) and generation stays quick whatever the spec says.
_MAX_ITEMS = 100  # items of one array
_MAX_TEXT = 10_000  # characters of one string
_MAX_VALUES = 10_000  # array items in one response, all arrays together


class Synthesizer:
    def __init__(self, api: Api):
        self.api = api
        self.budget = _MAX_VALUES
        self.writing = False  # a request's value: write-only properties in, read-only ones out

    def response(self, t: TypeRef) -> Any:
        """A value of `t` for one response, within the size budget."""
        self.budget, self.writing = _MAX_VALUES, False
        return self.value(t)

    def request(self, t: TypeRef) -> Any:
        """A value of `t` for one request (a body, a parameter), within the size budget."""
        self.budget, self.writing = _MAX_VALUES, True
        try:
            return self.value(t)
        finally:
            self.writing = False

    def example(self, examples: Sequence[Any], t: TypeRef) -> tuple[bool, Any]:
        """(True, the first of `examples` that fits `t`), or (False, None) when none does."""
        for candidate in examples:
            if self.fits(candidate, t):
                return True, candidate
        return False, None

    def fits(self, value: Any, t: TypeRef, stack: tuple[tuple[int, str], ...] = ()) -> bool:
        """Whether a JSON value is one of type `t` as the generated code checks it: JSON types, formats that parse
        into other types (date-time, date, uuid), string lengths and patterns, numeric bounds, enum members and
        literals, required properties (not the write-only ones in a response), undeclared keys of a closed object
        (and those of a typed `additionalProperties`), array items, map values and union variants."""
        if value is None and not isinstance(t, (ModelRef, UnionType)):
            return t.nullable or isinstance(t, (NullType, AnyType))
        if isinstance(t, AnyType):
            return True
        if isinstance(t, Primitive):
            return _primitive_fits(value, t)
        if isinstance(t, LiteralType):
            return any(value == v and type(value) is type(v) for v in t.values)
        if isinstance(t, ArrayType):
            return isinstance(value, list) and all(self.fits(item, t.items, stack) for item in value)
        if isinstance(t, MapType):
            return isinstance(value, dict) and all(self.fits(item, t.values, stack) for item in value.values())
        if isinstance(t, UnionType):
            if value is None:
                return t.nullable or any(self.fits(None, variant, stack) for variant in t.variants)
            if t.discriminator is not None:  # the tag picks the variant (a value without one is refused)
                tag = value.get(t.discriminator.property) if isinstance(value, dict) else None
                key = next((key for value_tag, key in t.discriminator.mapping if value_tag == tag), None)
                return key is not None and self.fits(value, ModelRef(key), stack)
            return any(self.fits(value, variant, stack) for variant in t.variants)
        if isinstance(t, ModelRef):
            if value is None and (t.nullable or self.api.models[t.key].nullable):
                return True
            seen = (id(value), t.key)
            return seen in stack or self._model_fits(value, t.key, (*stack, seen))
        return False

    def _model_fits(self, value: Any, key: str, stack: tuple[tuple[int, str], ...]) -> bool:
        model = self.api.models[key]
        if value is None:
            return model.target is not None and self.fits(None, model.target, stack)
        if model.kind is ModelKind.ENUM:
            return any(value == m.value and type(value) is type(m.value) for m in model.members)
        if model.kind in (ModelKind.ALIAS, ModelKind.UNION):
            return model.target is not None and self.fits(value, model.target, stack)
        if not isinstance(value, dict):
            return False
        if len(value) < (model.min_properties or 0) or len(value) > (model.max_properties or len(value)):
            return False
        declared = {prop.wire for prop in model.properties}
        extras = [name for name in value if name not in declared]
        if extras and model.closed:  # `additionalProperties: false`: the server refuses an undeclared key
            return False
        extra_type = model.additional_properties
        if extra_type is not None and not all(self.fits(value[name], extra_type, stack) for name in extras):
            return False
        for prop in model.properties:
            skipped = prop.read_only if self.writing else prop.write_only
            if prop.wire not in value:
                if prop.required and not skipped:
                    return False
            elif not self.fits(value[prop.wire], prop.type, stack):
                return False
        return True

    def value(self, t: TypeRef, depth: int = 0, stack: tuple[str, ...] = ()) -> Any:
        if isinstance(t, ModelRef):
            if t.nullable and (t.key in stack or depth > _MAX_DEPTH):
                return None
            return self._model(t.key, depth, stack)
        if isinstance(t, Primitive):
            return _primitive(t)
        if isinstance(t, LiteralType):
            return t.values[0]
        if isinstance(t, NullType):
            return None
        if isinstance(t, AnyType):
            return {}
        if isinstance(t, ArrayType):
            count = t.constraints.min_items or (0 if depth > _MAX_DEPTH else 1)
            if count and isinstance(t.items, ModelRef) and t.items.key in stack:
                count = t.constraints.min_items or 0
            if t.constraints.max_items is not None:
                count = min(count, t.constraints.max_items)
            count = max(0, min(count, _MAX_ITEMS, self.budget))
            self.budget -= count
            items = [self.value(t.items, depth + 1, stack) for _ in range(count)]
            return self._distinct(items, t.items) if t.constraints.unique_items and count > 1 else items
        if isinstance(t, MapType):  # one entry, as an array has one item (an empty map is sent as nothing at all)
            recursive = isinstance(t.values, ModelRef) and t.values.key in stack
            if depth > _MAX_DEPTH or recursive or self.budget < 1:
                return {}
            self.budget -= 1
            return {"key": self.value(t.values, depth + 1, stack)}
        if isinstance(t, UnionType):
            variant = self._pick(t, stack)
            value = self.value(variant, depth, stack)
            if t.discriminator is not None and isinstance(value, dict) and isinstance(variant, ModelRef):
                tag = next((tag for tag, key in t.discriminator.mapping if key == variant.key), None)
                if tag is not None and value.get(t.discriminator.property) != tag:
                    value = {**value, t.discriminator.property: tag}  # a copy: the value may be a spec example
            return value
        raise TypeError(f"unknown IR type {t!r}")  # pragma: no cover

    def _distinct(self, items: list[Any], t: TypeRef) -> list[Any]:
        """`uniqueItems`: each item that repeats an earlier one replaced by a variant of it that fits `t` (another
        enum member, a number moved by its index, a string with its index added), where one does."""
        seen: set[str] = set()
        result = []
        for index, item in enumerate(items):
            key = json.dumps(item, sort_keys=True, default=repr)
            if key in seen:
                for candidate in self._variants(item, t, index):
                    candidate_key = json.dumps(candidate, sort_keys=True, default=repr)
                    if candidate_key not in seen and self.fits(candidate, t):
                        item, key = candidate, candidate_key
                        break
            seen.add(key)
            result.append(item)
        return result

    def _variants(self, item: Any, t: TypeRef, index: int) -> list[Any]:
        listed: list[Any] = []
        resolved = self.api.unaliased(t)
        if isinstance(resolved, LiteralType):
            listed = list(resolved.values)
        elif isinstance(resolved, ModelRef) and self.api.models[resolved.key].kind is ModelKind.ENUM:
            listed = [member.value for member in self.api.models[resolved.key].members]
        if isinstance(item, bool):
            return [*listed, not item]
        if isinstance(item, int | float):
            return [*listed, item + index, item - index, type(item)(index)]
        if isinstance(item, str):
            return [*listed, f"{item}{index}", f"{index}{item}", item + item[-1:] * index]
        return listed

    def _pick(self, t: UnionType, stack: tuple[str, ...]) -> TypeRef:
        for variant in t.variants:  # prefer a variant that does not recurse
            if not (isinstance(variant, ModelRef) and variant.key in stack):
                return variant
        return t.variants[0]

    def _model(self, key: str, depth: int, stack: tuple[str, ...]) -> Any:
        model = self.api.models[key]
        found, example = self.example(model.examples, ModelRef(key))
        if found:
            return example
        if model.kind is ModelKind.ENUM:
            return model.members[0].value
        if model.kind in (ModelKind.ALIAS, ModelKind.UNION):
            assert model.target is not None
            return self.value(model.target, depth, (*stack, key))
        # optional properties deep down or recursing are left out, unless `minProperties` needs them
        kept: list[Property] = []
        left_out: list[Property] = []
        for p in model.properties:
            if not (p.read_only if self.writing else p.write_only):
                keep = p.required or (depth <= 2 and not _recurses(p.type, (*stack, key)))
                (kept if keep else left_out).append(p)
        if model.max_properties is not None and len(kept) > model.max_properties:  # optional ones go first
            optional = [p for p in kept if not p.required]
            extra = len(kept) - max(model.max_properties, len(kept) - len(optional))
            kept = [p for p in kept if p.required] + optional[: len(optional) - extra]
        result: dict[str, Any] = {}
        for prop in kept + left_out[: max(0, (model.min_properties or 0) - len(kept))]:
            found, example = self.example(prop.examples, prop.type)
            result[prop.wire] = example if found else self.value(prop.type, depth + 1, (*stack, key))
        return result


_UUID = re.compile(r"(?:urn:uuid:)?[0-9a-fA-F]{8}(-?)[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{12}")


def _uuid(text: str) -> object:
    """A UUID as pydantic reads one (all four hyphens or none; `uuid.UUID` also takes `8-4-4-16`)."""
    if not _UUID.fullmatch(text):
        raise ValueError(text)
    return uuid.UUID(text)


def _matching(pattern: str) -> Callable[[str], object]:
    compiled = compile_pattern(pattern)

    def check(text: str) -> object:
        if not compiled.fullmatch(text):
            raise ValueError(text)
        return text

    return check


@functools.cache
def _pydantic_reader(tp: type) -> Callable[[str], object]:
    return pydantic.TypeAdapter(tp).validate_python


def _read_by_pydantic(tp: type) -> Callable[[str], object]:
    """A reader of text as the generated Python models read it (pydantic's own parser: `datetime.fromisoformat`
    also takes ISO 8601's basic format, `20170214T1215Z`, which they refuse); its ValidationError is a ValueError."""
    return lambda text: _pydantic_reader(tp)(text)


# the formats the generated code parses or checks (the server's `_runtime.checks` for uri and email)
_PARSED_FORMATS: dict[str, Callable[[str], object]] = {
    "date-time": _read_by_pydantic(datetime.datetime),
    "date": _read_by_pydantic(datetime.date),
    "uuid": _uuid,
    "uri": _matching(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]+"),
    "email": _matching(r"[^@\s]+@[^@\s]+"),
    "ipv4": ipaddress.IPv4Address,
    "ipv6": ipaddress.IPv6Address,
}


def _primitive_fits(value: Any, t: Primitive) -> bool:
    c = t.constraints
    if t.kind is PrimitiveKind.BOOLEAN:
        return isinstance(value, bool)
    if t.kind in (PrimitiveKind.INTEGER, PrimitiveKind.NUMBER):
        if isinstance(value, bool) or not isinstance(value, int if t.kind is PrimitiveKind.INTEGER else (int, float)):
            return False
        return not (
            (c.minimum is not None and value < c.minimum)
            or (c.maximum is not None and value > c.maximum)
            or (c.exclusive_minimum is not None and value <= c.exclusive_minimum)
            or (c.exclusive_maximum is not None and value >= c.exclusive_maximum)
        )
    if not isinstance(value, str):
        return False
    if (c.min_length is not None and len(value) < c.min_length) or (
        c.max_length is not None and len(value) > c.max_length
    ):
        return False
    if c.pattern and not _matches(c.pattern, value):
        return False
    return _format_reads(t.format, value)


def _recurses(t: TypeRef, stack: tuple[str, ...]) -> bool:
    if isinstance(t, ModelRef):
        return t.key in stack
    if isinstance(t, ArrayType):
        return _recurses(t.items, stack)
    return False


def _primitive(t: Primitive) -> Any:
    c: Constraints = t.constraints
    if t.kind is PrimitiveKind.BOOLEAN:
        return True
    if t.kind in (PrimitiveKind.INTEGER, PrimitiveKind.NUMBER):
        lower = c.minimum if c.minimum is not None else c.exclusive_minimum
        upper = c.maximum if c.maximum is not None else c.exclusive_maximum
        if t.kind is PrimitiveKind.NUMBER and lower is not None and upper is not None and lower < upper:
            number = (lower + upper) / 2  # `exclusiveMinimum: 0, exclusiveMaximum: 1` leaves no room for ±1
        elif lower is not None:
            number = lower if c.minimum is not None else lower + 1
        elif upper is not None:
            number = min(upper if c.maximum is not None else upper - 1, 1)
        else:
            number = 1
        if c.multiple_of:
            number = c.multiple_of * max(1, round(number / c.multiple_of))
        return int(number) if t.kind is PrimitiveKind.INTEGER else float(number)
    text = _STRING_FORMATS.get(t.format or "", "string")
    if t.format == "date-time" and not _length_fits(text, c.min_length, c.max_length):
        text = _sized_datetime(c.min_length or 0, c.max_length) or text
    if c.pattern and not _matches(c.pattern, text):
        matching = _from_pattern(c.pattern, c.min_length or 0)
        if matching is not None and not _format_reads(t.format, matching):
            # `\d{4}-\d{2}-\d{2}` of a date: 0000-00-00 has no month 0; 1111-11-11 is a date
            ones = _from_pattern(c.pattern, c.min_length or 0, digit="1")
            matching = ones if ones is not None and _format_reads(t.format, ones) else matching
        if matching is not None and not _format_reads(t.format, matching):
            # the pattern's string after the format's own value (`.+/v[0-1]$` of a uri: https://example.com/a/v0)
            joined = text.rstrip("/") + "/" + matching.lstrip("/")
            if _matches(c.pattern, joined) and _format_reads(t.format, joined):
                matching = joined
        text = matching if matching is not None else text
    if c.min_length is not None and len(text) < c.min_length:
        need = min(c.min_length, _MAX_TEXT) - len(text)
        # `[0-9a-f]+` with minLength 40: forty of its last character; `[1-9][0-9]*-...`: more of its first
        longer = [text + text[-1] * need, text[0] * need + text] if text else []
        text = next((t for t in longer if not c.pattern or _matches(c.pattern, t)), text + "x" * need)
    if c.max_length is not None and len(text) > c.max_length:
        text = text[: c.max_length]
    return text


def _format_reads(format_: str | None, text: str) -> bool:
    """Whether the generated code reads `text` as a value of its format (true for formats it does not check)."""
    parse = _PARSED_FORMATS.get(format_ or "")
    if parse is None:
        return True
    try:
        parse(text)
    except ValueError:
        return False
    return True


def _length_fits(text: str, low: int | None, high: int | None) -> bool:
    return (low is None or len(text) >= low) and (high is None or len(text) <= high)


def _sized_datetime(low: int, high: int | None) -> str | None:
    """A date-time whose length is within bounds (`minLength: 25`: padding would break it), spelled with fractional
    seconds and a `Z` or `+00:00` offset; None if no spelling fits."""
    for digits in range(64):
        fraction = "." + "0" * digits if digits else ""
        for zone in ("Z", "+00:00"):
            text = f"2024-01-01T00:00:00{fraction}{zone}"
            if _length_fits(text, low, high):
                return text
    return None


def _matches(pattern: str, text: str) -> bool:
    """As the generated server checks it (in linear time); a pattern it cannot check is nobody's to enforce."""
    check = pattern_check(pattern)
    return check is None or check(text)


def _from_pattern(pattern: str, min_length: int, digit: str = "0") -> str | None:
    """The shortest string the stdlib's own regex parser says matches `pattern` (None if unsure); where that is
    shorter than `min_length`, the shortest long enough with each repeat taken at least n times: n doubled until
    one is, then the least n between (AppSync's ARN, 70 to 75 characters: a doubling overshot to 77, and the
    cut to `maxLength` broke the pattern). A digit the pattern leaves open is `digit` where it may be."""
    try:
        tokens = list(parse_pattern(pattern))
        text = _emit(tokens, min_length, digit=digit)
        grow = 1
        while len(text) < min_length and grow < 2 * min(min_length, _MAX_TEXT):  # the last try is >= min_length
            longer = _emit(tokens, min_length, grow, digit)
            if len(longer) >= min_length and _matches(pattern, longer):
                low, high = grow // 2, grow  # too short at `low` (or 0), long enough at `high`
                while high - low > 1:
                    middle = (low + high) // 2
                    candidate = _emit(tokens, min_length, middle, digit)
                    if len(candidate) >= min_length and _matches(pattern, candidate):
                        high, longer = middle, candidate
                    else:
                        low = middle
                return longer
            grow *= 2
    except (re.error, RecursionError, ValueError, TypeError):
        return None
    return text if _matches(pattern, text) else None


_CATEGORY_CHARS = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
}


def _emit(tokens: list[Any], min_length: int = 0, grow: int = 0, digit: str = "0") -> str:
    """A string matching the parsed pattern: each repeat at its minimum (`grow`: at least that many times, within
    its maximum)."""
    out = []
    alone = sum(1 for op, _ in tokens if str(op) != "AT") == 1  # `^[0-9]*$`: its one repeat makes the length
    for op, arg in tokens:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_char_in(arg, digit))
        elif name == "CATEGORY":
            out.append(digit if str(arg) == "CATEGORY_DIGIT" else _CATEGORY_CHARS.get(str(arg), "a"))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = max(low, min(min_length, high) if min_length and alone else low)
            if grow:
                count = max(count, min(grow, high))
            piece = _emit(list(sub), 0, grow, digit)
            out.append(piece * min(count, _MAX_TEXT // max(1, len(piece))))
        elif name == "SUBPATTERN":
            out.append(_emit(list(arg[-1]), min_length if alone else 0, grow, digit))
        elif name == "BRANCH":
            out.append(_emit(list(arg[1][0]), 0, grow, digit))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            raise ValueError(name)
    return "".join(out)


def _char_in(items: list[Any], digit: str = "0") -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    allowed: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            allowed.append(chr(arg))
        elif name == "RANGE":
            low, high = arg
            allowed.append(digit if not negate and low <= ord(digit) <= high else chr(low))
        elif name == "CATEGORY":
            allowed.append(digit if str(arg) == "CATEGORY_DIGIT" else _CATEGORY_CHARS.get(str(arg), "a"))
    if not negate:
        return allowed[0] if allowed else "a"
    return next(ch for ch in "a0_-xZ9 " if ch not in allowed)
