"""The HTTP machinery every generated SDK shares (static runtime, tested once).

Builds requests (path, query styles, headers, JSON / multipart / form / binary bodies), applies
authentication, retries with exponential backoff and ``Retry-After``, maps error statuses to
exceptions, and parses responses straight from bytes into models.
"""

from __future__ import annotations

import asyncio
import base64
import builtins
import dataclasses
import datetime
import email.utils
import enum
import gc
import importlib
import io
import json
import logging
import platform
import random
import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeVar, cast
from urllib.parse import quote

import httpx
import pydantic
from typing_extensions import Self

from ._errors import APIConnectionError, APIResponseValidationError, APIStatusError, APITimeoutError, error_class_for
from ._types import NOT_GIVEN, FileTypes, NotGiven

if TYPE_CHECKING:
    from ._pagination import AsyncPage, SyncPage

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ApiKeyAuth",
    "AsyncAPIClient",
    "BasicAuth",
    "BearerAuth",
    "Endpoint",
    "HTTPAuth",
    "PageSpec",
    "Request",
    "RequestOptions",
    "SyncAPIClient",
    "platform_user_agent",
    "to_jsonable",
]

log = logging.getLogger(__name__.split(".")[0])

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RAW_RESPONSE_HEADER = "X-Sdkgen-Raw-Response"
# request headers that frame the message: a value given for one (a spec's `Content-Length` parameter, an extra
# header) would contradict the body httpx sends
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "host", "connection"})
_SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})


@dataclass(frozen=True, slots=True)
class Delimited:
    """One query value made of items joined by a delimiter that is sent as is (`ids=1,2`), each item
    percent-encoded: a comma inside an item stays `%2C`, so the server can tell items apart. With `reserved`
    (`allowReserved`), reserved characters and percent-encoded triples in the items are sent as they are."""

    items: tuple[str, ...]
    separator: str  # "," "|" or " "
    reserved: bool = False


QueryValue = str | int | float | bool | None | Delimited
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)


# --------------------------------------------------------------------------- authentication


@dataclass(frozen=True)
class BearerAuth:
    token: str | None

    def apply(self, headers: dict[str, str], query: list[tuple[str, QueryValue]], cookies: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {self.token}"

    @property
    def ready(self) -> bool:
        return self.token is not None


@dataclass(frozen=True)
class HTTPAuth:
    """An HTTP authentication scheme other than Basic and Bearer: ``Authorization: <scheme> <credentials>``."""

    scheme: str
    credentials: str | None

    def apply(self, headers: dict[str, str], query: list[tuple[str, QueryValue]], cookies: dict[str, str]) -> None:
        headers["Authorization"] = f"{self.scheme} {self.credentials}"

    @property
    def ready(self) -> bool:
        return self.credentials is not None


@dataclass(frozen=True)
class BasicAuth:
    username: str | None
    password: str | None

    def apply(self, headers: dict[str, str], query: list[tuple[str, QueryValue]], cookies: dict[str, str]) -> None:
        raw = f"{self.username or ''}:{self.password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")

    @property
    def ready(self) -> bool:
        return self.username is not None or self.password is not None


@dataclass(frozen=True)
class ApiKeyAuth:
    location: str  # header | query | cookie
    name: str
    key: str | None

    def apply(self, headers: dict[str, str], query: list[tuple[str, QueryValue]], cookies: dict[str, str]) -> None:
        assert self.key is not None
        if self.location == "query":
            query.append((self.name, self.key))
        elif self.location == "cookie":
            cookies[self.name] = self.key
        else:
            headers[self.name] = self.key

    @property
    def ready(self) -> bool:
        return self.key is not None


AuthScheme = BearerAuth | BasicAuth | ApiKeyAuth | HTTPAuth


# --------------------------------------------------------------------------- request description


@dataclass(frozen=True)
class PageSpec:
    """How an operation pages: which response fields hold the items and the next cursor (attribute names)."""

    style: str  # cursor | offset | page | link
    items: tuple[str, ...]
    cursor_param: str | None = None
    next_cursor: tuple[str, ...] = ()
    offset_param: str | None = None
    limit_param: str | None = None
    page_param: str | None = None
    has_more: tuple[str, ...] = ()  # a boolean field, false on the last page
    item_cursor: tuple[str, ...] = ()  # where the body has no next cursor: the last item's field that is one


