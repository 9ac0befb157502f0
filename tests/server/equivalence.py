"""Are two OpenAPI documents equivalent? A normal form of each, compared into a list of differences.

The normal form keeps what a client or a server relies on, and drops what two faithful documents may
spell differently:

- operations: the set of (METHOD, path);
- per operation: its parameters as (name, in) → required and the JSON types of the schema (header
  names case-insensitive; `null` dropped, a parameter value is never JSON null); whether it has a
  request body, whether it is required, and per media type the body's schema; per response status,
  per media type the schema; the effective security (a set of alternatives, each a set of schemes);
- a schema, after resolving `$ref` and merging `allOf`: its JSON types (`type`, `nullable`, the types
  of `const`/`enum` values, and of `anyOf`/`oneOf` variants when there is one non-null variant), enum
  values, properties (names → schema), the required set (leaving out readOnly and writeOnly
  properties: they are required in one direction only), `items`, `additionalProperties` when it is a
  schema, and for unions the set of variant schemas (a discriminator property counts as required in
  each variant: OpenAPI asks for it; a required name no property declares counts as a property of any
  value, or of the additional properties' schema). Recursion stops after a few levels and at cycles;
- request and response bodies of media types the server passes through as bytes or text (neither
  JSON, nor forms) are compared by media type only: their schema describes a format (XML, images,
  files) the server does not parse.

Left out: descriptions, examples, titles, formats, defaults, discriminators, constraints, response
headers, operationIds, tags, component names (structure is compared after resolving refs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DEPTH = 4


@dataclass(frozen=True)
class Difference:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class Document:
    """One OpenAPI document with `$ref` resolution inside it."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        # OpenAPI 3.0 ignores the siblings of a `$ref`; 3.1 (JSON Schema 2020-12) applies them too.
        self.ref_siblings = str(data.get("openapi", "3.1")).startswith("3.1")

    def resolve(self, node: Any, seen: tuple[str, ...] = ()) -> tuple[Any, tuple[str, ...]]:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                return {"x-cycle": ref}, seen
            seen = (*seen, ref)
            target: Any = self.data
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, dict) else None
            siblings = {k: v for k, v in node.items() if k != "$ref"} if self.ref_siblings else {}
            node = {**target, **siblings} if isinstance(target, dict) and siblings else target
        return node, seen

    # ------------------------------------------------------------------ operations

    def operations(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The operations of the paths, then of the webhooks (3.1): keys `(METHOD, path)`, `(METHOD, "webhook N")`."""
        result: dict[tuple[str, str], dict[str, Any]] = {}
        for section, prefix in (("paths", ""), ("webhooks", "webhook ")):
            items = self.data.get(section)
            for path, item in (items if isinstance(items, dict) else {}).items():
                item, _ = self.resolve(item)
                if not isinstance(item, dict):
                    continue
                shared = item.get("parameters") or []
                for method in HTTP_METHODS:
                    op = item.get(method)
                    if isinstance(op, dict):
                        result[(method.upper(), prefix + path)] = self.operation(op, shared)
        return result

    def operation(self, op: dict[str, Any], shared: list[Any]) -> dict[str, Any]:
        parameters: dict[tuple[str, str], Any] = {}
        for node in [*shared, *(op.get("parameters") or [])]:
            param, _ = self.resolve(node)
            if not isinstance(param, dict) or "name" not in param:
                continue
            location = param.get("in", "")
            name = param["name"].lower() if location == "header" else param["name"]
            schema = param.get("schema")
            if schema is None and isinstance(param.get("content"), dict) and param["content"]:
                schema = next(iter(param["content"].values())).get("schema")
            types = self.shape(schema or {}, 1)["types"] - {"null"}
            parameters[(name, location)] = {
                "required": bool(param.get("required")) or location == "path",
                "types": types,
            }
        body: dict[str, Any] | None = None
        request, _ = self.resolve(op.get("requestBody"))
        if isinstance(request, dict):
            body = {
                "required": bool(request.get("required")),
                "content": {
                    media: _drop_null(self.body(media, content))
                    for media, content in (request.get("content") or {}).items()
                },
            }
        responses: dict[str, Any] = {}
        for status, node in (op.get("responses") or {}).items():
            response, _ = self.resolve(node)
            content = response.get("content") if isinstance(response, dict) else None
            if str(status) in ("204", "205", "304"):
                content = None  # no content, whatever a spec declares (RFC 9110; the IR reads them so)
            responses[str(status).upper() if str(status) != "default" else "default"] = {
                media: self.body(media, value) for media, value in (content or {}).items()
            }
        security = op.get("security", self.data.get("security"))
        alternatives = frozenset(frozenset(r) for r in security or [] if isinstance(r, dict))
        return {"parameters": parameters, "body": body, "responses": responses, "security": alternatives}

    def body(self, media: str, content: Any) -> dict[str, Any]:
        schema = (content or {}).get("schema") if isinstance(content, dict) else None
        return self.shape(schema or {}, DEPTH) if _parsed(media) else self.shape({}, 0)

    # ------------------------------------------------------------------ schemas

    def shape(self, schema: Any, depth: int, seen: tuple[str, ...] = ()) -> dict[str, Any]:
        schema, seen = self.resolve(schema, seen)
        result: dict[str, Any] = {"types": set(), "enum": set(), "properties": None, "required": set()}
        if not isinstance(schema, dict) or "x-cycle" in schema:
            return result
        parts = self._all_of(schema, seen)
        properties: dict[str, Any] = {}
        hidden: set[str] = set()
        valued: set[str] = set()  # the types of the enum/const values, which say more than `type`
        typed: list[set[str]] = []  # the types each part that declares some allows
        for part in parts:
            declared = part.get("type")
            types = set(declared) if isinstance(declared, list) else {declared} if declared else set()
            if types and part.get("nullable") is True:
                types.add("null")
            if types:
                typed.append(types)
            result["types"] |= types - {"null"}
            values = [part["const"]] if "const" in part else list(part.get("enum") or [])
            for value in values:
                valued.add(_json_type(value))
                if value is not None:
                    result["enum"].add(repr(value))
        # null, as sdkgen reads it: the schema itself says so, or every part that declares types allows it (allOf
        # holds for each part: `allOf: [nullable X, {type: object}]` is no nullable object), or a part saying
        # `nullable` where none declares a type
        itself = parts[-1]
        own = itself.get("type")
        if (
            itself.get("nullable") is True
            or (isinstance(own, list) and "null" in own)
            or own == "null"
            or (typed and all("null" in types for types in typed))
            or (not typed and any(part.get("nullable") is True for part in parts))
        ):
            result["types"].add("null")
        if valued - {"null"}:
            result["types"] = valued | (result["types"] & {"null"})
        declared: dict[str, list[Any]] = {}  # every part's declaration of each property
        for part in parts:
            result["required"] |= set(part.get("required") or [])
            for name, prop in (part.get("properties") or {}).items():
                declared.setdefault(name, []).append(prop)
                properties[name] = prop
                if self._directional(prop, seen):
                    hidden.add(name)
            if isinstance(part.get("items"), dict) and depth > 0:
                result["items"] = self.shape(part["items"], depth - 1, seen)
            extra = part.get("additionalProperties")
            if isinstance(extra, dict) and extra and depth > 0:
                result["additional"] = self.shape(extra, depth - 1, seen)
        for name, props in declared.items():
            if len(props) > 1:
                properties[name] = _intersection(props) or properties[name]
        variants = [v for part in parts for key in ("anyOf", "oneOf") for v in part.get(key) or []]
        shapes = [self.shape(v, depth, seen) for v in variants]
        tag = next(
            (p["discriminator"].get("propertyName") for p in parts if isinstance(p.get("discriminator"), dict)), None
        )
        for variant in shapes:
            if tag and variant["properties"] and tag in variant["properties"]:
                variant["required"].add(tag)
        for variant in shapes:  # `A | null` variants: the union is nullable, the variant is A
            if "null" in variant["types"]:
                result["types"].add("null")
                if variant["types"] != {"null"}:
                    variant["types"] = variant["types"] - {"null"}
        shapes = [s for s in shapes if not (s["types"] == {"null"} and not s["properties"])]
        if len(shapes) == 1 and not properties and not (result["types"] - {"null"}):
            merged = shapes[0]
            merged["types"] = merged["types"] | result["types"]
            merged["enum"] = merged["enum"] | result["enum"]
            return merged
        if shapes:
            result["union"] = shapes
            for s in shapes:
                result["types"] |= s["types"]
        if properties or "object" in result["types"]:
            # a required name no property declares must be present with any value (or the additional properties'
            # type): the property the IR makes of it says the same
            extra = next(
                (p["additionalProperties"] for p in parts if isinstance(p.get("additionalProperties"), dict)), {}
            )
            for name in sorted(result["required"] - set(properties)):
                properties[name] = extra
        if result["types"] - {"null", "object"}:
            properties = {}  # properties constrain objects only
        if properties:
            if not (result["types"] - {"null"}):
                result["types"].add("object")
            if depth > 0:
                result["properties"] = {name: self.shape(p, depth - 1, seen) for name, p in properties.items()}
            else:
                result["properties"] = dict.fromkeys(properties)
        if not (result["types"] - {"null"}) and "items" in result:
            result["types"].add("array")
        result["required"] -= hidden
        return result

    def _all_of(self, schema: dict[str, Any], seen: tuple[str, ...]) -> list[dict[str, Any]]:
        """The schema and every schema it merges in through `allOf`, however deep, in the IR's order: each member
        after the members it merges in, the members in their order, the schema itself last. Where parts declare
        one property differently, the later one stands (as in the IR), unless they are objects to intersect."""
        parts: list[dict[str, Any]] = []

        def visit(part: dict[str, Any], path: tuple[int, ...]) -> None:
            if any(part is p for p in parts) or id(part) in path:
                return
            for node in part.get("allOf") or []:
                resolved, _ = self.resolve(node, seen)
                if isinstance(resolved, dict) and "x-cycle" not in resolved:
                    visit(resolved, (*path, id(part)))
            parts.append(part)  # not reached again below itself: `path` stops cycles

        visit(schema, ())
        return parts

    def _directional(self, prop: Any, seen: tuple[str, ...]) -> bool:
        if isinstance(prop, dict) and (prop.get("readOnly") or prop.get("writeOnly")):
            return True
        resolved, _ = self.resolve(prop, seen)
        return isinstance(resolved, dict) and bool(resolved.get("readOnly") or resolved.get("writeOnly"))


def _plain(node: Any) -> bool:
    return isinstance(node, dict) and not any(k in node for k in ("$ref", "allOf", "anyOf", "oneOf", "enum", "const"))


def _kind(node: Any) -> str | None:
    """ "object" for an inline object schema with properties or `required` of its own, "array" for an inline
    array schema (no `$ref`, no composition, no listed values), else None."""
    if not _plain(node):
        return None
    declared = node.get("type")
    types = set(declared) - {"null"} if isinstance(declared, list) else {declared} - {None}
    if types <= {"object"} and (node.get("properties") or node.get("required")):
        return "object"
    return "array" if types == {"array"} else None


def _intersection(declarations: list[Any]) -> dict[str, Any] | None:
    """A property several allOf parts declare: when each declares an object of its own (or an array of such),
    a value satisfies them all, so it is their allOf; else None (one declaration stands)."""
    kinds = {_kind(d) for d in declarations}
    if kinds == {"object"} and any(d != declarations[0] for d in declarations):
        return {"allOf": declarations}
    if kinds == {"array"}:
        items = _intersection([d.get("items") for d in declarations])
        if items is not None:
            return {**declarations[-1], "items": items}
    return None


def _parsed(media: str) -> bool:
    """Whether a server parses bodies of this media type (JSON, forms), rather than passing bytes or text."""
    media = media.split(";")[0].strip().lower()
    return (
        media in ("application/json", "text/json", "application/x-json", "application/x-www-form-urlencoded")
        or media.endswith("+json")
        or media.startswith("multipart/")
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _drop_null(shape: dict[str, Any]) -> dict[str, Any]:
    """An optional request body may be documented as `X | null`: the absence of a body is not JSON null."""
    return {**shape, "types": shape["types"] - {"null"}} if shape["types"] != {"null"} else shape


# ---------------------------------------------------------------------- comparison


def differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[Difference]:
    """How `actual` (the served document) differs from `expected` (the spec), in the normal form above."""
    want = Document(expected).operations()
    got = Document(actual).operations()
    found: list[Difference] = []
    for key in sorted(set(want) | set(got)):
        where = f"{key[0]} {key[1]}"
        if key not in got:
            found.append(Difference(where, "operation missing"))
        elif key not in want:
            found.append(Difference(where, "operation not in the spec"))
        else:
            found.extend(_operation(where, want[key], got[key]))
    return found


def _operation(where: str, want: dict[str, Any], got: dict[str, Any]) -> Iterator[Difference]:
    for name, location in sorted(set(want["parameters"]) | set(got["parameters"])):
        at = f"{where} parameter {location} {name!r}"
        a, b = want["parameters"].get((name, location)), got["parameters"].get((name, location))
        if a is None or b is None:
            yield Difference(at, "missing" if b is None else "not in the spec")
            continue
        if a["required"] != b["required"]:
            yield Difference(at, f"required {a['required']} != {b['required']}")
        if a["types"] and b["types"] and a["types"] != b["types"]:
            yield Difference(at, f"type {sorted(a['types'])} != {sorted(b['types'])}")
    wb, gb = want["body"], got["body"]
    if (wb is None) != (gb is None):
        yield Difference(f"{where} request body", "missing" if gb is None else "not in the spec")
    elif wb is not None and gb is not None:
        if wb["required"] != gb["required"]:
            yield Difference(f"{where} request body", f"required {wb['required']} != {gb['required']}")
        yield from _contents(f"{where} request body", wb["content"], gb["content"])
    for status in sorted(set(want["responses"]) | set(got["responses"])):
        at = f"{where} response {status}"
        if status not in got["responses"]:
            yield Difference(at, "missing")
        elif status not in want["responses"]:
            yield Difference(at, "not in the spec")
        else:
            yield from _contents(at, want["responses"][status], got["responses"][status])
    if want["security"] != got["security"]:
        yield Difference(f"{where} security", f"{_security(want['security'])} != {_security(got['security'])}")


def _security(alternatives: frozenset[frozenset[str]]) -> str:
    return " | ".join(sorted("+".join(sorted(a)) or "(anonymous)" for a in alternatives)) or "(none)"


def _contents(where: str, want: dict[str, Any], got: dict[str, Any]) -> Iterator[Difference]:
    for media in sorted(set(want) | set(got)):
        if media not in got:
            yield Difference(f"{where} {media}", "missing")
        elif media not in want:
            yield Difference(f"{where} {media}", "not in the spec")
        else:
            yield from _schema(f"{where} {media}", want[media], got[media])


def _schema(where: str, want: dict[str, Any], got: dict[str, Any]) -> Iterator[Difference]:
    if want["types"] and got["types"] and want["types"] != got["types"]:
        yield Difference(where, f"type {sorted(want['types'])} != {sorted(got['types'])}")
    if want["enum"] and got["enum"] and want["enum"] != got["enum"]:
        yield Difference(where, f"enum {sorted(want['enum'])} != {sorted(got['enum'])}")
    wp, gp = want["properties"], got["properties"]
    if wp is not None and gp is not None:
        if set(wp) != set(gp):
            missing, extra = sorted(set(wp) - set(gp)), sorted(set(gp) - set(wp))
            yield Difference(where, f"properties missing {missing}, not in the spec {extra}")
        if want["required"] != got["required"]:
            yield Difference(where, f"required {sorted(want['required'])} != {sorted(got['required'])}")
        for name in sorted(set(wp) & set(gp)):
            if wp[name] is not None and gp[name] is not None:
                yield from _schema(f"{where} .{name}", wp[name], gp[name])
    elif (wp is None) != (gp is None) and want["types"] and got["types"]:
        yield Difference(where, "properties " + ("missing" if gp is None else "not in the spec"))
    if "items" in want and "items" in got:
        yield from _schema(f"{where} []", want["items"], got["items"])
    if "additional" in want and "additional" in got:
        yield from _schema(f"{where} {{*}}", want["additional"], got["additional"])
    wu, gu = want.get("union"), got.get("union")
    if wu and gu and len(wu) == len(gu):
        for i, (a, b) in enumerate(zip(_sorted_shapes(wu), _sorted_shapes(gu), strict=True)):
            yield from _schema(f"{where} |{i}", a, b)
    elif wu and gu:
        yield Difference(where, f"{len(wu)} union variants != {len(gu)}")


def _sorted_shapes(shapes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(shapes, key=lambda s: (sorted(s["types"]), sorted(s["properties"] or {}), sorted(s["enum"])))
