"""Routes of the generated server: security dependency, raw bodies, replies, 501 stubs (static runtime)."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any
from urllib.parse import parse_qsl, unquote, unquote_plus

import pydantic
import pydantic.warnings
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, APIRouter
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from . import _checks as checks
from ._problems import NotImplementedOperation
from ._security import Authenticator, SecurityScheme, authenticate_request
from ._service import Alternative, Context, Operation, Result

__all__ = [
    "OperationRoute",
    "RouteSpec",
    "RouteSupport",
    "UnimplementedRoute",
    "add_routes",
    "form_body",
    "implements",
    "json_parameter",
    "json_part",
    "json_response",
    "media_response",
    "raw_body",
    "structured_query",
    "text_body",
]

_PARAM = re.compile(r"{([^}]+)}")


class RouteSpec:
    """An operation's endpoint and its `add_api_route` options, added to the app in a matching-safe order."""

    def __init__(self, operation: Operation, endpoint: Callable[..., Any], *, implemented: bool, **options: Any):
        self.operation = operation
        self.endpoint = endpoint
        self.implemented = implemented
        self.options = options


def implements(service: object | None, base: type, method: str) -> bool:
    """Whether `service` overrides `method` of its generated base class."""
    return service is not None and getattr(type(service), method, None) is not getattr(base, method)


class RouteSupport:
    """What every generated endpoint shares: the security schemes and the authenticator."""

    def __init__(self, schemes: Mapping[str, SecurityScheme], authenticate: Authenticator | None) -> None:
        self.schemes = schemes
        self.authenticate = authenticate
        self._adapters: dict[tuple[str, int], pydantic.TypeAdapter[Any]] = {}  # alternative bodies' validators

    def context(self, operation: Operation) -> Callable[[Request, Response], Awaitable[Context]]:
        """A dependency giving the endpoint its Context: credentials checked per the operation's security."""

        async def dependency(request: Request, response: Response) -> Context:
            if operation.required_parts:
                await _check_parts(request, operation.required_parts)
            credentials, principal = await authenticate_request(
                request,
                operation.security,
                self.schemes,
                self.authenticate,
                operation.operation_id,
                operation.extensions,
            )
            return Context(request, response, operation, credentials, principal)

        return dependency

    async def reply(self, value: object, context: Context) -> Any:
        """Turn what a service returned into what FastAPI serialises (validated against `response_model`)."""
        if isinstance(value, Response):
            return value
        operation = context.operation
        status: int | None = None
        if isinstance(value, Result):
            status = value.status_code
            if value.headers:
                context.response.headers.update(value.headers)
            value = value.body
        if status is not None and status in operation.alternatives:
            return self._alternative(operation, status, value, context)
        if status is not None:
            context.response.status_code = status
        if value is None and (status is not None or operation.empty_status is not None):
            return Response(status_code=status or operation.empty_status or 204, headers=_headers(context))
        if operation.media_type is not None:
            return _raw_response(value, status or operation.success_status or 200, operation.media_type, context)
        return value

    def _alternative(self, operation: Operation, status: int, value: object, context: Context) -> Response:
        """The response of a success status whose body differs from the main one's, validated and serialised as
        FastAPI does a `response_model` (wire names, unset fields left out): FastAPI knows only the main type."""
        alternative: Alternative = operation.alternatives[status]
        if alternative.type is None:
            return _raw_response(value, status, alternative.media_type, context)
        key = (operation.operation_id, status)
        adapter = self._adapters.get(key)
        if adapter is None:
            adapter = self._adapters[key] = pydantic.TypeAdapter(alternative.type)
        try:
            body = adapter.validate_python(value, from_attributes=True)
        except pydantic.ValidationError as exc:
            raise ResponseValidationError(exc.errors(include_url=False), body=value) from exc
        data = adapter.dump_python(body, mode="json", by_alias=True, exclude_unset=True)
        return JSONResponse(data, status_code=status, media_type=alternative.media_type, headers=_headers(context))


async def _check_parts(request: Request, required: Sequence[str]) -> None:
    """An optional multipart body, when sent (any part), has the parts its schema requires."""
    form = await request.form()
    missing = [name for name in required if name not in form] if len(form) else []
    if missing:
        raise RequestValidationError(
            [{"type": "missing", "loc": ("body", n), "msg": "Field required"} for n in missing]
        )