@dataclass(frozen=True)
class Endpoint:
    """The fixed facts of one operation, rendered once per operation by the generator."""

    method: str
    path: str
    response: str = "None"  # the 2xx body type, as an expression over the models package (resolved lazily)
    responses: Mapping[str, str] = field(default_factory=dict)  # status -> type, where 2xx bodies differ by status
    accept: str | None = None  # the Accept header, where not application/json
    security: tuple[tuple[str, ...], ...] | None = None  # alternatives of scheme names; None = client default
    query_styles: Mapping[str, tuple[str, bool]] = field(default_factory=dict)  # wire name -> (style, explode)
    path_styles: Mapping[str, tuple[str, bool]] = field(default_factory=dict)  # where not (simple, unexploded)
    exploded_headers: frozenset[str] = frozenset()  # object headers sent as key=value pairs
    json_parameters: frozenset[str] = frozenset()  # headers and cookies sent as JSON text (declared with `content`)
    reserved_query: frozenset[str] = frozenset()  # query parameters whose reserved characters are kept (allowReserved)
    form_styles: Mapping[str, tuple[str, bool]] = field(default_factory=dict)  # form fields' declared `encoding`
    send_idempotency_key: bool = False
    errors: Mapping[str, str] = field(default_factory=dict)  # status ("404", "4XX", "default") -> type expression
    content_type: str | None = None
    # the body is built from keyword arguments and the spec lets it out: it is not sent when none of them is given
    optional_body: bool = False
    deprecated: str | None = None  # warning text for deprecated operations
    page: PageSpec | None = None


@dataclass
class RequestOptions:
    """Per-call options every method takes."""

    timeout: float | NotGiven | None = NOT_GIVEN
    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, object] | None = None
    max_retries: int | NotGiven = NOT_GIVEN
    idempotency_key: str | None = None
    extra_body: Mapping[str, object] | None = None  # members added to the body (they win)


@dataclass
class Request:
    """One logical call: everything needed to send it again on a retry or for the next page."""

    endpoint: Endpoint
    options: RequestOptions
    path_params: Mapping[str, object] = field(default_factory=dict)
    query: Mapping[str, object] = field(default_factory=dict)
    headers: Mapping[str, object] = field(default_factory=dict)
    cookies: Mapping[str, object] = field(default_factory=dict)
    json: object = NOT_GIVEN
    # named parts: a mapping or a model; anything else (str, bytes: a body the caller encoded) goes as it is;
    # NOT_GIVEN: an optional body left out
    form: object = None
    multipart: object = None
    content: object = NOT_GIVEN
    stream: bool = False


# --------------------------------------------------------------------------- encoding


def to_jsonable(value: object) -> object:
    """Turn models, enums, dates and containers into plain JSON data, dropping NOT_GIVEN entries."""
    if isinstance(value, pydantic.BaseModel):
        # field by field, so readOnly fields (server-assigned) are never sent, at any depth
        cls = type(value)
        read_only: frozenset[str] = getattr(cls, "_read_only_", frozenset())
        data: dict[str, object] = {}
        for name in value.model_fields_set:
            if name in read_only:
                continue
            info = cls.model_fields.get(name)
            data[(info.alias if info is not None and info.alias else name)] = to_jsonable(getattr(value, name))
        for key, extra in (value.model_extra or {}).items():
            data[key] = to_jsonable(extra)
        return data
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items() if not isinstance(v, NotGiven)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _body_parts(body: object) -> Mapping[str, object] | None:
    """The named parts of a form or multipart body: a mapping as given, a model field by field under its wire
    names (the fields set, never a readOnly one), as a JSON body sends it; None for any other value (a spec
    may type such a body as a string or a union with one: that value is sent as it is)."""
    if isinstance(body, Mapping):
        return body
    if not isinstance(body, pydantic.BaseModel):
        return None
    data = to_jsonable(body)
    assert isinstance(data, dict)
    return data


