"""Parse a bundled document into openapi-pydantic models, turning validation errors into diagnostics.

Structure errors are errors. A malformed *schema* deep inside an otherwise sound document (a
3.1 construct in a 3.0 file, a boolean schema, a typo'd keyword value) is common in real
specs: it is repaired and reported as a warning, so that one bad property does not stop a
1,000-operation SDK. An invalid annotation or constraint (`examples`, `format`, `minimum`, ...)
is dropped and the schema kept; anything else makes the schema the nearest looser one.
Repairs copy only the containers on the changed path: the loaded source is never modified.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openapi_pydantic.v3 import v3_0, v3_1
from pydantic import ValidationError

from sdkgen.diagnostics import Diagnostic, Location, error, join_pointer, split_pointer, warning
from sdkgen.load.bundle import resolve_pointer
from sdkgen.load.normalise import (
    Edits,
    boolean_bounds,
    decode_refs,
    library_limits,
    misdirected_schema_refs,
    raw_schema_targets,
    ref_sites,
)
from sdkgen.load.structure import Kind, kind_at

OpenAPIModel = v3_0.OpenAPI | v3_1.OpenAPI

_MAX_REPAIR_ROUNDS = 8


def detect_version(data: Any, locate: Callable[[str], Location]) -> tuple[str | None, list[Diagnostic]]:
    if not isinstance(data, dict):
        return None, [error("not-openapi", "the document is not an object with an 'openapi' field", locate(""))]
    if "swagger" in data:
        return None, [
            error(
                "swagger-2",
                f"Swagger {data.get('swagger')} is not supported yet: convert it to OpenAPI 3"
                " (for example with swagger2openapi) and generate from the result",
                locate("/swagger"),
            )
        ]
    version = data.get("openapi")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        return None, [
            error(
                "not-openapi",
                f"the 'openapi' version must be a string such as \"3.0.3\", not the number {version}"
                " (quote it in YAML)",
                locate("/openapi"),
            )
        ]
    if not isinstance(version, str):
        return None, [error("not-openapi", "missing or non-string 'openapi' version field", locate("/openapi"))]
    if not (version.startswith("3.0") or version.startswith("3.1")):
        return None, [
            error(
                "unsupported-version", f"OpenAPI {version} is not supported (3.0.x and 3.1.x are)", locate("/openapi")
            )
        ]
    return version, []


def parse_openapi(
    data: dict[str, Any], version: str, locate: Callable[[str], Location]
) -> tuple[OpenAPIModel | None, dict[str, Any], list[Diagnostic]]:
    """Validate into the version's openapi-pydantic model; returns (model, possibly repaired data, diagnostics)."""
    model_class: type[v3_0.OpenAPI] | type[v3_1.OpenAPI] = v3_1.OpenAPI if version.startswith("3.1") else v3_0.OpenAPI
    edits = library_limits(data, version)
    sites, bounds = ref_sites(edits.data)
    if version.startswith("3.1"):
        boolean_bounds(bounds, edits)
    sites = decode_refs(sites, edits)
    diagnostics: list[Diagnostic] = misdirected_schema_refs(edits.data, sites, locate, edits)
    for pointer in raw_schema_targets(edits.data, sites, version):
        diagnostics += _repair_raw_schema(edits, pointer, version, locate)
    # the models pin the patch version; any 3.0.x / 3.1.x is read by the same rules
    pinned = "3.1.0" if version.startswith("3.1") else "3.0.3"
    for _ in range(_MAX_REPAIR_ROUNDS):
        try:
            return model_class.model_validate({**edits.data, "openapi": pinned}), edits.data, diagnostics
        except ValidationError as exc:
            deep = next((e for e in exc.errors() if e["type"] == "recursion_depth_exceeded"), None)
            if deep is not None:  # pydantic-core follows about 250 levels of nesting
                where = locate(_data_pointer(deep["loc"], edits.data))
                message = "the document nests too deeply to be read (pydantic follows about 250 levels)"
                return None, edits.data, [*diagnostics, error("too-deep", message, where)]
            problems = _problems(exc, edits.data)
        fatal = []
        repairs: dict[str, tuple[str, bool]] = {}
        for pointer, message in problems:
            schema_pointer = _enclosing_schema(pointer, edits.data)
            if schema_pointer is None:
                fatal.append(error("invalid-structure", message, locate(pointer)))
            else:
                _plan_repair(repairs, pointer, schema_pointer, message)
        if fatal:
            return None, edits.data, [*diagnostics, *_dedupe(fatal)]
        diagnostics += _apply_repairs(edits, repairs, version, locate)
    problem = error("invalid-structure", "the document could not be repaired", locate(""))
    return None, edits.data, [*diagnostics, problem]


def _repair_raw_schema(edits: Edits, pointer: str, version: str, locate: Callable[[str], Location]) -> list[Diagnostic]:
    """Validate one schema the document's model keeps as raw data; repair it like any other schema."""
    schema_class: type[v3_0.Schema] | type[v3_1.Schema] = v3_1.Schema if version.startswith("3.1") else v3_0.Schema
    diagnostics: list[Diagnostic] = []
    for _ in range(_MAX_REPAIR_ROUNDS):
        found, node = resolve_pointer(edits.data, pointer)
        if not found or isinstance(node, bool):
            break
        try:
            schema_class.model_validate(node)
            break
        except ValidationError as exc:
            problems = _problems(exc, node)
        repairs: dict[str, tuple[str, bool]] = {}
        for sub, message in problems:
            enclosing = _enclosing_schema(pointer + sub, edits.data)
            if enclosing is None or not (enclosing + "/").startswith(pointer + "/"):
                enclosing = pointer
            _plan_repair(repairs, pointer + sub, enclosing, message)
        diagnostics += _apply_repairs(edits, repairs, version, locate)
    return diagnostics


