"""Identifiers from spec text: word splitting, case styles, reserved words, collisions.

Every name that reaches generated code passes through here, so spec text can never become
code: the result only ever holds ASCII letters, digits and underscores.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# A word: an acronym's plural (user`IDs`, `URLs`), an acronym before a capitalised word (`HTTP`Server, `AWS4`Auth), a
# capitalised or lower-case word, or an acronym. Digits stay with the letters before them, as people write them:
# `ipv4`, `oauth2`, `s3`, `v2`, `e2e`.
_WORD = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+[0-9]*(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z]+[0-9]*")

PY_KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"self", "cls"}
# Lower-case names the generated Python imports where classes are written (`import datetime`, `from functools
# import cached_property`): a class attribute of that name (a method, a field, a client's resource) would hide
# it from the annotations and statements of the class body after it.
PY_IMPORTED_NAMES = frozenset(
    {"builtins", "datetime", "enum", "fastapi", "httpx", "pydantic", "typing", "uuid", "cached_property"}
)
# Names the generated Python uses in annotations and bodies; a field or parameter must not shadow them
# (`frozenset`: a model's `_read_only_ = frozenset(...)` comes after its fields).
PY_TYPE_NAMES = (
    frozenset({"str", "int", "float", "bool", "bytes", "list", "dict", "object", "frozenset", "tuple"})
    | PY_IMPORTED_NAMES
    | {"request", "result", "page"}
)
# Every builtin function, type and constant of lower-case name (`dict`, `type`, `print`).
PY_BUILTINS = frozenset(name for name in dir(builtins) if name[:1].islower())
# Builtins a model class can be named after (exceptions and warnings: `Warning`, `Exception`), those of newer Pythons
# included. pydantic reads a class's annotations when the class is created: one naming such a model before the model
# is defined finds the builtin, so the emitters define these models before the classes that refer to them.
PY_BUILTIN_CLASS_NAMES = frozenset(name for name in dir(builtins) if name[:1].isupper()) | {
    "BaseExceptionGroup",
    "EncodingWarning",
    "ExceptionGroup",
    "PythonFinalizationError",
}
# Attributes of pydantic.BaseModel that a field must not shadow.
PY_MODEL_ATTRIBUTES = frozenset(
    {
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "copy",
        "dict",
        "json",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "construct",
        "schema",
        "schema_json",
        "validate",
        "update_forward_refs",
        "fields",
    }
)
# Names the generated Python binds at module level beside the API's models: what the models,
# resources, server models/routes/services and wrapper interface/adapter modules import (and the names
# the SDK evaluates endpoint types with, models first). A model may not take one (`Request` becomes
# `RequestModel`), or it would shadow the import or be shadowed by it. Kept complete by
# tests/python_sdk/test_reserved_names.py, which generates every Python target and reads the imports of
# each module that binds models; modules that bind none (`_client.py`, the packages' `__init__.py`) cannot
# clash, so their names (`NotFoundError`, `Result`...) stay free for models. Names no longer imported stay
# listed, so that models keep the names they had.
PY_RESERVED_CLASS_NAMES = frozenset(
    {
        # typing, collections.abc, typing_extensions, pydantic
        "Annotated",
        "Any",
        "ClassVar",
        "Dict",
        "List",
        "Literal",
        "Mapping",
        "Optional",
        "Protocol",
        "TypeAlias",
        "TypeAliasType",
        "Union",
        "BaseModel",
        "ConfigDict",
        "Field",
        "RootModel",
        "SkipJsonSchema",
        "TypeAdapter",
        "Enum",
        "IntEnum",
        "StrEnum",
        # the SDK's runtime (models: _models; resources: _base_client, _pagination, _types, _client)
        "OpenIntEnum",
        "OpenStrEnum",
        "Client",
        "AsyncClient",
        "Endpoint",
        "PageSpec",
        "Request",
        "RequestOptions",
        "Page",
        "SyncPage",
        "AsyncPage",
        "AsyncPaginator",
        "NotGiven",
        "FileContent",
        "FileTypes",
        "Headers",
        "Query",
        "Body",
        "Omit",
        # the wrapper's runtime (adapters)
        "ProviderError",
    }
)


def py_resource_classes(name: str) -> frozenset[str]:
    """The classes the Python emitters name after a resource's class name: the SDK's resource classes and
    the server's service base. They sit beside models, so resources are named to keep them off models' names."""
    sdk = (name + "Resource", "Async" + name + "Resource")
    wrappers = (cls + "With" + kind for cls in sdk for kind in ("RawResponse", "StreamingResponse"))
    return frozenset((*sdk, *wrappers, name + "ServiceBase"))


TS_RESERVED = frozenset(
    [
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "as",
        "implements",
        "interface",
        "let",
        "package",
        "private",
        "protected",
        "public",
        "static",
        "yield",
        "any",
        "boolean",
        "number",
        "string",
        "symbol",
        "type",
        "from",
        "of",
        "await",
        "async",
        "undefined",
        "never",
        "unknown",
        "object",
        "bigint",
        "declare",
        "module",
        "namespace",
        "require",
        "arguments",
        "eval",
    ]
)
# Names a TypeScript model may not take (`Date` becomes `DateModel`): the global types. Models are declared
# in `models.ts` alone, which imports nothing, and every other module (resources, client, index, the wrapper's
# adapters) binds them as one namespace (`import type * as models`, `export * as models`), so the runtime's
# names (`Client`, `APIError`, `Page`, `RequestOptions`, `Uploadable`, resource classes, params types) never
# meet a model's name and need no reserving; a global named in `models.ts` would be shadowed by a model of
# its name, and a model named like a global reads as one. tests/typescript/test_ts_reserved_names.py reads
# every generated module with tsc's parser and keeps both facts true: models bound by name only in
# `models.ts`, and every name `models.ts` refers to besides its models listed here. `Client`, `APIError`
# and `Page` stay listed so that models keep the names they had.
TS_RESERVED_TYPES = frozenset(
    [
        "Array",
        "Blob",
        "Boolean",
        "Date",
        "Error",
        "File",
        "FormData",
        "Headers",
        "Map",
        "Number",
        "Object",
        "Partial",
        "Pick",
        "Omit",
        "Promise",
        "ReadonlyArray",
        "Record",
        "Request",
        "RequestInit",
        "Response",
        "Set",
        "String",
        "Symbol",
        "URL",
        "URLSearchParams",
        "AbortSignal",
        "Uint8Array",
        "ArrayBuffer",
        "Readonly",
        "Required",
        "Exclude",
        "Extract",
        "NonNullable",
        "ReturnType",
        "Function",
        "Iterable",
        "AsyncIterable",
        "JSON",
        "Math",
        "Client",
        "APIError",
        "Page",
    ]
)


def words(text: str) -> list[str]:
    """Split any spec text into ASCII words: `listExperts`, `list-experts`, `LIST_EXPERTS` → list, experts."""
    return list(_words(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    ascii_text = (
        text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return tuple(_WORD.findall(ascii_text))


@lru_cache(maxsize=65536)
def snake(text: str) -> str:
    return "_".join(_words(text)).lower()  # words are ASCII: lowering the whole is lowering each


@lru_cache(maxsize=65536)
def pascal(text: str) -> str:
    # a word is ASCII letters or digits only: `capitalize` is upper-first, lower-rest, and leaves digits alone
    return "".join(map(str.capitalize, _words(text)))


def camel(text: str) -> str:
    value = pascal(text)
    return value[:1].lower() + value[1:]


def upper_snake(text: str) -> str:
    return snake(text).upper()


def _fix_start(name: str, fallback: str, prefix: str) -> str:
    if not name:
        return fallback
    if name[0].isdigit():
        return prefix + name
    return name


def py_identifier(text: str, *, fallback: str = "value", reserved: Iterable[str] = ()) -> str:
    return _py_identifier(text, fallback, reserved if isinstance(reserved, frozenset) else frozenset(reserved))


@lru_cache(maxsize=65536)
def _py_identifier(text: str, fallback: str, reserved: frozenset[str]) -> str:
    """snake_case Python identifier for a field, parameter, method or attribute."""
    name = _fix_start(snake(text), fallback, "n_")
    if name in PY_KEYWORDS or name in reserved:
        name += "_"
    return name


def py_class_name(text: str, *, fallback: str = "Model", reserved: Iterable[str] = ()) -> str:
    name = _fix_start(pascal(text), fallback, "M")
    if name in PY_RESERVED_CLASS_NAMES or name in reserved or keyword.iskeyword(name):
        name += "Model"
    return name


def ts_identifier(text: str, *, fallback: str = "value", reserved: Iterable[str] = ()) -> str:
    name = _fix_start(camel(text), fallback, "n")
    if name in TS_RESERVED or name in reserved:
        name += "_"
    return name


def ts_type_name(text: str, *, fallback: str = "Model", reserved: Iterable[str] = ()) -> str:
    name = _fix_start(pascal(text), fallback, "M")
    if name in TS_RESERVED_TYPES or name in TS_RESERVED or name in reserved:
        name += "Model"
    return name


def enum_member_name(value: object) -> str:
    """An UPPER_SNAKE name for an enum value: `in-progress` → IN_PROGRESS, 3 → VALUE_3, "" → EMPTY."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        text = str(value).replace("-", "minus ").replace(".", "_")
        return "VALUE_" + upper_snake(text) if upper_snake(text) else "VALUE"
    name = upper_snake(str(value))
    if not name:
        return "EMPTY" if value == "" else "VALUE"
    if name[0].isdigit():
        name = "VALUE_" + name
    if keyword.iskeyword(name) or name in ("MRO",):
        name += "_"
    return name