def _raw_content(value: object) -> bytes:
    """A body sent as it is: text as UTF-8, bytes unchanged; any other value has no defined encoding."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"cannot send a {type(value).__name__} as this request body: pass a mapping, a model, str or bytes")


def _scalar(value: object) -> str:
    """A value as it appears in a URL, header or form: booleans as true/false, None as "", objects and arrays
    inside another value (where OpenAPI defines no serialisation) as JSON."""
    value = to_jsonable(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _json_text(value: object) -> str:
    """A parameter declared with JSON `content`: its value as compact JSON text (a string keeps its quotes),
    ASCII only, as a header must be."""
    return json.dumps(to_jsonable(value), separators=(",", ":"))


def _simple(value: object, explode: bool = False) -> str:
    """OpenAPI's `simple` style (headers, cookies): an array comma-separated, an object as key,value pairs
    (exploded: key=value pairs)."""
    value = to_jsonable(value)
    if isinstance(value, list):
        return ",".join(_scalar(item) for item in value)
    if isinstance(value, dict):
        pair = "{}={}" if explode else "{},{}"
        return ",".join(pair.format(key, _scalar(item)) for key, item in value.items())
    return _scalar(value)


def _form_value(value: object) -> str | list[str]:
    """A form field: an array repeats the field (OpenAPI's default `form` style, exploded), an object is JSON."""
    value = to_jsonable(value)
    if isinstance(value, list | tuple):
        return [_scalar(item) for item in value]
    return _scalar(value)


def _form_pairs(form: Mapping[str, object], styles: Mapping[str, tuple[str, bool]]) -> list[tuple[str, QueryValue]]:
    """A form body whose fields declare an `encoding` style: those fields as a query parameter of that style, the
    others as `_form_value` writes them."""
    pairs: list[tuple[str, QueryValue]] = []
    for name, value in form.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        if name in styles:
            pairs.extend(encode_query({name: value}, styles))
            continue
        plain = _form_value(value)
        pairs.extend((name, item) for item in (plain if isinstance(plain, list) else [plain]))
    return pairs


def _deep_object(prefix: str, value: object, pairs: list[tuple[str, QueryValue]], top: bool = True) -> None:
    """`deepObject`: `filter[a][b]=1`. An array numbers its items (`items[0][price]=p1&filter[ids][0]=1`, as Stripe's
    own libraries send them), which alone keeps them apart and tells a one-item array from a scalar; only a
    parameter's own array of scalars repeats its name (`ids=1&ids=2`: the receiver knows that one is an array)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _deep_object(f"{prefix}[{key}]", item, pairs, False)
    elif isinstance(value, list):
        indexed = not top or any(isinstance(item, dict | list) for item in value)
        for index, item in enumerate(value):
            _deep_object(f"{prefix}[{index}]" if indexed else prefix, item, pairs, False)
    else:
        pairs.append((prefix, _scalar(value)))


def encode_query(
    query: Mapping[str, object], styles: Mapping[str, tuple[str, bool]], reserved: frozenset[str] = frozenset()
) -> list[tuple[str, QueryValue]]:
    """OpenAPI query serialisation: form (exploded or not), space/pipe delimited and deepObject; the values of
    the parameters in `reserved` (`allowReserved`) keep their reserved characters."""
    pairs: list[tuple[str, QueryValue]] = []
    for name, raw in query.items():
        if isinstance(raw, NotGiven) or raw is None:
            continue
        first = len(pairs)
        style, explode = styles.get(name, ("form", True))
        value = to_jsonable(raw)
        if style == "json":
            pairs.append((name, _json_text(value)))
        elif isinstance(value, list):
            if style == "deepObject":
                _deep_object(name, value, pairs)
            elif explode and style == "form":
                pairs.extend((name, _scalar(v)) for v in value)
            else:
                separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
                pairs.append((name, Delimited(tuple(_scalar(v) for v in value), separator)))
        elif isinstance(value, dict):
            if style == "deepObject":
                _deep_object(name, value, pairs)
            elif explode:
                pairs.extend((str(k), _scalar(v)) for k, v in value.items())
            else:
                items = tuple(text for k, v in value.items() for text in (str(k), _scalar(v)))
                pairs.append((name, Delimited(items, ",")))
        else:
            pairs.append((name, _scalar(value)))
        if name in reserved:
            pairs[first:] = [(key, _keep_reserved(item)) for key, item in pairs[first:]]
    return pairs


def _keep_reserved(value: QueryValue) -> Delimited:
    if isinstance(value, Delimited):
        return dataclasses.replace(value, reserved=True)
    return Delimited((_scalar(value),), ",", reserved=True)


# RFC 6570 reserved expansion, less the reserved characters that would end or split a query value (`#[]&=+`)
_KEPT_RESERVED = ":/?@!$'()*,;"
_PERCENT_TRIPLE = re.compile(r"(%[0-9A-Fa-f]{2})")


def _quote_reserved(text: str) -> str:
    """A value under `allowReserved`: percent-encoded triples and the reserved characters kept, the rest encoded."""
    parts = _PERCENT_TRIPLE.split(text)
    return "".join(part if i % 2 else quote(part, safe=_KEPT_RESERVED) for i, part in enumerate(parts))


_SEPARATORS = {" ": "%20", "|": "%7C"}


def query_string(pairs: list[tuple[str, QueryValue]]) -> str:
    """The query as sent: names and values percent-encoded (a space as %20), a `Delimited` value's delimiter not."""
    parts = []
    for name, value in pairs:
        if isinstance(value, Delimited):
            separator = _SEPARATORS.get(value.separator, value.separator)
            text = separator.join(_quote_reserved(i) if value.reserved else quote(i, safe="") for i in value.items)
        else:
            text = quote(_scalar(value), safe="")
        parts.append(f"{quote(name, safe='')}={text}")
    return "&".join(parts)


def _path_value(name: str, value: object, style: str, explode: bool) -> str:
    """One path parameter in OpenAPI's `simple` (`3,4`), `label` (`.3.4`) or `matrix` (`;id=3;id=4`) style, the
    values percent-encoded and the separators not (RFC 6570)."""
    if style == "json":
        return quote(_json_text(value), safe="")
    value = to_jsonable(value)
    name = quote(name, safe="")
    prefix = {"label": ".", "matrix": ";"}.get(style, "")
    if isinstance(value, list | dict):
        if isinstance(value, dict):
            pairs = [(quote(str(k), safe=""), quote(_scalar(v), safe="")) for k, v in value.items()]
            items = [f"{k}={v}" for k, v in pairs] if explode else [part for pair in pairs for part in pair]
        else:
            items = [quote(_scalar(v), safe="") for v in value]
            if explode and style == "matrix":
                items = [f"{name}={item}" for item in items]
        if explode and style != "simple":
            return prefix + prefix.join(items)
        return prefix + (f"{name}=" if style == "matrix" else "") + ",".join(items)
    text = quote(_scalar(value), safe="")
    if style == "matrix":
        return f";{name}={text}" if text else f";{name}"
    return prefix + text


_MISLEADING_SEGMENTS = frozenset({"", ".", ".."})


def render_path(
    template: str, params: Mapping[str, object], styles: Mapping[str, tuple[str, bool]] | None = None
) -> str:
    """The path with each `{name}` replaced by its value, in the parameter's style (default `simple`).

    A parameter that fills a whole segment may not make it empty, ``.`` or ``..``: the request would go to
    another path (``/users/{id}/keys`` with ``..`` is ``/keys``), so that is a ValueError before anything is sent.
    """
    path = template
    for name, value in params.items():
        style, explode = styles.get(name, ("simple", False)) if styles else ("simple", False)
        placeholder = "{" + name + "}"
        text = _path_value(name, value, style, explode)
        if text in _MISLEADING_SEGMENTS and f"/{placeholder}/" in f"{template}/":
            what = "a non-empty value" if not text else f"a value other than {text!r}"
            raise ValueError(f"path parameter {name!r} needs {what}, got {value!r}: the request would go to another path")
        path = path.replace(placeholder, text)
    return path


def _is_file(value: object) -> bool:
    return isinstance(value, (bytes, bytearray, io.IOBase)) or (
        isinstance(value, tuple) and 2 <= len(value) <= 3 and isinstance(value[1], (bytes, bytearray, io.IOBase))
    )


def _file_part(name: str, value: FileTypes) -> tuple[str, Any]:
    if isinstance(value, tuple):
        if len(value) == 3:
            filename, content, content_type = value
            return name, (filename, content, content_type)
        filename, content = value
        return name, (filename, content)
    filename = getattr(value, "name", None) or name
    return name, (str(filename).rsplit("/", 1)[-1], value)


def encode_multipart(fields: Mapping[str, object]) -> tuple[dict[str, str | list[str]], list[tuple[str, Any]]]:
    data: dict[str, str | list[str]] = {}
    files: list[tuple[str, Any]] = []
    for name, value in fields.items():
        if isinstance(value, NotGiven):
            continue
        texts: list[str] = []
        for item in value if isinstance(value, list) else [value]:  # an array: a part per item
            if _is_file(item):
                files.append(_file_part(name, cast(FileTypes, item)))
            else:
                plain = to_jsonable(item)
                texts.append(json.dumps(plain) if isinstance(plain, (dict, list)) else _scalar(plain))
        if texts:
            data[name] = texts if isinstance(value, list) else texts[0]
    return data, files


# --------------------------------------------------------------------------- responses


@lru_cache(maxsize=1024)
def _adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(tp)


class _ModelNamespace(Mapping[str, object]):
    """Names of the models package, imported only when a type expression mentions them."""

    def __init__(self) -> None:
        self._models = importlib.import_module(__name__.rsplit(".", 1)[0] + ".models")

    def __getitem__(self, name: str) -> object:
        try:
            return getattr(self._models, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._models.__all__)

    def __len__(self) -> int:
        return len(self._models.__all__)


_TYPE_GLOBALS: dict[str, object] = {
    "__builtins__": {},
    **{t.__name__: t for t in (list, dict, str, int, float, bool, bytes, object)},
    "None": None,
    "Literal": Literal,
    "Annotated": Annotated,
    "pydantic": pydantic,
    "datetime": datetime,
    "uuid": uuid,
    "builtins": builtins,
}


@lru_cache(maxsize=4096)
def resolve_type(expression: str) -> Any:
    """The type an endpoint names (e.g. ``"list[Item]"``): models load on the first call that needs them.

    Expressions are written by the generator from identifiers and ``repr`` literals only.
    """
    return eval(expression, _TYPE_GLOBALS, _ModelNamespace())


GC_PAUSE_MIN_BYTES = 64 * 1024
"""Bodies at least this large are validated with the cyclic garbage collector paused (see `_validate_json`)."""


@lru_cache(maxsize=4096)
def _json_validator(expression: str) -> Callable[[bytes], Any]:
    """The function that validates JSON bytes into the type an endpoint names (built once per type)."""
    cast_to = resolve_type(expression)
    if isinstance(cast_to, type) and issubclass(cast_to, pydantic.BaseModel):
        return cast_to.model_validate_json
    return _adapter(cast_to).validate_json


def _validate_json(validate: Callable[[bytes], Any], content: bytes) -> Any:
    """Run pydantic-core over a body, pausing CPython's cyclic GC while it builds a large one.

    Validating a large list allocates a few GC-tracked objects per model (instance, ``__dict__``,
    fields-set, lists) in one burst. Every 700 allocations trigger a young collection, every ten of
    those a middle one, and the new survivors soon a *full* collection that walks every live object
    of the process — for a 10,000-item list that was over half of the parse time, all of it finding
    nothing: models built from JSON are trees that reference counting frees. Paused, the collector
    still counts the allocations; the next collection that comes due traverses the new objects once
    (not at all if they are freed first, e.g. when this page replaces the previous one). The pause is
    process-wide but lasts only while pydantic-core runs (no await, no user code but enum hooks); it
    is skipped when the collector is already off and undone even if validation fails.
    """
    if len(content) < GC_PAUSE_MIN_BYTES or not gc.isenabled():
        return validate(content)
    gc.disable()
    try:
        return validate(content)
    finally:
        gc.enable()


def parse_body(response: httpx.Response, expression: str) -> Any:
    """Parse a response body into the named type, straight from bytes (no json.loads round trip)."""
    cast_to = resolve_type(expression)
    if cast_to is None or response.status_code == 204:
        return None
    if cast_to is bytes:
        return response.content
    if cast_to is str:
        return response.text
    if cast_to is httpx.Response:
        return response
    content = response.content
    if not content:
        return None
    try:
        return _validate_json(_json_validator(expression), content)
    except pydantic.ValidationError as exc:
        raise _invalid_body(response, expression, exc) from exc


def _invalid_body(response: httpx.Response, expression: str, exc: pydantic.ValidationError) -> APIResponseValidationError:
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0] if errors else {"loc": (), "msg": str(exc)}
    where = ".".join(str(part) for part in first["loc"]) or "the body"
    try:
        call = f"{response.request.method} {response.request.url.path}"
    except RuntimeError:  # a response built without its request
        call = "the call"
    message = (
        f"{call} answered {response.status_code} with a body that is not {expression}: {len(errors)} problem(s), "
        f"the first at {where}: {first['msg']}"
    )
    try:
        body: object = response.json()
    except ValueError:
        body = response.text
    return APIResponseValidationError(message, response=response, body=body)