def _raw_response(value: object, status: int, media_type: str, context: Context) -> Response:
    """A bytes or text body passed through as `media_type` (anything else as its text)."""
    content = value if isinstance(value, (bytes, str)) else str(value)
    return Response(content, status_code=status, media_type=media_type, headers=_headers(context))


def _headers(context: Context) -> dict[str, str]:
    return {k: v for k, v in context.response.headers.items() if k.lower() != "content-length"}


def raw_body(required: bool) -> Callable[[Request], Awaitable[bytes | None]]:
    """A dependency reading a non-form, non-JSON request body as bytes."""

    async def dependency(request: Request) -> bytes | None:
        body = await request.body()
        if not body:
            if required:
                raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required"}])
            return None
        return body

    return dependency


def structured_query(
    wire: str,
    tp: Any,
    *,
    style: str = "form",
    explode: bool = True,
    required: bool = False,
    array: bool = False,
    properties: tuple[str, ...] | None = None,
    declared: tuple[str, ...] = (),
    nested: tuple[str, ...] = (),
    json_values: bool = False,
) -> Callable[[Request], Any]:
    """A dependency reading a query parameter FastAPI cannot: an object, a map, an array of objects.

    As the generated clients send them: `deepObject` (`filter[a][b]=1`, repeated keys for arrays); `form`
    exploded (an object's properties as parameters of their own: `properties`, or for a map every parameter the
    operation does not `declare`; as JSON text the properties holding an object or array, `nested`, or every value
    of a map of them, `json_values`); `form` not exploded (`filter=a,1,b,2`); an object inside an array as JSON.
    The value is validated into `tp`; what fails is a validation error located at `("query", wire, ...)`.
    """
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(tp)

    def dependency(request: Request) -> Any:
        raw = _structured_value(
            request.query_params, wire, style, explode, properties, declared, array, nested, json_values
        )
        if raw is None:
            if required:
                raise _missing("query", wire)
            return None
        return _validated(adapter, raw, ("query", wire))

    return dependency


def _missing(location: str, wire: str) -> RequestValidationError:
    return RequestValidationError([{"type": "missing", "loc": (location, wire), "msg": "Field required"}])


def _parameter_text(request: Request, location: str, wire: str) -> str | None:
    """A parameter's raw text from the path, the query, a header or a cookie (percent-decoded, as clients encode
    a cookie value); None when it is absent."""
    if location == "cookie":
        cookie = request.cookies.get(wire)
        return unquote(cookie) if cookie is not None else None
    sources: Mapping[str, Any] = {"path": request.path_params, "query": request.query_params}
    raw = sources[location].get(wire) if location in sources else request.headers.get(wire)
    return None if raw is None else str(raw)


