"""JSON Schema 2020-12 identifiers inside a document: `$id` (a schema resource with its own URI) and `$anchor`.

OpenAPI 3.1 schemas may name themselves: `$id: https://example.com/pet` makes `$ref: https://example.com/pet`
(or, relative to a base, `$ref: pet`) refer to that schema without fetching anything, and `$anchor: pet` makes
`$ref: "#pet"` refer to it. A `$ref` inside a schema with an `$id` resolves against that `$id`. The index maps
each such URI to the file and JSON pointer of the schema, so that the bundler can rewrite every reference as a
plain pointer, the only kind the later stages know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from sdkgen.diagnostics import join_pointer
from sdkgen.load.structure import Kind, child_kind

# `$id`, `$anchor` or `$dynamicAnchor` as a key, in JSON or YAML: a document without any needs no index
IDENTIFIERS = re.compile(r"""\$(?:id|anchor|dynamicAnchor)["']?\s*:""")


@dataclass
class Resources:
    """The schema resources and anchors of one file."""

    base: str  # the file's own URI, the base of every reference outside a schema with an `$id`
    scopes: dict[str, str] = field(default_factory=dict)  # pointer of a schema with an `$id` -> its absolute URI
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)  # (resource URI, anchor) -> pointer
    # anchor -> pointer, whatever resource declares it: `#name` from the file's own base finds an anchor that
    # strictly belongs to an embedded resource (`$id` and `$anchor` on one schema), as other tools do
    loose: dict[str, str] = field(default_factory=dict)

    @property
    def names_anything(self) -> bool:
        return bool(self.scopes or self.anchors)

    def anchor(self, uri: str, name: str) -> str | None:
        found = self.anchors.get((uri, name))
        if found is None and uri == self.base:
            found = self.loose.get(name)
        return found

    def base_at(self, pointer: str) -> tuple[str, str]:
        """The base URI in force at `pointer` and the pointer of the resource it names ("" for the file)."""
        probe = pointer
        while self.scopes:
            uri = self.scopes.get(probe)
            if uri is not None:
                return uri, probe
            if not probe:
                break
            probe = probe.rsplit("/", 1)[0]
        return self.base, ""


_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


def scan(data: Any, base: str) -> Resources:
    """Every `$id` and `$anchor` of the schemas of a file whose URI is `base`.

    An OpenAPI document is walked by its structure; any other file (a file of schemas, one schema, a
    parameter) is walked whole, every object but data (examples, defaults, enums, extensions) taken for a
    schema: what the file holds is only known from the references to it.
    """
    resources = Resources(base)
    document = isinstance(data, dict) and "openapi" in data
    _scan(data, Kind.DOCUMENT if document else None, "", base, resources)
    return resources


def _scan(node: Any, kind: Kind | None, pointer: str, base: str, resources: Resources) -> None:
    """`kind` None: a file of unknown structure (see `scan`)."""
    if isinstance(node, dict):
        if kind is Kind.SCHEMA or kind is None:
            identifier = node.get("$id")
            if isinstance(identifier, str) and identifier.strip("#"):
                joined = _join(base, identifier)
                if joined is not None:  # not a URI (`http://[x`): not an identifier either
                    base = joined[0]
                    resources.scopes[pointer] = base
            for key in ("$anchor", "$dynamicAnchor"):
                anchor = node.get(key)
                if isinstance(anchor, str) and anchor:
                    resources.anchors.setdefault((base, anchor), pointer)
                    resources.loose.setdefault(anchor, pointer)
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in items:
        if isinstance(value, (dict, list)) and key != "$ref":
            if kind is None:
                if not (isinstance(key, str) and (key in _DATA_KEYS or key.startswith("x-"))):
                    _scan(value, None, join_pointer(pointer, key), base, resources)
                continue
            sub = child_kind(kind, key, value)
            if sub is not Kind.DATA:
                _scan(value, sub, join_pointer(pointer, key), base, resources)


def _join(base: str, reference: str) -> tuple[str, str] | None:
    """`reference` resolved against `base` (RFC 3986), as (URI without fragment, fragment); None if it is no URI."""
    try:
        return urldefrag(urljoin(base, reference))
    except ValueError:  # an invalid host (`http://[::1`)
        return None


@dataclass(frozen=True)
class Hit:
    """Where an identifier-relative reference lands: a file's URI and a pointer inside that file."""

    file_uri: str
    pointer: str
    # a `#/...` pointer inside a schema resource that did not resolve there; the caller tries the document root,
    # which is what every OpenAPI tool does with such pointers (strictly they are relative to the resource)
    fallback: str | None = None


class Index:
    """The identifiers of every file loaded so far."""

    def __init__(self) -> None:
        self.files: dict[str, Resources] = {}  # file URI -> its resources
        self.ids: dict[str, tuple[str, str]] = {}  # absolute `$id` -> (file URI, pointer)

    def add(self, resources: Resources) -> None:
        self.files[resources.base] = resources
        for pointer, uri in resources.scopes.items():
            self.ids.setdefault(uri, (resources.base, pointer))

    def resolve(self, ref: str, file_uri: str, pointer: str) -> Hit | None:
        """Where `ref`, found at `pointer` of the file `file_uri`, points, when identifiers decide it.

        None when they do not: a reference relative to the file itself (no `$id` around it) to a JSON
        pointer, or to another file, is left to the plain file-and-pointer resolution.
        """
        resources = self.files.get(file_uri)
        if resources is None:
            return None
        if not resources.scopes and not self.ids:
            fragment = ref.partition("#")[2]
            if not fragment or fragment.startswith("/"):
                return None  # no identifiers in play (the common case): skip the URI arithmetic
        base, _ = resources.base_at(pointer)
        joined = _join(base, ref)
        if joined is None:
            return None  # not a URI: the plain resolution reports it
        uri, fragment = joined
        fragment = unquote(fragment)
        resource = self.ids.get(uri)
        if resource is None:
            if uri in self.files:  # a file's own URI: its anchors, or a pointer from its root
                resource = (uri, "")
            else:
                return None
        target_file, root = resource
        if fragment and not fragment.startswith("/"):
            anchor = self.files[target_file].anchor(uri, fragment)
            return Hit(target_file, anchor) if anchor is not None else None
        if not root and base == file_uri:
            return None  # plain file-relative: the ordinary path handles it (and reports it)
        return Hit(target_file, root + fragment, fallback=fragment if root and fragment else None)