def parse_json(expression: str, payload: str | bytes) -> Any:
    """JSON text (a webhook's body) validated into the named type."""
    return _validate_json(_json_validator(expression), payload.encode() if isinstance(payload, str) else payload)


def _declared(by_status: Mapping[str, str], status_code: int) -> str | None:
    """The type a table keyed by status ("202", "2XX") declares for `status_code`: the exact status first."""
    status = str(status_code)
    return by_status.get(status) or by_status.get(status[0] + "XX")


def parse_success(response: httpx.Response, endpoint: Endpoint) -> Any:
    """A 2xx body as the type its status declares (an operation may answer 200 with one type, 202 with another)."""
    expression = endpoint.response
    if endpoint.responses:
        expression = _declared(endpoint.responses, response.status_code) or expression
    return parse_body(response, expression)


def _error_body(response: httpx.Response, errors: Mapping[str, Any]) -> object:
    declared = _declared(errors, response.status_code) or errors.get("default")
    if declared is not None and response.content:
        try:
            return parse_body(response, declared)
        except (APIResponseValidationError, ValueError):
            pass
    try:
        return response.json()
    except ValueError:
        return response.text or None


def make_status_error(response: httpx.Response, errors: Mapping[str, Any]) -> APIStatusError:
    body = _error_body(response, errors)
    detail = ""
    if isinstance(body, pydantic.BaseModel):
        text = getattr(body, "detail", None) or getattr(body, "message", None) or getattr(body, "title", "")
        detail = str(text or "")
    elif isinstance(body, dict):
        detail = str(body.get("detail") or body.get("message") or body.get("title") or body.get("error") or "")
    message = f"Error code: {response.status_code}" + (f" - {detail}" if detail else "")
    return error_class_for(response.status_code)(message, response=response, body=body)


