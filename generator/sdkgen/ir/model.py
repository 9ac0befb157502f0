"""The intermediate representation: a small, language-neutral model of an API.

Emitters read only this. Everything a second target would need (names per language,
grouping into resources, pagination, idempotency, the success type of an operation) is
decided here once. Types refer to named models by key, so recursion needs no special case.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Ident:
    """One name, resolved per target language: a valid, non-reserved, collision-free identifier."""

    py: str
    ts: str


# --------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class Constraints:
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False

    def is_empty(self) -> bool:
        return self == _NO_CONSTRAINTS


_NO_CONSTRAINTS = Constraints()


class PrimitiveKind(enum.Enum):
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"


@dataclass(frozen=True, slots=True)
class Primitive:
    kind: PrimitiveKind
    format: str | None = None
    nullable: bool = False
    constraints: Constraints = _NO_CONSTRAINTS

    @property
    def is_binary(self) -> bool:
        return self.kind is PrimitiveKind.STRING and self.format == "binary"


@dataclass(frozen=True, slots=True)
class AnyType:
    """Any JSON value (a schema we cannot or need not narrow)."""

    nullable: bool = False


@dataclass(frozen=True, slots=True)
class NullType:
    """Only null (`type: "null"`)."""

    nullable: bool = True


@dataclass(frozen=True, slots=True)
class LiteralType:
    """`const`, or a one-valued enum used as a discriminator tag."""

    values: tuple[str | int | float | bool, ...]
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class ArrayType:
    items: TypeRef
    nullable: bool = False
    constraints: Constraints = _NO_CONSTRAINTS


@dataclass(frozen=True, slots=True)
class MapType:
    values: TypeRef
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class Discriminator:
    property: str  # wire name
    mapping: tuple[tuple[str, str], ...]  # (tag value, model key), in spec order


@dataclass(frozen=True, slots=True)
class UnionType:
    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class ModelRef:
    key: str  # key into Api.models
    nullable: bool = False


TypeRef = Primitive | AnyType | NullType | LiteralType | ArrayType | MapType | UnionType | ModelRef


# --------------------------------------------------------------------------- named models


@dataclass(slots=True)
class Property:
    wire: str
    name: Ident
    type: TypeRef
    required: bool
    read_only: bool = False
    write_only: bool = False
    has_default: bool = False
    default: Any = None
    description: str | None = None
    deprecated: bool = False
    extensions: dict[str, Any] = field(default_factory=dict)
    examples: list[Any] = field(default_factory=list)  # `example` / `examples` of the property's schema

    @property
    def literal_default(self) -> bool:
        """Optional, defaulting to the one value its type allows (a discriminator tag the spec does not require, a
        `const` with that default): models fill it in when absent instead of leaving it None, which the type
        could not hold."""
        t = self.type
        return (
            not self.required
            and self.has_default
            and isinstance(t, LiteralType)
            and not t.nullable
            and t.values == (self.default,)
            and type(t.values[0]) is type(self.default)
        )


@dataclass(slots=True)
class Model:
    """A named type. `kind` says which of the payload fields is meaningful."""

    key: str
    name: Ident
    kind: ModelKind
    origin: str  # JSON pointer of the schema in the bundled document
    description: str | None = None
    deprecated: bool = False
    extensions: dict[str, Any] = field(default_factory=dict)
    examples: list[Any] = field(default_factory=list)
    # object
    properties: list[Property] = field(default_factory=list)
    additional_properties: TypeRef | None = None  # declared type of extra keys, if any
    closed: bool = False  # `additionalProperties: false`: no key but the properties (enforced by the server only)
    min_properties: int | None = None  # minProperties / maxProperties: how many keys the object may have
    max_properties: int | None = None
    extends: list[str] = field(default_factory=list)  # keys of models merged in through allOf
    # enum
    enum_base: PrimitiveKind | None = None
    members: list[EnumMember] = field(default_factory=list)
    enum_open: bool = True  # accept values the spec does not list
    nullable: bool = False
    # union / alias
    target: TypeRef | None = None


class ModelKind(enum.Enum):
    OBJECT = "object"
    ENUM = "enum"
    UNION = "union"
    ALIAS = "alias"


@dataclass(frozen=True, slots=True)
class EnumMember:
    value: str | int | float | bool
    name: Ident  # py: UPPER_SNAKE member name; ts: the same, for const objects
    description: str | None = None


# --------------------------------------------------------------------------- operations


class ParameterLocation(enum.Enum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


@dataclass(slots=True)
class Parameter:
    wire: str
    name: Ident
    location: ParameterLocation
    type: TypeRef
    required: bool
    style: str  # OpenAPI's style; "json" for a parameter declared with JSON `content` (sent as its JSON text)
    explode: bool
    description: str | None = None
    deprecated: bool = False
    has_default: bool = False
    default: Any = None
    extensions: dict[str, Any] = field(default_factory=dict)
    media_type: str | None = None  # declared with `content` of this media type instead of a schema
    allow_reserved: bool = False  # a query value's RFC 3986 reserved characters are sent unencoded (`allowReserved`)

    @property
    def styled(self) -> bool:
        """Whether the parameter's style or explode differs from its location's default (`default_style`)."""
        return (self.style, self.explode) != default_style(self.location)


def default_style(location: ParameterLocation, style: str | None = None) -> tuple[str, bool]:
    """OpenAPI's default serialisation of a parameter: `form`, exploded, in the query and cookies; `simple`,
    not exploded, in the path and headers. Given a `style`, its default `explode` (true only for `form`)."""
    if style is None:
        style = "form" if location in (ParameterLocation.QUERY, ParameterLocation.COOKIE) else "simple"
    return style, style == "form"


class BodyKind(enum.Enum):
    JSON = "json"
    MULTIPART = "multipart"
    FORM = "form"
    BINARY = "binary"
    TEXT = "text"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Content:
    media_type: str
    kind: BodyKind
    type: TypeRef
    examples: tuple[Any, ...] = field(default=(), compare=False, hash=False)  # example values, spec order
    # a form body's fields whose `encoding` declares a style: (wire name, style, explode), where not `form`, exploded
    field_styles: tuple[tuple[str, str, bool], ...] = ()


@dataclass(slots=True)
class BodyField:
    """A top-level property of an object request body, offered as a keyword argument."""

    property: Property
    name: Ident  # may differ from property.name when it collides with a parameter


@dataclass(slots=True)
class RequestBody:
    required: bool
    contents: list[Content]
    description: str | None = None
    fields: list[BodyField] | None = None  # set when the preferred content is an object; else use `body`

    @property
    def preferred(self) -> Content:
        return self.contents[0]


@dataclass(slots=True)
class Header:
    wire: str
    type: TypeRef
    required: bool = False
    description: str | None = None


@dataclass(slots=True)
class Response:
    status: str  # "200", "2XX", "default"
    description: str | None
    contents: list[Content]
    headers: list[Header] = field(default_factory=list)

    @property
    def preferred(self) -> Content | None:
        return self.contents[0] if self.contents else None


class PaginationStyle(enum.Enum):
    CURSOR = "cursor"
    OFFSET = "offset"
    PAGE = "page"
    LINK = "link"


@dataclass(frozen=True, slots=True)
class Pagination:
    style: PaginationStyle
    items: tuple[str, ...]  # path of wire names to the array in the response; () when the body is the array
    item_type: TypeRef
    cursor_param: str | None = None
    next_cursor: tuple[str, ...] = ()
    offset_param: str | None = None
    limit_param: str | None = None
    page_param: str | None = None
    # cursor style: a boolean in the response that is false on the last page (`has_more`), and where the body has no
    # next cursor, the path inside the last item that is one (Stripe's `starting_after` = the last item's `id`)
    has_more: tuple[str, ...] = ()
    item_cursor: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SecurityRequirement:
    schemes: tuple[tuple[str, tuple[str, ...]], ...]  # (scheme key, scopes); all needed together


@dataclass(slots=True)
class Operation:
    key: str  # operationId, or derived from method and path; unique
    name: Ident  # method name within its resource
    method: str  # lower case
    path: str
    resource: str  # key of its Resource
    summary: str | None
    description: str | None
    deprecated: bool
    parameters: list[Parameter]
    request_body: RequestBody | None
    responses: list[Response]
    success: Response | None  # the 2xx response whose body the method returns
    success_optional: bool  # another 2xx has no body (e.g. 200 or 204)
    success_alternatives: list[Response]  # other 2xx whose body differs (e.g. 202 with a job): parsed by status
    errors: list[Response]  # 4xx/5xx/default with a body, for typed error bodies
    security: list[SecurityRequirement] | None  # None: inherit the API's
    idempotent: bool  # safe to retry without a key
    sends_idempotency_key: bool  # declares an Idempotency-Key header: send one automatically
    pagination: Pagination | None
    tags: list[str]
    origin: str
    servers: list[Server] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)
    # the declared Idempotency-Key header (kept out of `parameters`: SDKs send a key themselves),
    # for what only it says: whether the server requires it, its exact spelling, description and schema
    idempotency_key: Parameter | None = None
    operation_id: str | None = None  # the spec's operationId (`key` when given)
    # the path as the spec writes it, where `path` differs: a query it writes out (`/current?city={city}`), whose
    # variables are query parameters; kept for documents that show the spec's own paths (the server's)
    spec_path: str | None = None

    @property
    def successes(self) -> list[Response]:
        """The 2xx responses a call returns the body of: `success`, then its alternatives."""
        return [self.success, *self.success_alternatives] if self.success is not None else []

    @property
    def accept(self) -> str:
        """The Accept header a call sends: the media types of its success bodies (a wildcard as */*)."""
        types = [r.preferred.media_type for r in self.successes if r.preferred is not None]
        types = ["*/*" if "*" in t else t for t in types]
        return ", ".join(dict.fromkeys(types)) or "application/json"

    @property
    def idempotency_key_required(self) -> bool:
        """The spec declares the Idempotency-Key header required: a server rejects a call without it."""
        return self.idempotency_key is not None and self.idempotency_key.required

    def parameters_in(self, location: ParameterLocation) -> list[Parameter]:
        return [p for p in self.parameters if p.location is location]

    def parameter(self, wire: str) -> Parameter | None:
        return next((p for p in self.parameters if p.wire == wire), None)


@dataclass(slots=True)
class Resource:
    key: str
    name: Ident  # attribute on the client: py snake_case, ts camelCase
    class_name: Ident  # PascalCase class
    description: str | None
    operations: list[Operation]
    module: Ident = Ident("", "")  # the file stem of its module: py module, ts file (set with the names)


# --------------------------------------------------------------------------- API


class SecurityKind(enum.Enum):
    API_KEY = "apiKey"
    HTTP_BEARER = "bearer"
    HTTP_BASIC = "basic"
    OAUTH2 = "oauth2"
    OPENID_CONNECT = "openIdConnect"
    MUTUAL_TLS = "mutualTLS"  # 3.1 `mutualTLS` (and `http` with scheme `mutual`): a client certificate, sent by TLS
    HTTP = "http"  # another HTTP scheme (Digest, HOBA, a vendor's HMAC): `Authorization: <http_scheme> <credentials>`
    OTHER = "other"


@dataclass(slots=True)
class SecurityScheme:
    key: str
    kind: SecurityKind
    credentials: list[Ident]  # client options carrying the secret(s): e.g. api_key / apiKey
    location: ParameterLocation | None = None  # apiKey only
    parameter_name: str | None = None  # apiKey only
    description: str | None = None
    http_scheme: str | None = None  # HTTP only: the auth-scheme token the Authorization header starts with


@dataclass(frozen=True, slots=True)
class ServerVariable:
    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Server:
    url: str
    description: str | None = None
    variables: tuple[ServerVariable, ...] = ()

    def default_url(self) -> str:
        url = self.url
        for variable in self.variables:
            url = url.replace("{" + variable.name + "}", variable.default)
        return url


@dataclass(slots=True)
class Api:
    title: str
    version: str
    description: str | None
    openapi_version: str
    servers: list[Server]
    security_schemes: list[SecurityScheme]
    security: list[SecurityRequirement]
    models: dict[str, Model]  # by key, in a stable order
    resources: list[Resource]
    webhooks: list[Operation]
    extensions: dict[str, Any] = field(default_factory=dict)

    @property
    def operations(self) -> list[Operation]:
        return [op for resource in self.resources for op in resource.operations]

    @property
    def webhook_bodies(self) -> list[tuple[str, Content]]:
        """What the SDKs parse for webhooks: each webhook with a JSON body, once by name (its first operation)."""
        bodies: dict[str, Content] = {}
        for op in self.webhooks:
            body = op.request_body
            if body is not None and body.preferred.kind is BodyKind.JSON:
                bodies.setdefault(op.path, body.preferred)
        return list(bodies.items())

    def model(self, ref: ModelRef) -> Model:
        return self.models[ref.key]

    def object_of(self, key: str) -> Model | None:
        """The object model `key` is, or names through component aliases (`Cat2: {$ref: Cat}`); else None."""
        model = self.models.get(follow_aliases(self.models, key))
        return model if model is not None and model.kind is ModelKind.OBJECT else None

    def unaliased(self, t: TypeRef) -> TypeRef | None:
        """What `t` names through alias models (`NewPet: {$ref: Pet}`): the first type that is no alias; None where an
        alias names nothing (or aliases name each other in a loop)."""
        seen: set[str] = set()
        while isinstance(t, ModelRef) and self.models[t.key].kind is ModelKind.ALIAS:
            target = self.models[t.key].target
            if target is None or t.key in seen:
                return None
            seen.add(t.key)
            t = target
        return t

    def security_scheme(self, key: str) -> SecurityScheme | None:
        return next((s for s in self.security_schemes if s.key == key), None)


def follow_aliases(models: dict[str, Model], key: str) -> str:
    """The model a chain of aliases (`Cat2: {$ref: Cat}`) ends at, when nothing on the way makes it nullable;
    else `key` itself where the chain does not end at a model."""
    seen = {key}
    model = models.get(key)
    while model is not None and model.kind is ModelKind.ALIAS and not model.nullable:
        target = model.target
        if not isinstance(target, ModelRef) or target.nullable or target.key in seen:
            break
        key = target.key
        seen.add(key)
        model = models.get(key)
    return key


def model_directions(api: Api) -> dict[str, frozenset[str]]:
    """Model key → the directions its values travel in: "request" (bodies and parameters clients send) and
    "response" (bodies and headers they receive; webhook payloads too). What a required read-only or write-only
    property means for a model's one class depends on it: each is required in one direction only."""
    found: dict[str, set[str]] = {}

    def visit(root: TypeRef, direction: str) -> None:
        stack = [root]
        while stack:
            t = stack.pop()
            if isinstance(t, ArrayType):
                stack.append(t.items)
            elif isinstance(t, MapType):
                stack.append(t.values)
            elif isinstance(t, UnionType):
                stack.extend(t.variants)
            elif isinstance(t, ModelRef) and direction not in found.setdefault(t.key, set()):
                found[t.key].add(direction)
                model = api.models[t.key]
                stack.extend(p.type for p in model.properties)
                stack.extend(x for x in (model.additional_properties, model.target) if x is not None)

    for op in api.operations:
        for p in op.parameters:
            visit(p.type, "request")
        for content in op.request_body.contents if op.request_body is not None else ():
            visit(content.type, "request")
    for op in api.webhooks:  # a payload is sent to the clients
        for content in op.request_body.contents if op.request_body is not None else ():
            visit(content.type, "response")
    for op in [*api.operations, *api.webhooks]:
        for response in op.responses:
            for t in [c.type for c in response.contents] + [h.type for h in response.headers]:
                visit(t, "response")
    return {key: frozenset(directions) for key, directions in found.items()}
