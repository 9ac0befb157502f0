"""Before validation: adapt valid OpenAPI that openapi-pydantic cannot read, and fence off `$ref`s the IR cannot follow.

- `x-` extensions are allowed inside the Paths, Responses and Callback objects, which the models
  type as plain maps: they are left out of the validated document (nothing downstream reads them).
- OpenAPI 3.0 allows a `$ref` in place of a Callback object; the 3.0 models do not: it is inlined.
- A schema whose `$ref` leads to something that is not a schema (a response, a parameter, ...)
  cannot be a type: it is read as any value, with a warning at the `$ref`.
- A schema reached by `$ref` inside a keyword the models keep as raw data (`definitions`, 3.1
  `$defs`, unknown keywords) is never validated with the document; it is validated here, so that
  a broken one is repaired and reported like any other schema.

Every change is made on copies along the changed path: the loaded source data is never modified.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import unquote

from openapi_pydantic.v3 import v3_0, v3_1

from sdkgen.diagnostics import Diagnostic, Location, join_pointer, split_pointer, warning
from sdkgen.load.bundle import resolve_pointer
from sdkgen.load.structure import HTTP_METHODS, REFERABLE, Kind, child_kind, member_kinds

_DELETE = object()


@dataclass(frozen=True)
class RefSite:
    pointer: str  # the object holding the `$ref`
    kind: Kind  # what the object should be: a schema, a parameter, ...
    ref: str


def schema_fields(version: str) -> frozenset[str]:
    """The schema keywords the version's model validates; anything else is kept as raw data."""
    schema = v3_1.Schema if version.startswith("3.1") else v3_0.Schema
    return frozenset((f.alias or name) for name, f in schema.model_fields.items())


class Edits:
    """Changes to a JSON document, applied by copying only the containers on each changed path."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.changed = False

    def replace(self, pointer: str, value: Any) -> None:
        self._apply(split_pointer(pointer), value)

    def delete(self, pointer: str) -> None:
        self._apply(split_pointer(pointer), _DELETE)

    def _apply(self, tokens: list[str], value: Any) -> None:
        if not tokens:
            return
        self.data = _copy_with(self.data, tokens, value)
        self.changed = True


def _copy_with(node: Any, tokens: list[str], value: Any) -> Any:
    head, rest = tokens[0], tokens[1:]
    if isinstance(node, dict):
        copy = dict(node)
        if rest:
            copy[head] = _copy_with(node[head], rest, value)
        elif value is _DELETE:
            copy.pop(head, None)
        else:
            copy[head] = value
        return copy
    if isinstance(node, list):
        items = list(node)
        index = int(head)
        if rest:
            items[index] = _copy_with(node[index], rest, value)
        elif value is _DELETE:
            del items[index]
        else:
            items[index] = value
        return items
    return node


# ---------------------------------------------------------------------------- what the models cannot read


def library_limits(data: dict[str, Any], version: str) -> Edits:
    """Drop `x-` keys the models reject and (3.0) inline `$ref`'d callbacks."""
    edits = Edits(data)
    is_30 = not version.startswith("3.1")
    for pointer, item in _path_items(data):
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            op_pointer = join_pointer(pointer, method)
            responses = operation.get("responses")
            if isinstance(responses, dict):
                for key in [k for k in responses if isinstance(k, str) and k.startswith("x-")]:
                    edits.delete(join_pointer(op_pointer, "responses", key))
            callbacks = operation.get("callbacks")
            if not isinstance(callbacks, dict):
                continue
            for name, callback in callbacks.items():
                cb_pointer = join_pointer(op_pointer, "callbacks", name)
                if is_30 and isinstance(callback, dict) and isinstance(callback.get("$ref"), str):
                    target = _local_target(data, callback["$ref"])
                    if isinstance(target, dict):
                        edits.replace(cb_pointer, target)
                        callback = target
                if isinstance(callback, dict):
                    for key in [k for k in callback if isinstance(k, str) and k.startswith("x-")]:
                        edits.delete(join_pointer(cb_pointer, key))
    for section in ("paths", "webhooks"):
        paths = data.get(section)
        if isinstance(paths, dict):
            for key in [k for k in paths if isinstance(k, str) and k.startswith("x-")]:
                edits.delete(join_pointer("", section, key))
    components = data.get("components")
    if isinstance(components, dict) and isinstance(components.get("callbacks"), dict):
        for name, callback in components["callbacks"].items():
            if isinstance(callback, dict):
                for key in [k for k in callback if isinstance(k, str) and k.startswith("x-")]:
                    edits.delete(join_pointer("/components/callbacks", name, key))
    return edits