def retry_delay(attempt: int, response: httpx.Response | None) -> float:
    """Seconds to wait before retry number `attempt` (1-based)."""
    if response is not None:
        advised = _retry_after(response.headers)
        if advised is not None and 0 <= advised <= MAX_RETRY_AFTER:
            return advised
    delay = min(INITIAL_RETRY_DELAY * 2.0 ** (attempt - 1), MAX_RETRY_DELAY)
    return delay * (1 - 0.25 * random.random())


def _retry_after(headers: httpx.Headers) -> float | None:
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    parsed = email.utils.parsedate_to_datetime(value) if value else None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return (parsed - datetime.datetime.now(datetime.timezone.utc)).total_seconds()


def _should_retry(response: httpx.Response) -> bool:
    hint = response.headers.get("x-should-retry")
    if hint == "true":
        return True
    if hint == "false":
        return False
    return response.status_code in RETRYABLE_STATUSES


def _safe_headers(headers: httpx.Headers) -> dict[str, str]:
    return {k: ("<redacted>" if k.lower() in _SENSITIVE_HEADERS else v) for k, v in headers.items()}


# --------------------------------------------------------------------------- clients


class _BaseClient(Generic[_HttpxClientT]):
    _client: _HttpxClientT

    def __init__(
        self,
        *,
        base_url: str,
        timeout: float | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, object] | None,
        auth: Mapping[str, AuthScheme],
        default_security: tuple[tuple[str, ...], ...],
        user_agent: str,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.base_url = httpx.URL(base_url.rstrip("/") + "/")
        self.timeout = timeout
        self.max_retries = max_retries
        self._default_headers = dict(default_headers or {})
        self._default_query = dict(default_query or {})
        self._auth = dict(auth)
        self._default_security = default_security
        self._user_agent = user_agent
        # Headers every request carries. With an httpx client of our own they are set on it once
        # (`_own_client_headers`), so that httpx does not merge and override its defaults per request.
        self._request_headers: dict[str, str] = {
            "Accept": "application/json",
            "User-Agent": user_agent,
            **self._default_headers,
        }
        self._send_retry_count = not any(k.lower() == "x-sdkgen-retry-count" for k in self._default_headers)
        self._urls: dict[str, httpx.URL] = {}  # parameterless path template -> absolute URL, for `_url`
        self._urls_base: tuple[httpx.URL, str] | None = None  # the base_url `_urls` was filled from, as text

    def _own_client_headers(self) -> dict[str, str]:
        """The fixed headers, for an httpx client this SDK creates; requests then carry only their own."""
        headers, self._request_headers = self._request_headers, {}
        return headers

    # -- building

    def _build_request(self, request: Request, retries_taken: int, idempotency_key: str | None) -> httpx.Request:
        endpoint = request.endpoint
        headers = dict(self._request_headers)
        if self._send_retry_count:
            headers["X-Sdkgen-Retry-Count"] = str(retries_taken)
        if endpoint.accept is not None:
            headers["Accept"] = endpoint.accept
        query = encode_query({**self._default_query, **request.query}, endpoint.query_styles, endpoint.reserved_query)
        cookies: dict[str, str] = {}
        json_parameters = endpoint.json_parameters
        for name, value in request.headers.items():
            if not isinstance(value, NotGiven) and value is not None:
                if name in json_parameters:
                    headers[name] = _json_text(value)
                else:
                    headers[name] = _simple(value, name in endpoint.exploded_headers)
        for name, value in request.cookies.items():
            if not isinstance(value, NotGiven) and value is not None:
                cookies[name] = quote(_json_text(value), safe="") if name in json_parameters else _simple(value)
        self._apply_auth(endpoint, headers, query, cookies)
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        if request.options.extra_headers:
            _override_headers(headers, request.options.extra_headers)
        headers.pop(RAW_RESPONSE_HEADER, None)
        if not _FRAMING_HEADERS.isdisjoint(map(str.lower, headers)):  # httpx frames the request from its body
            for name in [name for name in headers if name.lower() in _FRAMING_HEADERS]:
                del headers[name]
        if request.options.extra_query:
            query.extend(encode_query(request.options.extra_query, {}))
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        url = self._url(endpoint, request.path_params)
        kwargs: dict[str, Any] = {}
        if request.options.extra_body:
            request = _with_extra_body(request, request.options.extra_body)
        if endpoint.optional_body and _left_out(request.json, request.form, request.multipart):
            request = dataclasses.replace(request, json=NOT_GIVEN, form=None, multipart=None)
        multipart = _body_parts(request.multipart)
        form = _body_parts(request.form)
        if multipart is not None:
            data, files = encode_multipart(multipart)
            if files:
                kwargs.update(data=data, files=files)
            else:  # httpx writes multipart only when there is a file; a form without one is still multipart
                boundary = uuid.uuid4().hex
                _default_header(headers, "Content-Type", f"multipart/form-data; boundary={boundary}")
                kwargs["content"] = _multipart_without_files(data, boundary)
        elif form is not None and endpoint.form_styles:  # serialised as the query is (`metadata[key]=value`)
            kwargs["content"] = query_string(_form_pairs(form, endpoint.form_styles)).encode("ascii")
            _default_header(headers, "Content-Type", "application/x-www-form-urlencoded")
        elif form is not None:
            kwargs["data"] = {k: _form_value(v) for k, v in form.items() if not isinstance(v, NotGiven)}
        elif (raw := _given(request.multipart, request.form)) is not None:
            kwargs["content"] = _raw_content(raw)
            _default_header(headers, "Content-Type", endpoint.content_type or "application/octet-stream")
        elif not isinstance(request.json, NotGiven):
            kwargs["content"] = json.dumps(to_jsonable(request.json), separators=(",", ":")).encode()
            _default_header(headers, "Content-Type", endpoint.content_type or "application/json")
        elif not isinstance(request.content, NotGiven) and request.content is not None:
            content = request.content
            if isinstance(content, str):
                content = content.encode()
            kwargs["content"] = content
            _default_header(headers, "Content-Type", endpoint.content_type or "application/octet-stream")
        timeout = self.timeout if isinstance(request.options.timeout, NotGiven) else request.options.timeout
        if query:  # encoded here, not by httpx, which would encode a delimiter too
            encoded = query_string(query).encode("ascii")
            url = url.copy_with(query=url.query + b"&" + encoded if url.query else encoded)
        return self._client.build_request(endpoint.method, url, headers=headers, timeout=timeout, **kwargs)

    def _url(self, endpoint: Endpoint, path_params: Mapping[str, object]) -> httpx.URL:
        """The absolute URL of an operation: base URL + rendered path, parsed once per parameterless path.

        Concatenated rather than ``base_url.join(...)``: a join re-resolves the reference against the
        base on every call (the costliest step of building a request), and would read a leading
        ``name:`` path segment as a URL scheme.
        """
        base = self._urls_base
        if base is None or base[0] is not self.base_url:  # first call, or base_url was replaced
            base = self._urls_base = (self.base_url, str(self.base_url))
            self._urls = {}
        template = endpoint.path
        if path_params:
            return httpx.URL(base[1] + render_path(template, path_params, endpoint.path_styles).removeprefix("/"))
        url = self._urls.get(template)
        if url is None:
            url = self._urls[template] = httpx.URL(base[1] + template.removeprefix("/"))
        return url

    def _apply_auth(
        self, endpoint: Endpoint, headers: dict[str, str], query: list[tuple[str, QueryValue]], cookies: dict[str, str]
    ) -> None:
        alternatives = endpoint.security if endpoint.security is not None else self._default_security
        for alternative in _credentials_first(alternatives):
            schemes = [self._auth.get(name) for name in alternative]
            if all(scheme is not None and scheme.ready for scheme in schemes):
                for scheme in schemes:
                    assert scheme is not None
                    scheme.apply(headers, query, cookies)
                return

    def _idempotency_key(self, request: Request) -> str | None:
        if request.options.idempotency_key is not None:
            return request.options.idempotency_key
        if request.endpoint.send_idempotency_key:
            return str(uuid.uuid4())
        return None

    def _max_retries(self, request: Request) -> int:
        value = request.options.max_retries
        return self.max_retries if isinstance(value, NotGiven) else value

    @staticmethod
    def _retry_allowed(request: Request, idempotency_key: str | None) -> bool:
        return request.endpoint.method.upper() in IDEMPOTENT_METHODS or idempotency_key is not None

    def _log(self, http_request: httpx.Request, attempt: int, status: int | str, started: float) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s -> %s (attempt %d, %.0f ms)",
                http_request.method,
                http_request.url.copy_with(query=None),
                status,
                attempt,
                (time.monotonic() - started) * 1000,
            )

    @staticmethod
    def _warn_deprecated(endpoint: Endpoint) -> None:
        if endpoint.deprecated:
            import warnings

            warnings.warn(endpoint.deprecated, DeprecationWarning, stacklevel=4)