def _validated(adapter: pydantic.TypeAdapter[Any], raw: Any, location: tuple[str, ...]) -> Any:
    """`raw` validated by `adapter`; a failure is a request validation error located under `location`."""
    try:
        return adapter.validate_python(raw)
    except pydantic.ValidationError as exc:
        errors = [{**error, "loc": (*location, *error["loc"])} for error in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


def json_part(tp: Any, wire: str) -> Callable[[str | list[str] | None], Any]:
    """The converter of a multipart part the clients send as JSON text (an object), or of an array's parts (one per
    item): decoded (text that is not JSON stays text) and validated into `tp`; a failure is located at
    `("body", wire, ...)`. Built once per app, beside the endpoint that reads the part as text."""
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(tp)

    def convert(value: str | list[str] | None) -> Any:
        if value is None:
            return None
        decoded = [_json_value(item) for item in value] if isinstance(value, list) else _json_value(value)
        return _validated(adapter, decoded, ("body", wire))

    return convert


def json_parameter(wire: str, tp: Any, *, location: str, required: bool) -> Callable[[Request], Any]:
    """A dependency reading a parameter declared with JSON `content` (`?filter=%7B%22a%22%3A1%7D`): its text parsed
    as JSON, then validated into `tp`; what fails is a validation error located at `(location, wire, ...)`."""

    def decode(raw: str) -> Any:
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise _invalid("json_invalid", f"Invalid JSON: {exc}", (location, wire), raw) from None

    return _parameter_dependency(wire, tp, location, required, decode)


def styled_parameter(
    wire: str,
    tp: Any,
    *,
    location: str = "path",
    style: str = "simple",
    explode: bool = False,
    kind: str = "scalar",
    required: bool = True,
) -> Callable[[Request], Any]:
    """A dependency reading a path or header parameter FastAPI cannot: an array or an object in a path or header
    (`simple` style: `/lines/tube,dlr`, `R,100,G,200`, exploded `R=100,G=200`), or any path parameter in the
    `label` (`.3.4`) or `matrix` (`;id=3;id=4`) style, as the generated clients send them. `kind` is what the
    value is: "scalar", "array" or "object". Validated into `tp`; what fails is a validation error located at
    `(location, wire, ...)`."""

    def decode(raw: str) -> Any:
        value = _unstyled(raw, wire, style, explode, kind)
        if value is None:
            message = f"Value is not {kind if kind != 'scalar' else 'a value'} in the {style} style"
            raise _invalid("parameter_style", message, (location, wire), raw)
        return value

    return _parameter_dependency(wire, tp, location, required, decode)


def _parameter_dependency(
    wire: str, tp: Any, location: str, required: bool, decode: Callable[[str], Any]
) -> Callable[[Request], Any]:
    """A dependency reading a parameter's text (`_parameter_text`), decoding it and validating it into `tp`; an
    absent required parameter is a missing-field error, a failure is located at `(location, wire, ...)`."""
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(tp)

    def dependency(request: Request) -> Any:
        raw = _parameter_text(request, location, wire)
        if raw is None:
            if required:
                raise _missing(location, wire)
            return None
        return _validated(adapter, decode(raw), (location, wire))

    return dependency


def _invalid(kind: str, message: str, location: tuple[str, ...], raw: str) -> RequestValidationError:
    return RequestValidationError([{"type": kind, "loc": location, "msg": message, "input": raw}])


def _unstyled(raw: str, wire: str, style: str, explode: bool, kind: str) -> Any:
    """A path or header value in its OpenAPI style back to a string, a list or a dict of strings; None when it is
    not in that style."""
    separator = ","
    if style == "label":
        if not raw.startswith("."):
            return None
        raw = raw[1:]
        separator = "." if explode else ","
    elif style == "matrix":
        if not raw.startswith(";"):
            return None
        parts = [part.partition("=") for part in raw[1:].split(";")]
        if explode and kind == "object":
            return {key: value for key, _, value in parts}
        if any(name != wire for name, _, _ in parts) or (len(parts) > 1 and not (explode and kind == "array")):
            return None
        if explode and kind == "array":
            return [value for _, _, value in parts]
        raw = parts[0][2]
    if kind == "scalar":
        return raw
    items = raw.split(separator) if raw else []
    if kind == "array":
        return items
    if explode:
        pairs = [item.partition("=") for item in items]
        return None if any(not eq for _, eq, _ in pairs) else {key: value for key, _, value in pairs}
    return None if len(items) % 2 else dict(zip(items[::2], items[1::2], strict=True))


def _structured_value(
    query: Any,
    wire: str,
    style: str,
    explode: bool,
    properties: tuple[str, ...] | None,
    declared: tuple[str, ...],
    array: bool,
    nested: tuple[str, ...] = (),
    json_values: bool = False,
) -> Any:
    if style == "deepObject":
        result: dict[str, Any] = {}
        found = False
        for key, value in query.multi_items():
            if not key.startswith(wire + "["):
                continue
            path = key[len(wire) :].strip("[]").split("][")
            node = result
            for part in path[:-1]:
                child = node.get(part)
                node = node.setdefault(part, {}) if not isinstance(child, dict) else child
            last = path[-1]
            if last in node:
                node[last] = [*node[last], value] if isinstance(node[last], list) else [node[last], value]
            else:
                node[last] = value
            found = True
        if found:
            return _indexed_lists(result)
        return (query.getlist(wire) or None) if array else None  # an array of scalars repeats its key
    values = query.getlist(wire)
    if array:
        if not values:
            return None
        return [_json_value(value) for value in values] if explode else _json_items(values[-1])
    if explode:
        # a map's keys: every parameter the operation does not declare, nor a deepObject one's (`filter[a]`)
        names = properties
        if names is None:
            names = tuple(k for k in query if k not in declared and k.partition("[")[0] not in declared)
        found_items = {name: query.get(name) for name in names if name in query}
        for name in found_items if json_values else nested:
            if name in found_items:
                found_items[name] = _json_value(found_items[name])
        return found_items or None
    if not values:
        return None
    parts = values[-1].split(",")
    return dict(zip(parts[0::2], parts[1::2], strict=False))


def _indexed_lists(node: Any) -> Any:
    """deepObject's numbered items (`items[0][price]=p1&items[1][price]=p2`, as the SDKs send an array of objects)
    back to a list: a level whose keys are exactly 0..n-1."""
    if not isinstance(node, dict):
        return node
    items = {key: _indexed_lists(value) for key, value in node.items()}
    if items and sorted(items) == sorted(str(i) for i in range(len(items))):
        return [items[str(i)] for i in range(len(items))]
    return items


def form_body(
    tp: Any,
    *,
    fields: Mapping[str, str],
    styles: Mapping[str, tuple[str, bool]],
    required: bool = True,
    literals: Mapping[str, tuple[str | int | float | bool, ...]] | None = None,
) -> Callable[[Request], Awaitable[Any]]:
    """A dependency reading a form body FastAPI cannot: a field whose `encoding` declares a style (Stripe's
    `metadata[key]=value`, deepObject) is read as the query would be, an object or an array of objects as the SDKs
    send it (JSON text per value). `fields`: each field's kind, "scalar", "array" (of scalars), "object" (or a map)
    or "objects" (an array of anything else). Validated into `tp`; what fails is located at `("body", ...)`. An
    optional body (not `required`) none of whose fields is sent is None. `literals`: the fields typed by boolean or
    number literals, whose text (`true`, `2`) is read as the literal it spells."""
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(tp)
    spelled = {wire: checks.literal_text(values) for wire, values in (literals or {}).items()}

    async def dependency(request: Request) -> Any:
        form = await request.form()
        data: dict[str, Any] = {}
        for wire, kind in fields.items():
            if wire in styles:
                style, explode = styles[wire]
                value = _structured_value(form, wire, style, explode, None, (), kind != "scalar")
                if value is not None:
                    data[wire] = value
            elif wire in form:
                values = [v for v in form.getlist(wire) if isinstance(v, str)]
                if kind in ("object", "objects"):
                    values = [_json_value(v) for v in values]
                if wire in spelled:
                    values = [spelled[wire](v) for v in values]
                data[wire] = values if kind in ("array", "objects") else values[-1]
        if not data and not required:
            return None  # an optional body not sent (none of its fields)
        return _validated(adapter, data, ("body",))

    return dependency


def _json_value(text: str) -> Any:
    """An item as the clients send it inside an array: JSON for an object or array, else the text itself (which
    validation turns into the item's type)."""
    if not text.lstrip().startswith(("{", "[")):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _json_items(text: str) -> list[Any]:
    """The items of an array sent as one value: JSON objects joined by commas, else comma-separated text."""
    try:
        value = json.loads(f"[{text}]")
    except ValueError:
        return text.split(",")
    return value if isinstance(value, list) else [value]


def text_body(required: bool) -> Callable[[Request], Awaitable[str | None]]:
    """A dependency reading a text request body."""
    read = raw_body(required)

    async def dependency(request: Request) -> str | None:
        body = await read(request)
        if body is None:
            return None
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestValidationError(
                [{"type": "string_unicode", "loc": ("body",), "msg": "Input should be valid UTF-8 text"}]
            ) from None

    return dependency


@cache
def json_response(media_type: str) -> type[JSONResponse]:
    """A JSON response class for a JSON media type other than application/json."""
    return type("JSONResponse", (JSONResponse,), {"media_type": media_type})


@cache
def media_response(media_type: str) -> type[Response]:
    """A response class for a non-JSON success body (binary or text)."""
    return type("MediaResponse", (Response,), {"media_type": media_type})


class OperationRoute(APIRoute):
    """An APIRoute that knows its spec operation and serves its path parameters by their spec names."""

    operation: Operation
    path_names: Mapping[str, str] = {}
    routes: Sequence[Any] = ()  # the router's routes: where one declining a request by its body passes it on

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(_routable(path), endpoint, **options)
        self.path_format = self.operation.path
        # the keys its JSON body must have, where the route is told apart by them (checked in `handle`)
        self.body_keys = next((values for where, _, values in self.operation.selectors if where == "body"), None)
        if "}{" in _route_path(path):
            self.path_regex = _adjacent_regex(path, dict(self.operation.path_values))

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        routed = _slashes_kept(scope)
        match, child = super().matches(routed)
        if "path_params" in child and (self.path_names or routed is not scope):
            child["path_params"] = {
                self.path_names.get(k, k): v.replace(_SLASH, "/") if isinstance(v, str) else v
                for k, v in child["path_params"].items()
            }
        selectors = self.operation.selectors
        if match is Match.FULL and selectors and not _selected(scope, selectors, child.get("path_params", {})):
            return Match.NONE, {}
        return match, child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.body_keys is not None:
            body = await _whole_body(receive)
            receive = _replaying(body, receive)
            if not _has_keys(body, self.body_keys) and await self._pass_on(scope, receive, send):
                return
        if self.operation.delimited:
            scope = split_delimited(scope, self.operation.delimited)
        await super().handle(scope, receive, send)

    async def _pass_on(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Hand a request this route declines by its body to the next route that matches it, as the router would
        have; False when none does (this route then answers, its validation saying what the body lacks)."""
        later = False
        for route in self.routes:
            if route is self:
                later = True
            elif later:
                match, child = route.matches(scope)
                if match is Match.FULL:
                    await route.handle({**scope, **child}, receive, send)
                    return True
        return False


class UnimplementedRoute(OperationRoute):
    """An operation no service implements: it answers 501 without looking at the request."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        operation_id = self.operation.operation_id

        async def handler(request: Request) -> Response:
            return NotImplementedOperation(operation_id).response(request)

        return handler


_RAW_DELIMITERS = {",": (b",",), " ": (b"%20", b"+", b" "), "|": (b"|", b"%7C", b"%7c")}


def split_delimited(scope: Scope, delimited: tuple[tuple[str, str, str], ...]) -> Scope:
    """The request with delimited array parameters (`a,b`) as repeated ones (`x=a&x=b`), as FastAPI reads arrays.

    Splits the raw query string, so an encoded delimiter (`%2C`) stays part of its value.
    """
    query = {name: delimiter for location, name, delimiter in delimited if location == "query"}
    headers = {name.lower().encode("latin-1") for location, name, _ in delimited if location == "header"}
    scope = dict(scope)
    if query and scope.get("query_string"):
        pairs: list[bytes] = []
        for pair in scope["query_string"].split(b"&"):
            name, equals, value = pair.partition(b"=")
            delimiter = query.get(unquote_plus(name.decode("latin-1")))
            if delimiter is None or not equals:
                pairs.append(pair)
                continue
            pieces = [value]
            for raw in _RAW_DELIMITERS.get(delimiter, (delimiter.encode(),)):
                pieces = [piece for part in pieces for piece in part.split(raw)]
            pairs.extend(name + b"=" + piece for piece in pieces if piece)  # `x=` is the empty array
        scope["query_string"] = b"&".join(pairs)
    if headers:
        scope["headers"] = [
            (key, piece.strip())
            for key, value in scope.get("headers", [])
            for piece in (value.split(b",") if key.lower() in headers else [value])
        ]
    return scope


_ENCODED_SLASH = re.compile(rb"%2f", re.IGNORECASE)
_SLASH = "\uffff"  # a noncharacter: stands for an encoded slash while a path is matched


def _slashes_kept(scope: Scope) -> Scope:
    """The request as routes match it: a percent-encoded slash (`%2F`) inside a segment stays inside it.

    ASGI servers decode the path, so `/tags/arn:aws:x%2Fy` would reach the router as two segments and a path
    parameter could never hold a `/` (an AWS ARN, a file path), although every client encodes it as data. Where the
    raw path has one, the path is matched with `_SLASH` in its place (put back in the parameters' values); the
    scope is left alone when the raw path does not decode to the path the server gave.
    """
    path = scope.get(_KEPT_PATH)
    if path is None:  # worked out once per request, not once per route tried
        path = scope[_KEPT_PATH] = _kept_path(scope)
    return {**scope, "path": path} if path else scope


_KEPT_PATH = "sdkgen.kept_path"  # the scope key of `_kept_path`'s answer ("" where the path stands as it is)


def _kept_path(scope: Scope) -> str:
    raw = scope.get("raw_path")
    if scope.get("type") != "http" or not raw or not _ENCODED_SLASH.search(raw):
        return ""
    try:
        pieces = [unquote(piece.decode("ascii"), errors="strict") for piece in _ENCODED_SLASH.split(raw)]
    except UnicodeDecodeError:
        return ""
    if any(_SLASH in piece for piece in pieces) or "/".join(pieces) != scope.get("path"):
        return ""
    return _SLASH.join(pieces)


def _selected(
    scope: Scope, selectors: tuple[tuple[str, str, tuple[str, ...]], ...], path_params: Mapping[str, Any]
) -> bool:
    """Whether a request carries each (location, name, values) selector: the parameter, with one of the values
    when there are any (AWS tells `POST /` operations apart by the one value of their `X-Amz-Target` header), or
    for "content" a body of one of the media types; for "path-type" a path parameter that reads as its type
    (`/payslips/{year}` beside `/payslips/{runId}`: an integer, or a UUID)."""
    headers: dict[str, str] | None = None
    query: dict[str, list[str]] | None = None
    for location, name, values in selectors:
        if location == "body":
            continue  # the route checks it once it has read the body (`OperationRoute.handle`)
        if location == "path-type":
            if not _reads_as(values[0], str(path_params.get(name, ""))):
                return False
            continue
        if location == "path-string":
            if not _fits(values, str(path_params.get(name, ""))):
                return False
            continue
        if location == "path":
            if path_params.get(name) not in values:
                return False
            continue
        if headers is None:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        if location == "content":  # the body's media type: parameters left out, `*` matching any
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if not any(_media_matches(media, value) for value in values):
                return False
            continue
        if location == "header":
            found = [headers[name.lower()]] if name.lower() in headers else []
        else:
            if query is None:
                query = {}
                for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
                    query.setdefault(key, []).append(value)
            found = query.get(name, [])
        if not found or (values and not any(value in values for value in found)):
            return False
    return True


_PATH_TYPES: dict[str, re.Pattern[str]] = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "number": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"),
    "boolean": re.compile(r"true|false"),
    "uuid": re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"),
}


async def _whole_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body read already, then waits on the client as the original does."""
    given = False

    async def replay() -> Any:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _has_keys(body: bytes, keys: Sequence[str]) -> bool:
    """Whether a body is a JSON object with each of `keys`."""
    try:
        value = json.loads(body)
    except ValueError:
        return False
    return isinstance(value, dict) and all(key in value for key in keys)


def _reads_as(kind: str, text: str) -> bool:
    """Whether a path parameter's text reads as a value of `kind` (as the route's validation would take it)."""
    pattern = _PATH_TYPES.get(kind)
    return pattern is None or pattern.fullmatch(text) is not None


def _selectivity(selectors: Sequence[tuple[str, str, tuple[str, ...]]]) -> tuple[int, int, int]:
    """A sort key, most selective first: what the request carries (a header, a query parameter, a body's media
    type or keys) before what its path parameters read as, which most values of a path meet (AWS's ids,
    `.*\\S.*`); of bodies, the one with more keys first."""
    on_path = sum(1 for location, _, _ in selectors if location.startswith("path"))
    keys = sum(len(values) for location, _, values in selectors if location == "body")
    return -(len(selectors) - on_path), -on_path, -keys


def _fits(bounds: Sequence[str], text: str) -> bool:
    """Whether a string path parameter meets its (min length, max length, pattern) as its route's validation
    checks them: the pattern with pydantic's own regex engine, so that routing and validation never disagree."""
    low, high, pattern = bounds
    if (low and len(text) < int(low)) or (high and len(text) > int(high)):
        return False
    return not pattern or _pattern_check(pattern)(text)


