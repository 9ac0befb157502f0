"""What kind of OpenAPI object sits at a place in a document.

The loader needs this to know what a `$ref` points at (a schema is hoisted under a name,
other objects are inlined) and to tell data (examples, defaults, extensions) from structure,
so that a `$ref` key inside an example is never followed.
"""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    DOCUMENT = "document"
    PATHS = "paths"
    PATH_ITEM = "path item"
    OPERATION = "operation"
    PARAMETER_LIST = "parameter list"
    PARAMETER = "parameter"
    REQUEST_BODY = "request body"
    RESPONSES = "responses"
    RESPONSE = "response"
    CONTENT = "content"
    MEDIA_TYPE = "media type"
    ENCODING_MAP = "encoding map"
    ENCODING = "encoding"
    HEADER_MAP = "header map"
    HEADER = "header"
    CALLBACK_MAP = "callback map"
    CALLBACK = "callback"
    EXAMPLE_MAP = "example map"
    EXAMPLE = "example"
    LINK_MAP = "link map"
    LINK = "link"
    COMPONENTS = "components"
    SCHEMA_MAP = "schema map"
    SCHEMA_LIST = "schema list"
    SCHEMA = "schema"
    PARAMETER_MAP = "parameter map"
    RESPONSE_MAP = "response map"
    REQUEST_BODY_MAP = "request body map"
    SECURITY_SCHEME_MAP = "security scheme map"
    SECURITY_SCHEME = "security scheme"
    DATA = "data"  # examples, defaults, extensions, info: never holds a reference


REFERABLE = frozenset(
    {
        Kind.PATH_ITEM,
        Kind.PARAMETER,
        Kind.REQUEST_BODY,
        Kind.RESPONSE,
        Kind.SCHEMA,
        Kind.HEADER,
        Kind.EXAMPLE,
        Kind.LINK,
        Kind.CALLBACK,
        Kind.SECURITY_SCHEME,
    }
)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_MAP_OF: dict[Kind, Kind] = {
    Kind.PATHS: Kind.PATH_ITEM,
    Kind.RESPONSES: Kind.RESPONSE,
    Kind.CONTENT: Kind.MEDIA_TYPE,
    Kind.ENCODING_MAP: Kind.ENCODING,
    Kind.HEADER_MAP: Kind.HEADER,
    Kind.CALLBACK_MAP: Kind.CALLBACK,
    Kind.CALLBACK: Kind.PATH_ITEM,
    Kind.EXAMPLE_MAP: Kind.EXAMPLE,
    Kind.LINK_MAP: Kind.LINK,
    Kind.SCHEMA_MAP: Kind.SCHEMA,
    Kind.SCHEMA_LIST: Kind.SCHEMA,
    Kind.PARAMETER_LIST: Kind.PARAMETER,
    Kind.PARAMETER_MAP: Kind.PARAMETER,
    Kind.RESPONSE_MAP: Kind.RESPONSE,
    Kind.REQUEST_BODY_MAP: Kind.REQUEST_BODY,
    Kind.SECURITY_SCHEME_MAP: Kind.SECURITY_SCHEME,
}