@lru_cache(maxsize=256)
def _credentials_first(alternatives: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """`{}` (no auth) is one alternative among others: send credentials when we have them."""
    return tuple(sorted(alternatives, key=lambda names: not names))


def _with_extra_body(request: Request, extra: Mapping[str, object]) -> Request:
    """The call with `extra_body`'s members added to its body (they win): the fields of a form or multipart body,
    the members of a JSON object body, or a JSON body of their own when the call has none."""
    if request.multipart is not None:
        return dataclasses.replace(request, multipart=_with_fields(request.multipart, extra))
    if request.form is not None:
        return dataclasses.replace(request, form=_with_fields(request.form, extra))
    if not isinstance(request.content, NotGiven) and request.content is not None:
        raise TypeError("extra_body cannot be added to a raw (bytes or text) body")
    body = request.json
    if isinstance(body, NotGiven) or body is None:
        return dataclasses.replace(request, json=dict(extra))
    members = to_jsonable(body) if isinstance(body, pydantic.BaseModel) else body
    if not isinstance(members, Mapping):
        raise TypeError(f"extra_body adds members to a JSON object body; this call's body is a {type(body).__name__}")
    return dataclasses.replace(request, json={**members, **extra})


def _with_fields(body: object, extra: Mapping[str, object]) -> dict[str, object]:
    """The named parts of a form or multipart body (none when it was left out) with `extra`'s added."""
    parts = {} if isinstance(body, NotGiven) else _body_parts(body)
    if parts is None:
        raise TypeError(f"extra_body cannot be added to a {type(body).__name__} body; pass the fields instead")
    return {**parts, **extra}


def _override_headers(headers: dict[str, str], extra: Mapping[str, str]) -> None:
    """`extra` (the caller's `extra_headers`) replaces the headers it names, whatever their case: a header
    written twice in two cases is sent twice (`Authorization: Bearer a` and `authorization: b`)."""
    names = {name.lower() for name in extra}
    for name in [name for name in headers if name.lower() in names]:
        del headers[name]
    headers.update(extra)


def _default_header(headers: dict[str, str], name: str, value: str) -> None:
    """Set `name` unless the caller already has (`extra_headers`), in any case."""
    lower = name.lower()
    if not any(existing.lower() == lower for existing in headers):
        headers[name] = value


def _left_out(*bodies: object) -> bool:
    """Whether the body built from keyword arguments got none of them (each entry NOT_GIVEN)."""
    for body in bodies:
        if isinstance(body, Mapping):
            return all(isinstance(value, NotGiven) for value in body.values())
    return False


def _given(*values: object) -> object:
    """The first value that is neither None nor NOT_GIVEN."""
    for value in values:
        if value is not None and not isinstance(value, NotGiven):
            return value
    return None


def _multipart_without_files(data: Mapping[str, str | list[str]], boundary: str) -> bytes:
    parts = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            escaped = name.replace('"', "%22")
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{escaped}"\r\n\r\n{item}\r\n'.encode())
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def _response_mode(request: Request) -> str | None:
    """ "raw" or "stream" when called through with_raw_response / with_streaming_response."""
    headers = request.options.extra_headers
    return headers.get(RAW_RESPONSE_HEADER) if headers else None


class SyncAPIClient(_BaseClient[httpx.Client]):
    def __init__(self, *, http_client: httpx.Client | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_client = http_client is None
        self._client = http_client or httpx.Client(
            timeout=self.timeout, follow_redirects=True, headers=self._own_client_headers()
        )

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def request(self, request: Request) -> Any:
        """Send, retrying what may be retried; return the parsed body (or a raw response on request)."""
        self._warn_deprecated(request.endpoint)
        mode = _response_mode(request)
        if mode == "stream":
            request = dataclasses.replace(request, stream=True)
        response = self._send(request)
        if mode is not None:
            from ._response import APIResponse

            return APIResponse(response, lambda: parse_success(response, request.endpoint))
        return parse_success(response, request.endpoint)

    def request_page(self, request: Request, page_class: type[SyncPage[Any]]) -> Any:
        self._warn_deprecated(request.endpoint)
        response = self._send(request)
        page = page_class._from_response(self, request, response)
        if _response_mode(request) is not None:
            from ._response import APIResponse

            return APIResponse(response, lambda: page)
        return page

    def _send(self, request: Request) -> httpx.Response:
        key = self._idempotency_key(request)
        max_retries = self._max_retries(request) if self._retry_allowed(request, key) else 0
        attempt = 0
        while True:
            attempt += 1
            http_request = self._build_request(request, attempt - 1, key)
            started = time.monotonic()
            try:
                response = self._client.send(http_request, stream=request.stream)
            except httpx.TimeoutException as exc:
                self._log(http_request, attempt, "timeout", started)
                if attempt <= max_retries:
                    time.sleep(retry_delay(attempt, None))
                    continue
                raise APITimeoutError(http_request) from exc
            except httpx.HTTPError as exc:
                self._log(http_request, attempt, "connection error", started)
                if attempt <= max_retries:
                    time.sleep(retry_delay(attempt, None))
                    continue
                raise APIConnectionError(request=http_request) from exc
            self._log(http_request, attempt, response.status_code, started)
            if response.is_success:
                return response
            if attempt <= max_retries and _should_retry(response):
                response.close()
                time.sleep(retry_delay(attempt, response))
                continue
            if request.stream:
                response.read()
            raise make_status_error(response, request.endpoint.errors)


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_client = http_client is None
        self._client = http_client or httpx.AsyncClient(
            timeout=self.timeout, follow_redirects=True, headers=self._own_client_headers()
        )

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def request(self, request: Request) -> Any:
        self._warn_deprecated(request.endpoint)
        mode = _response_mode(request)
        if mode == "stream":
            request = dataclasses.replace(request, stream=True)
        response = await self._send(request)
        if mode is not None:
            from ._response import APIResponse

            return APIResponse(response, lambda: parse_success(response, request.endpoint))
        return parse_success(response, request.endpoint)

    async def request_page(self, request: Request, page_class: type[AsyncPage[Any]]) -> Any:
        self._warn_deprecated(request.endpoint)
        response = await self._send(request)
        page = page_class._from_response(self, request, response)
        if _response_mode(request) is not None:
            from ._response import APIResponse

            return APIResponse(response, lambda: page)
        return page

    async def _send(self, request: Request) -> httpx.Response:
        key = self._idempotency_key(request)
        max_retries = self._max_retries(request) if self._retry_allowed(request, key) else 0
        attempt = 0
        while True:
            attempt += 1
            http_request = self._build_request(request, attempt - 1, key)
            started = time.monotonic()
            try:
                response = await self._client.send(http_request, stream=request.stream)
            except httpx.TimeoutException as exc:
                self._log(http_request, attempt, "timeout", started)
                if attempt <= max_retries:
                    await asyncio.sleep(retry_delay(attempt, None))
                    continue
                raise APITimeoutError(http_request) from exc
            except httpx.HTTPError as exc:
                self._log(http_request, attempt, "connection error", started)
                if attempt <= max_retries:
                    await asyncio.sleep(retry_delay(attempt, None))
                    continue
                raise APIConnectionError(request=http_request) from exc
            self._log(http_request, attempt, response.status_code, started)
            if response.is_success:
                return response
            if attempt <= max_retries and _should_retry(response):
                await response.aclose()
                await asyncio.sleep(retry_delay(attempt, response))
                continue
            if request.stream:
                await response.aread()
            raise make_status_error(response, request.endpoint.errors)


def platform_user_agent(package: str, version: str) -> str:
    return f"{package}/{version} python/{platform.python_version()}"