@cache
def _pattern_check(pattern: str) -> Callable[[str], bool]:
    checked: pydantic.TypeAdapter[str] = pydantic.TypeAdapter(
        Annotated[str, pydantic.StringConstraints(pattern=pattern)]
    )

    def check(text: str) -> bool:
        try:
            checked.validate_python(text)
        except pydantic.ValidationError:
            return False
        return True

    return check


def _media_matches(media: str, declared: str) -> bool:
    kind, _, subtype = declared.partition("/")
    return declared in ("*/*", media) or (subtype == "*" and media.startswith(kind + "/"))


def _adjacent_regex(path: str, values: Mapping[str, tuple[str, ...]]) -> re.Pattern[str]:
    """The route's regex where parameters touch (`/blog/{name}{ext}`): a parameter whose values the spec lists
    matches one of them (Starlette's `[^/]+` for each would give the last one a single character)."""
    placeholders = iter(_placeholders(path))
    regex = ""
    for piece in re.split(r"({[^}]+})", _route_path(path)):
        if not (piece.startswith("{") and piece.endswith("}")):
            regex += re.escape(piece)
            continue
        name, placeholder = next(placeholders)
        listed = sorted(values.get(name, ()), key=len, reverse=True)
        expression = "|".join(re.escape(value) for value in listed) if listed else "[^/]+"
        regex += f"(?P<{placeholder}>{expression})"
    return re.compile(f"^{regex}$")