_FIELDS: dict[Kind, dict[str, Kind]] = {
    Kind.DOCUMENT: {"paths": Kind.PATHS, "webhooks": Kind.PATHS, "components": Kind.COMPONENTS},
    Kind.PATH_ITEM: {"parameters": Kind.PARAMETER_LIST, **{m: Kind.OPERATION for m in HTTP_METHODS}},
    Kind.OPERATION: {
        "parameters": Kind.PARAMETER_LIST,
        "requestBody": Kind.REQUEST_BODY,
        "responses": Kind.RESPONSES,
        "callbacks": Kind.CALLBACK_MAP,
    },
    Kind.PARAMETER: {"schema": Kind.SCHEMA, "content": Kind.CONTENT, "examples": Kind.EXAMPLE_MAP},
    Kind.HEADER: {"schema": Kind.SCHEMA, "content": Kind.CONTENT, "examples": Kind.EXAMPLE_MAP},
    Kind.REQUEST_BODY: {"content": Kind.CONTENT},
    Kind.RESPONSE: {"content": Kind.CONTENT, "headers": Kind.HEADER_MAP, "links": Kind.LINK_MAP},
    Kind.MEDIA_TYPE: {"schema": Kind.SCHEMA, "examples": Kind.EXAMPLE_MAP, "encoding": Kind.ENCODING_MAP},
    Kind.ENCODING: {"headers": Kind.HEADER_MAP},
    Kind.COMPONENTS: {
        "schemas": Kind.SCHEMA_MAP,
        "parameters": Kind.PARAMETER_MAP,
        "responses": Kind.RESPONSE_MAP,
        "requestBodies": Kind.REQUEST_BODY_MAP,
        "headers": Kind.HEADER_MAP,
        "examples": Kind.EXAMPLE_MAP,
        "securitySchemes": Kind.SECURITY_SCHEME_MAP,
        "links": Kind.LINK_MAP,
        "callbacks": Kind.CALLBACK_MAP,
        "pathItems": Kind.PATHS,
    },
    Kind.SCHEMA: {
        "properties": Kind.SCHEMA_MAP,
        "patternProperties": Kind.SCHEMA_MAP,
        "$defs": Kind.SCHEMA_MAP,
        "definitions": Kind.SCHEMA_MAP,
        "dependentSchemas": Kind.SCHEMA_MAP,
        "additionalProperties": Kind.SCHEMA,
        "not": Kind.SCHEMA,
        "if": Kind.SCHEMA,
        "then": Kind.SCHEMA,
        "else": Kind.SCHEMA,
        "contains": Kind.SCHEMA,
        "propertyNames": Kind.SCHEMA,
        "additionalItems": Kind.SCHEMA,
        "unevaluatedItems": Kind.SCHEMA,
        "unevaluatedProperties": Kind.SCHEMA,
        "contentSchema": Kind.SCHEMA,
        "allOf": Kind.SCHEMA_LIST,
        "anyOf": Kind.SCHEMA_LIST,
        "oneOf": Kind.SCHEMA_LIST,
        "prefixItems": Kind.SCHEMA_LIST,
    },
}


def child_kind(kind: Kind, key: str | int, value: object = None) -> Kind:
    """The kind of the value found under `key` inside an object of kind `kind`."""
    if isinstance(key, str) and key.startswith("x-"):
        return Kind.DATA
    if kind is Kind.SCHEMA and key == "items":
        return Kind.SCHEMA_LIST if isinstance(value, list) else Kind.SCHEMA
    if kind in _MAP_OF:
        return _MAP_OF[kind]
    return _FIELDS.get(kind, {}).get(str(key), Kind.DATA)


def member_kinds(kind: Kind) -> tuple[Kind | None, dict[str, Kind]]:
    """What `child_kind` says about every member of a `kind` object at once, for walks over whole documents.

    (the kind of each member when `kind` is a map or a list, else None; the kinds of its named fields).
    `child_kind` still decides first for `x-` keys (data) and a schema's `items` (a schema or a list).
    """
    return _MAP_OF.get(kind), _FIELDS.get(kind, {})


def kind_at(tokens: list[str], document: object) -> Kind:
    """The kind of the object at a pointer (given as tokens) inside a whole document."""
    kind = Kind.DOCUMENT
    node = document
    for token in tokens:
        key: str | int = token
        if isinstance(node, list):
            key = int(token) if token.isdigit() else token
            node = node[key] if isinstance(key, int) and key < len(node) else None
        elif isinstance(node, dict):
            node = node.get(token)
        else:
            node = None
        kind = child_kind(kind, key, node)
        if kind is Kind.DATA:
            return kind
    return kind