# Keywords that only describe or constrain a schema: an invalid one is dropped, and the schema kept.
_DROPPABLE = frozenset(
    {"example", "examples", "description", "title", "default", "deprecated", "readOnly", "writeOnly", "nullable"}
    | {"xml", "externalDocs", "$comment", "discriminator", "format", "pattern", "required", "uniqueItems"}
    | {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength"}
    | {"minItems", "maxItems", "minProperties", "maxProperties", "contentEncoding", "contentMediaType"}
)


def _plan_repair(repairs: dict[str, tuple[str, bool]], pointer: str, schema_pointer: str, message: str) -> None:
    """Plan to drop the invalid keyword (when it is droppable) or else to loosen the whole schema."""
    inside = split_pointer(pointer)[len(split_pointer(schema_pointer)) :]
    if inside and inside[0] in _DROPPABLE:
        repairs.setdefault(join_pointer(schema_pointer, inside[0]), (message, True))
    else:
        repairs.setdefault(schema_pointer, (message, False))


def _apply_repairs(
    edits: Edits, repairs: dict[str, tuple[str, bool]], version: str, locate: Callable[[str], Location]
) -> list[Diagnostic]:
    diagnostics = []
    for pointer, (message, drop) in sorted(repairs.items()):
        found, node = resolve_pointer(edits.data, pointer)
        if not found:
            continue  # inside a schema loosened just before
        if isinstance(node, bool) and version.startswith("3.1"):
            # a boolean schema is valid JSON Schema (3.1), which the models do not read: `{}` or `{not: {}}`
            edits.replace(pointer, _looser_schema(node, version))
            continue
        if drop:
            edits.delete(pointer)
            keyword = split_pointer(pointer)[-1]
            text = f"{message}; the invalid {keyword!r} is ignored"
        else:
            edits.replace(pointer, _looser_schema(node, version))
            text = f"{message}; the schema is read as a looser type"
        diagnostics.append(warning("invalid-schema", text, locate(pointer)))
    return diagnostics


def _problems(exc: ValidationError, data: Any) -> list[tuple[str, str]]:
    """(pointer, message) per error, dropping the noise of union branches that do not apply."""
    found: dict[str, str] = {}
    for err in exc.errors():
        pointer, node, ok = "", data, True
        for part in err["loc"]:
            child = _child(node, part)
            if child is not _MISSING:
                node = child
                pointer = join_pointer(pointer, part)
            elif part == "Reference" and isinstance(node, dict) and "$ref" not in node:
                ok = False  # this object is not a reference; its other branch says what is wrong
                break
            elif isinstance(node, dict) and "$ref" in node and part not in ("Reference", "$ref"):
                ok = False
                break
        if not ok:
            continue
        if err["type"] == "missing":
            field = err["loc"][-1]
            message = f"missing required field {field!r}"
        else:
            field = err["loc"][-1] if err["loc"] else ""
            message = (
                f"{field!r}: {err['msg']}"
                if isinstance(field, str) and field not in pointer.split("/")[-1:]
                else err["msg"]
            )
            message = f"invalid value: {message}"
        found.setdefault(pointer, message)
    if not found and exc.errors():
        found[""] = exc.errors()[0]["msg"]
    return sorted(found.items())


_MISSING = object()


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict) and isinstance(part, str) and part in node:
        return node[part]
    if isinstance(node, list) and isinstance(part, int) and part < len(node):
        return node[part]
    return _MISSING


def _enclosing_schema(pointer: str, data: Any) -> str | None:
    tokens = split_pointer(pointer)
    for n in range(len(tokens), 0, -1):
        if kind_at(tokens[:n], data) is Kind.SCHEMA:
            return join_pointer("", *tokens[:n])
    return None


def _looser_schema(schema: Any, version: str) -> dict[str, Any]:
    """The closest valid schema: boolean schemas, 3.1 type arrays in 3.0, else any value."""
    if schema is True or schema is None:
        return {}
    if schema is False:
        return {"not": {}}
    if not isinstance(schema, dict):
        return {}
    kept = {k: v for k, v in schema.items() if k in ("description", "title", "x-sdkgen-name") and isinstance(v, str)}
    types = schema.get("type")
    if isinstance(types, list) and all(isinstance(t, str) for t in types):
        real = [t for t in types if t != "null"]
        nullable = "null" in types
        if len(real) == 1:
            fixed = {k: v for k, v in schema.items() if k != "type"}
            fixed["type"] = real[0]
            if nullable and version.startswith("3.0"):
                fixed["nullable"] = True
            return fixed
        return {**kept, "anyOf": [{"type": t} for t in real], **({"nullable": True} if nullable else {})}
    return kept


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    result = []
    for d in diagnostics:
        key = (d.message, str(d.location))
        if key not in seen:
            seen.add(key)
            result.append(d)
    return result


def _data_pointer(loc: tuple[int | str, ...], data: Any) -> str:
    """The JSON pointer of a pydantic error location, leaving out the names of union members it tried."""
    parts = []
    node = data
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not in_list and not (isinstance(node, dict) and part in node):
            continue
        node = node[part]
        parts.append(str(part).replace("~", "~0").replace("/", "~1"))
    return "/" + "/".join(parts) if parts else ""