def _route_path(path: str) -> str:
    """The part of a spec's path a request path is matched against: a spec may add a fragment or a query to tell
    operations of one path apart (AWS: `/tags/{arn}#tagKeys`, `/#X-Amz-Target=...`); neither reaches a server."""
    return re.split(r"[#?]", path, maxsplit=1)[0] or "/"


def _placeholders(path: str) -> list[tuple[str, str]]:
    """Each `{name}` of a path, with the placeholder Starlette matches it as: `{p<n>_}`, never the name itself.

    Starlette only matches `{identifier}` parameters, each once (not `{user-id}`, nor a name repeated), and FastAPI
    takes an endpoint parameter named like a placeholder for that path parameter: a path `/files/{body}` beside a
    request body (`body`), or `/items/{id}` beside a query parameter `id` (whose Python name the path parameter's
    may not take), would not start. Generated parameter names are never `p<n>_` (digits are words of their own).
    """
    return [(name, f"p{count}_") for count, name in enumerate(_PARAM.findall(_route_path(path)))]


def _routable(path: str) -> str:
    """The path as Starlette compiles it (`/users/{user-id}` → `/users/{p0_}`; see `_placeholders`)."""
    placeholders = iter(_placeholders(path))
    return _PARAM.sub(lambda match: "{" + next(placeholders)[1] + "}", _route_path(path))