def _path_items(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every path item of the document, including those of callbacks (at any depth) and components."""
    pending: list[tuple[str, Any]] = []
    for section in ("paths", "webhooks"):
        paths = data.get(section)
        if isinstance(paths, dict):
            pending += [(join_pointer("", section, k), v) for k, v in paths.items()]
    components = data.get("components")
    if isinstance(components, dict):
        for section in ("pathItems",):
            items = components.get(section)
            if isinstance(items, dict):
                pending += [(join_pointer("/components", section, k), v) for k, v in items.items()]
        callbacks = components.get("callbacks")
        if isinstance(callbacks, dict):
            for name, callback in callbacks.items():
                if isinstance(callback, dict):
                    pending += [(join_pointer("/components/callbacks", name, k), v) for k, v in callback.items()]
    seen: set[int] = set()
    while pending:
        pointer, item = pending.pop(0)
        if not isinstance(item, dict) or id(item) in seen:
            continue
        seen.add(id(item))
        yield pointer, item
        for method in HTTP_METHODS:
            operation = item.get(method)
            callbacks = operation.get("callbacks") if isinstance(operation, dict) else None
            if isinstance(callbacks, dict):
                for name, callback in callbacks.items():
                    if isinstance(callback, dict):
                        base = join_pointer(pointer, method, "callbacks", name)
                        pending += [(join_pointer(base, k), v) for k, v in callback.items()]


def _local_target(data: Any, ref: str) -> Any:
    if not ref.startswith("#"):
        return None
    found, value = resolve_pointer(data, unquote(ref[1:]))
    return value if found else None


# ---------------------------------------------------------------------------- schema `$ref`s


def ref_sites(data: Any) -> tuple[list[RefSite], list[str]]:
    """Every `$ref` of the document's structure (examples, defaults and extensions are not walked), and the
    pointers of the schemas with a boolean `exclusiveMinimum` / `exclusiveMaximum` (see `boolean_bounds`)."""
    walk = _RefWalk()
    walk.walk(data, _Step.of(Kind.DOCUMENT))
    return walk.found, walk.bounds


def boolean_bounds(pointers: list[str], edits: Edits) -> None:
    """3.1 (JSON Schema 2020-12) bounds are numbers; a spec written in the draft-4 style of 3.0 has
    `exclusiveMaximum: true` beside `maximum`, which the 3.1 models would read as the number 1. Rewritten
    to the 3.1 form: `exclusiveMaximum: <maximum>` (false: the plain `maximum` stays)."""
    for pointer in pointers:
        found, schema = resolve_pointer(edits.data, pointer)
        if not found or not isinstance(schema, dict):
            continue
        fixed = dict(schema)
        for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            flag = fixed.get(exclusive)
            if not isinstance(flag, bool):
                continue
            del fixed[exclusive]
            if flag and isinstance(fixed.get(bound), (int, float)) and not isinstance(fixed[bound], bool):
                fixed[exclusive] = fixed.pop(bound)
        edits.replace(pointer, fixed)


class _Step:
    """What `child_kind` says about the members of one kind of object, decided once for whole-document walks.

    The walk visits every object of the document's structure, tens of thousands in a large spec; with the
    answers linked here it never hashes a `Kind` (an enum member's hash is Python code).
    """

    __slots__ = ("each", "fields", "is_schema", "kind", "referable")
    _all: ClassVar[dict[Kind, _Step]] = {}

    def __init__(self, kind: Kind):
        self.kind = kind
        self.referable = kind in REFERABLE
        self.is_schema = kind is Kind.SCHEMA
        self.each: _Step | None = None  # the step of every member, for a map or a list
        self.fields: dict[str, _Step] = {}  # the steps of named members; others are data

    @classmethod
    def of(cls, kind: Kind) -> _Step:
        if not cls._all:
            steps = {k: cls(k) for k in Kind}
            for k, step in steps.items():
                each, fields = member_kinds(k)
                step.each = steps[each] if each is not None else None
                step.fields = {name: steps[sub] for name, sub in fields.items() if sub is not Kind.DATA}
            cls._all.update(steps)
        return cls._all[kind]


class _RefWalk:
    def __init__(self) -> None:
        self.found: list[RefSite] = []
        self.bounds: list[str] = []  # schemas with a boolean exclusiveMinimum / exclusiveMaximum
        self.path: list[str | int] = []
        self.schema = _Step.of(Kind.SCHEMA)
        self.schema_list = _Step.of(Kind.SCHEMA_LIST)

    def walk(self, node: Any, step: _Step) -> None:
        path = self.path
        each = step.each
        fields = step.fields
        if isinstance(node, dict):
            if step.referable:
                ref = node.get("$ref")
                if isinstance(ref, str):
                    self.found.append(RefSite(join_pointer("", *path), step.kind, ref))
            is_schema = step.is_schema
            if is_schema and (
                isinstance(node.get("exclusiveMinimum"), bool) or isinstance(node.get("exclusiveMaximum"), bool)
            ):
                self.bounds.append(join_pointer("", *path))
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    sub: _Step | None
                    if isinstance(key, str) and key.startswith("x-"):
                        continue
                    if is_schema and key == "items":
                        sub = self.schema_list if isinstance(value, list) else self.schema
                    elif each is not None:
                        sub = each
                    else:
                        sub = fields.get(key if isinstance(key, str) else str(key))
                        if sub is None:
                            continue
                    path.append(key)
                    self.walk(value, sub)
                    path.pop()
        else:
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    sub = each if each is not None else fields.get(str(index))
                    if sub is not None:
                        path.append(index)
                        self.walk(value, sub)
                        path.pop()


def decode_refs(sites: list[RefSite], edits: Edits) -> list[RefSite]:
    """Local `$ref`s as plain JSON pointers: `#/paths/~1a~1%7Bid%7D` → `#/paths/~1a~1{id}`.

    A fragment is URI-encoded; every stage after the loader reads a `$ref` as a JSON pointer.
    """
    result = []
    for site in sites:
        if site.ref.startswith("#") and "%" in site.ref:
            decoded = "#" + unquote(site.ref[1:])
            edits.replace(join_pointer(site.pointer, "$ref"), decoded)
            site = RefSite(site.pointer, site.kind, decoded)
        result.append(site)
    return result


def target_of(data: Any, ref: str, fields: frozenset[str]) -> tuple[bool, Kind, bool]:
    """(found, kind of the object there, whether it lies inside raw data the models do not validate)."""
    if not ref.startswith("#"):
        return False, Kind.DATA, False
    kind = Kind.DOCUMENT
    node = data
    raw = False
    for token in split_pointer(unquote(ref[1:])):
        key: str | int = token
        if kind is Kind.SCHEMA and token not in fields:
            raw = True
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            key = int(token)
            node = node[key]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return False, Kind.DATA, raw
        kind = child_kind(kind, key, node) if kind is not Kind.DATA else Kind.DATA
    return True, kind, raw or kind is Kind.DATA


def misdirected_schema_refs(
    data: dict[str, Any], sites: list[RefSite], locate: Callable[[str], Location], edits: Edits
) -> list[Diagnostic]:
    """Schemas whose `$ref` leads to a response, a parameter, ...: read as any value."""
    diagnostics = []
    kinds: dict[str, tuple[bool, Kind]] = {}
    for site in sites:
        if site.kind is not Kind.SCHEMA:
            continue
        if site.ref not in kinds:
            found, kind, _ = target_of(data, site.ref, frozenset())
            kinds[site.ref] = (found, kind)
        found, kind = kinds[site.ref]
        if not found or kind in (Kind.SCHEMA, Kind.DATA):  # DATA: raw keywords, validated as schemas later
            continue
        _, node = resolve_pointer(edits.data, site.pointer)
        kept = {k: v for k, v in node.items() if k in ("description", "title")} if isinstance(node, dict) else {}
        edits.replace(site.pointer, kept)
        diagnostics.append(
            warning(
                "wrong-ref-target",
                f"$ref {site.ref!r} leads to a {kind.value}, not a schema; read as any value",
                locate(join_pointer(site.pointer, "$ref")),
            )
        )
    return diagnostics


def raw_schema_targets(data: Any, sites: list[RefSite], version: str) -> list[str]:
    """Pointers of schemas reached by `$ref` that the document's validation does not cover."""
    fields = schema_fields(version)
    result = []
    for ref in sorted({site.ref for site in sites if site.kind is Kind.SCHEMA}):
        found, kind, raw = target_of(data, ref, fields)
        if found and raw and kind in (Kind.SCHEMA, Kind.DATA):
            result.append(unquote(ref[1:]))
    return result