class Namespace:
    """Hands out unique names in one scope: the second `foo` becomes `foo_2`, deterministically."""

    def __init__(self, taken: Iterable[str] = ()):
        self._taken = set(taken)

    def claim(self, name: str, separator: str = "_") -> str:
        candidate, n = name, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{name}{separator}{n}"
        self._taken.add(candidate)
        return candidate

    def __contains__(self, name: str) -> bool:
        return name in self._taken


# File names Windows reserves whatever the extension (`con.ts`), and the longest file stem written: a file name
# has at most 255 bytes (Microsoft Graph has model names longer than that; a tag can be any length).
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)
FILE_STEM_MAX = 100


def capped_stem(name: str) -> str:
    """`name` cut to `FILE_STEM_MAX` characters when longer (without a trailing underscore left by the cut)."""
    return name if len(name) <= FILE_STEM_MAX else (name[:FILE_STEM_MAX].rstrip("_") or name[:FILE_STEM_MAX])


def file_stem(name: str, taken: set[str], separator: str = "_") -> str:
    """`name` (an identifier) as a file stem: capped, not a Windows device, unique in `taken` regardless of case
    (case-insensitive file systems); claims it in `taken` (lower-cased)."""
    base = capped_stem(name)
    stem, n = base, 1
    while stem.lower() in taken or stem.lower() in WINDOWS_DEVICES:
        n += 1
        stem = f"{base}{separator}{n}"
    taken.add(stem.lower())
    return stem