def _path_names(path: str) -> dict[str, str]:
    """Placeholder → the spec's name (a repeated name's later values replace its first: they are one parameter)."""
    return {placeholder: name for name, placeholder in _placeholders(path)}


def _route_class(spec: RouteSpec, routes: Sequence[Any]) -> type[APIRoute]:
    base = OperationRoute if spec.implemented else UnimplementedRoute
    attributes = {"operation": spec.operation, "path_names": _path_names(spec.operation.path), "routes": routes}
    return type(base.__name__, (base,), attributes)


def _specificity(path: str) -> tuple[int, ...]:
    """Literal segments before parameters, so `/users/me` is matched before `/users/{id}`."""
    segments = _route_path(path).strip("/").split("/")
    return tuple(2 if _PARAM.fullmatch(s) else 1 if "{" in s else 0 for s in segments)


def _quiet_body_aliases() -> None:
    """FastAPI reads a body parameter through `Annotated[Model, FieldInfo(alias=name)]`; for a model built on first
    use (`defer_build`) pydantic then reports the alias as misplaced (`UnsupportedFieldAttributeWarning`, once per
    route, at its first request or the first `/openapi.json`), though FastAPI reads the alias itself. Only that
    report is silenced (pydantic 2.12 and later have the category)."""
    category = getattr(pydantic.warnings, "UnsupportedFieldAttributeWarning", None)
    if category is not None:
        warnings.filterwarnings("ignore", message="The 'alias' attribute with value ", category=category)


def add_routes(app: FastAPI | APIRouter, routes: Sequence[RouteSpec]) -> None:
    """Add the routes to an app, or to a router such as ``app.webhooks`` (documented, never served)."""
    _quiet_body_aliases()
    router = app.router if isinstance(app, FastAPI) else app
    # operations of one method and path: the most selective first; the one without selectors takes the rest
    for spec in sorted(routes, key=lambda r: (_specificity(r.operation.path), *_selectivity(r.operation.selectors))):
        options = dict(spec.options)
        responses = dict(options.pop("responses", {}))
        if not any(status in responses for status in ("422", "4XX", "default")):
            # Else FastAPI documents its own 422 (and its schemas, whose names may be the spec's);
            # the app's document keeps the statuses the spec declares only.
            responses["422"] = {"description": "Unprocessable Content"}
        router.add_api_route(
            spec.operation.path,
            spec.endpoint,
            methods=[spec.operation.method.upper()],
            route_class_override=_route_class(spec, router.routes),
            responses=responses,
            **options,
        )
    if isinstance(app, FastAPI):  # the spec's own paths come before the app's documentation (a spec's `GET /docs`)
        documentation = {app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url} - {None}
        own = [
            r for r in router.routes if not isinstance(r, OperationRoute) and getattr(r, "path", None) in documentation
        ]
        router.routes[:] = [r for r in router.routes if r not in own] + own
