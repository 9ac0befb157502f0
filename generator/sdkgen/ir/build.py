"""Stage 2: a loaded spec → the IR (`Api`), with every name and grouping decided here."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import sys
from collections import Counter
from typing import Any

from openapi_pydantic.v3 import v3_0, v3_1
from pydantic import BaseModel

from sdkgen.diagnostics import Diagnostic, SpecError, error, join_pointer, warning
from sdkgen.gctools import paused_gc
from sdkgen.ir import naming
from sdkgen.ir.model import (
    AnyType,
    Api,
    ArrayType,
    BodyField,
    BodyKind,
    Content,
    Header,
    Ident,
    LiteralType,
    MapType,
    ModelKind,
    ModelRef,
    NullType,
    Operation,
    Pagination,
    PaginationStyle,
    Parameter,
    ParameterLocation,
    Primitive,
    PrimitiveKind,
    RequestBody,
    Resource,
    Response,
    SecurityKind,
    SecurityRequirement,
    SecurityScheme,
    Server,
    ServerVariable,
    TypeRef,
    default_style,
    follow_aliases,
)
from sdkgen.ir.schemas import SchemaConverter, extensions_of, ref_of
from sdkgen.load import LoadedSpec
from sdkgen.load.structure import HTTP_METHODS

# Per-call options every generated method takes; a parameter must not shadow them.
PY_CALL_OPTIONS = frozenset({"timeout", "extra_headers", "extra_query", "extra_body", "max_retries", "idempotency_key"})
PY_CLIENT_OPTIONS = frozenset(
    {"base_url", "timeout", "max_retries", "default_headers", "default_query", "http_client", "with_raw_response"}
    | {"with_streaming_response", "request_page", "close", "copy", "with_options", "request", "aclose"}
    | {"get", "post", "put", "patch", "delete"}
)
_PY_CLIENT_RESERVED = PY_CLIENT_OPTIONS | naming.PY_IMPORTED_NAMES  # a resource is a class attribute of the client
# Builtins the per-call options' annotations name (`timeout: float | None`, `extra_headers: Mapping[str, str]`): a
# method of that name would hide them from the signatures after it (other builtins a signature names are written
# `builtins.x` where a method hides them).
_PY_METHOD_RESERVED = naming.PY_IMPORTED_NAMES | {"float", "str", "int", "object"}
# A credential is a parameter of the client's `__init__` and `with_options`, whose bodies call builtins (`dict`,
# `type`, `str`) and read `os.environ`: it may be named after none of them (nor a client option: its namespace).
_PY_CREDENTIAL_RESERVED = naming.PY_IMPORTED_NAMES | naming.PY_BUILTINS | {"os"}
# Object.prototype members cannot be class members either without breaking the class
_TS_OBJECT_MEMBERS = frozenset(
    {"constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString"}
)
TS_CLIENT_OPTIONS = (
    frozenset({"baseUrl", "timeoutMs", "maxRetries", "defaultHeaders", "fetch", "request", "options", "withOptions"})
    | _TS_OBJECT_MEMBERS
)

_NO_CONTENT_STATUSES = frozenset({"204", "205", "304"})
_PATH_ITEM = (v3_0.PathItem, v3_1.PathItem)
_PARAMETER = (v3_0.Parameter, v3_1.Parameter)
_REQUEST_BODY = (v3_0.RequestBody, v3_1.RequestBody)
_RESPONSE = (v3_0.Response, v3_1.Response)
_HEADER = (v3_0.Header, v3_1.Header)
_SECURITY_SCHEME = (v3_0.SecurityScheme, v3_1.SecurityScheme)
_EXAMPLE = (v3_0.Example, v3_1.Example)

IDEMPOTENT_METHODS = frozenset({"get", "head", "options", "put", "delete"})
_VERSION_SEGMENT = re.compile(r"^(v\d+(\.\d+)*|api|rest)$", re.IGNORECASE)
_PATH_VARIABLE = re.compile(r"{([^}]+)}")

_CURSOR_PARAMS = (
    "cursor",
    "starting_after",
    "after",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
)
_NEXT_CURSOR_FIELDS = (
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "cursor",
)
_LIMIT_PARAMS = ("limit", "page_size", "pageSize", "per_page", "perPage", "size", "count")
# a cursor that names the last item seen (Stripe, OpenAI, Anthropic): the next page starts after the last item's id
_AFTER_ITEM_PARAMS = ("starting_after", "startingAfter", "after", "after_id", "afterId")
_LAST_ID_FIELDS = ("last_id", "lastId")
_HAS_MORE_FIELDS = ("has_more", "hasMore")


class InternalError(Exception):
    """A bug in sdkgen, with the place in the spec being processed when it happened."""

    def __init__(self, location: str, cause: BaseException):
        super().__init__(f"{location}: {type(cause).__name__}: {cause}")
        self.location = location
        self.cause = cause


# Schemas nest through several calls a level: room for a few hundred levels of inline schemas (the default
# limit, 1,000, stops near 170); deeper nesting is reported as too deep, never as a crash.
_RECURSION_LIMIT = 6000


def build_api(spec: LoadedSpec) -> tuple[Api, list[Diagnostic]]:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        with paused_gc():  # the IR is a large graph without cycles: see sdkgen.gctools
            return _Builder(spec).build()
    finally:
        sys.setrecursionlimit(limit)


class _Builder:
    def __init__(self, spec: LoadedSpec):
        self.spec = spec
        self.doc = spec.model
        self.schemas = SchemaConverter(spec.model, spec.is_31, spec.locate)
        self.diagnostics: list[Diagnostic] = []
        self._schemes: list[tuple[str, Any]] | None = None  # see `_declared_schemes`

    def build(self) -> tuple[Api, list[Diagnostic]]:
        components = self.doc.components
        component_schemas: dict[str, Any] = dict(components.schemas or {}) if components else {}
        self.schemas.reserve_component_names(list(component_schemas))
        for name, node in component_schemas.items():
            pointer = join_pointer("/components/schemas", name)
            self._guard(pointer, functools.partial(self.schemas.component, name, node, pointer))

        operations: list[Operation] = []
        for path, item in (self.doc.paths or {}).items():
            pointer = join_pointer("/paths", path)
            if not path.startswith("/"):
                message = f"path {path!r} does not start with '/'; read as '/{path}'"
                self.diagnostics.append(warning("relative-path", message, self.spec.locate(pointer)))
                path = "/" + path
            operations.extend(self._path_item(path, item, pointer))
        webhooks: list[Operation] = []
        for name, item in (getattr(self.doc, "webhooks", None) or {}).items():
            if isinstance(item, (v3_1.PathItem, v3_0.PathItem)):
                webhooks.extend(self._path_item(name, item, join_pointer("/webhooks", name), webhook=True))
        self.schemas.finish()
        for op in operations + webhooks:
            self._finish_types(op)
        resources = self._group(operations)
        self._name_webhooks(webhooks)
        self._unique_keys(operations)  # after naming: a method is named from its operationId as written
        self._unique_keys(webhooks)
        api = Api(
            title=self.doc.info.title,
            version=self.doc.info.version,
            description=self.doc.info.description,
            openapi_version=self.spec.version,
            servers=self._servers(self.doc.servers, "/servers"),
            security_schemes=self._security_schemes(),
            security=self._security(self.doc.security, "/security") or [],
            models=self.schemas.models,
            resources=resources,
            webhooks=webhooks,
            extensions=extensions_of(self.doc),
        )
        return api, self.diagnostics + self.schemas.diagnostics

    def _unique_keys(self, operations: list[Operation]) -> None:
        """An operationId used twice (the spec requires them unique) keeps its first operation; each later one gets
        a numbered key, with a warning, so that names and the server's dispatch stay apart."""
        first: dict[str, Operation] = {}
        taken = {op.key for op in operations}
        for op in operations:
            if op.key not in first:
                first[op.key] = op
                continue
            number = 2
            while f"{op.key}_{number}" in taken:
                number += 1
            key = f"{op.key}_{number}"
            taken.add(key)
            message = f"operationId {op.key!r} is also used at #{first[op.key].origin}; this operation is {key!r}"
            self.diagnostics.append(
                warning("duplicate-operation-id", message, self.spec.locate(join_pointer(op.origin, "operationId")))
            )
            op.key = key

    def _guard(self, pointer: str, action: Any) -> Any:
        try:
            return action()
        except (InternalError, SpecError):
            raise
        except RecursionError:
            message = "schemas nest too deeply here to be converted (a few hundred levels at most)"
            raise SpecError([error("too-deep", message, self.spec.locate(pointer))]) from None
        except Exception as exc:
            raise InternalError(str(self.spec.locate(pointer)) + f" (#{pointer})", exc) from exc

    # ------------------------------------------------------------------ operations

    def _path_item(self, path: str, item: Any, pointer: str, webhook: bool = False) -> list[Operation]:
        item, pointer = self._deref_object(item, pointer, _PATH_ITEM)
        if item is None:
            return []
        shared = list(item.parameters or [])
        result = []
        for method in HTTP_METHODS:
            op = getattr(item, method, None)
            if op is None:
                continue
            op_pointer = join_pointer(pointer, method)
            built = self._guard(
                op_pointer, functools.partial(self._operation, path, method, op, shared, item, op_pointer)
            )
            result.append(built)
        return result

    def _operation(self, path: str, method: str, op: Any, shared: list[Any], item: Any, pointer: str) -> Operation:
        key = op.operationId or f"{method} {path}"
        hint = naming.pascal(op.operationId) if op.operationId else naming.pascal(f"{method} {path}")
        route, query_variables = _query_template(path)
        credentials = self._credential_headers(op.security if op.security is not None else self.doc.security)
        params = self._parameters(route, shared, op.parameters or [], pointer, hint, query_variables, credentials)
        idempotency = [
            p for p in params if p.location is ParameterLocation.HEADER and p.wire.lower() == "idempotency-key"
        ]
        params = [p for p in params if p not in idempotency]
        self._query_key_clashes(params, pointer)
        idempotency_key = idempotency[0] if idempotency else None
        if idempotency_key is not None:
            idempotency_key.name = Ident("idempotency_key", "idempotencyKey")  # the per-call option's name
        body = (
            self._request_body(op.requestBody, join_pointer(pointer, "requestBody"), hint) if op.requestBody else None
        )
        responses = self._responses(op.responses or {}, join_pointer(pointer, "responses"), hint)
        success, optional = _success(responses)
        alternatives = _success_alternatives(responses, success)
        errors = [
            r for r in responses if not r.status.startswith("2") and r.contents and not r.status.startswith(("1", "3"))
        ]
        operation = Operation(
            key=key,
            name=Ident("", ""),
            method=method,
            path=route,
            resource="",
            summary=op.summary,
            description=op.description,
            deprecated=bool(op.deprecated),
            parameters=params,
            request_body=body,
            responses=responses,
            success=success,
            success_optional=optional,
            success_alternatives=alternatives,
            errors=errors,
            security=self._security(op.security, join_pointer(pointer, "security")),
            idempotent=method in IDEMPOTENT_METHODS,
            sends_idempotency_key=idempotency_key is not None,
            pagination=None,
            tags=list(op.tags or []),
            origin=pointer,
            servers=self._servers(op.servers or item.servers, join_pointer(pointer, "servers")),
            extensions=extensions_of(op),
            idempotency_key=idempotency_key,
            operation_id=op.operationId or None,
            spec_path=path if route != path else None,
        )
        self._name_parameters(operation)
        operation.pagination = self._pagination(operation, pointer)
        return operation

    def _query_key_clashes(self, params: list[Parameter], pointer: str) -> None:
        """Warn where two query parameters send the same key: an object exploded into its properties (`style: form`,
        the default) beside a parameter named like one of them (sinao's `movements`, whose `type` and `id` sit
        beside the parameters `type` and `id`). Sent, a server reads one value for both."""
        senders: dict[str, str] = {}
        shared: dict[tuple[str, str], list[str]] = {}
        for param in params:
            if param.location is not ParameterLocation.QUERY:
                continue
            for key in self._query_keys(param):
                first = senders.setdefault(key, param.wire)
                if first != param.wire:
                    shared.setdefault((first, param.wire), []).append(key)
        for (first, second), keys in shared.items():
            listed = ", ".join(repr(key) for key in keys)
            message = f"query parameters {first!r} and {second!r} both send {listed}: a server reads one value for both"
            self.diagnostics.append(warning("query-key-clash", message, self.spec.locate(pointer)))

    def _query_keys(self, param: Parameter) -> list[str]:
        """The query keys a parameter sends: its name, or an exploded object's property names."""
        if param.style == "deepObject":
            return []  # `name[key]`: its own keys
        if param.style != "form" or not param.explode:
            return [param.wire]
        model = self._aliased_model(param.type)
        if model is not None and model.kind is ModelKind.OBJECT:
            return [p.wire for p in model.properties]
        return [param.wire]

    def _deref_object(self, node: Any, pointer: str, expected: tuple[type[BaseModel], ...]) -> tuple[Any, str]:
        """Follow `$ref` for non-schema objects (parameters, responses, ...), checking loops and kinds."""
        seen = [pointer]
        while (ref := ref_of(node)) is not None or (isinstance(node, BaseModel) and _ref_attribute(node)):
            ref = ref or _ref_attribute(node)
            target = self.schemas.resolve(ref, expected[1] if self.spec.is_31 else expected[0])
            if target is None:
                self.diagnostics.append(
                    error("unresolved-ref", f"$ref {ref!r} does not resolve", self.spec.locate(pointer))
                )
                return None, pointer
            pointer, node = target
            if pointer in seen:
                chain = " → ".join("#" + p for p in [*seen, pointer])
                self.diagnostics.append(error("ref-cycle", f"$ref cycle: {chain}", self.spec.locate(seen[0])))
                return None, pointer
            seen.append(pointer)
        if not isinstance(node, expected):
            what = expected[-1].__name__.lower()
            self.diagnostics.append(
                warning(
                    "wrong-ref-target",
                    f"expected a {what} here, but $ref leads to #{pointer}; this {what} is left out",
                    self.spec.locate(seen[0]),
                )
            )
            return None, pointer
        return node, pointer

    def _parameters(
        self,
        path: str,
        shared: list[Any],
        own: list[Any],
        pointer: str,
        hint: str,
        query_variables: dict[str, str] | None = None,
        credential_headers: dict[str, str] | None = None,
    ) -> list[Parameter]:
        merged: dict[tuple[str, str], Parameter] = {}
        pointers: dict[tuple[str, str], str] = {}
        sources = [(p, join_pointer(pointer.rsplit("/", 1)[0], "parameters", i)) for i, p in enumerate(shared)]
        sources += [(p, join_pointer(pointer, "parameters", i)) for i, p in enumerate(own)]
        for node, node_pointer in sources:
            param, param_pointer = self._deref_object(node, node_pointer, _PARAMETER)
            if param is None:
                continue
            location = ParameterLocation(getattr(param.param_in, "value", param.param_in))
            if location is ParameterLocation.HEADER and param.name.lower() in _IGNORED_HEADERS:
                reason = _IGNORED_HEADERS[param.name.lower()]
                message = f"header parameter {param.name!r} is ignored ({reason})"
                self.diagnostics.append(warning("ignored-header-parameter", message, self.spec.locate(param_pointer)))
                continue
            scheme = (credential_headers or {}).get(param.name.lower())
            if scheme is not None and location is ParameterLocation.HEADER:
                # OpenAPI ignores an `Authorization` parameter; one a security scheme sends (here.com's OAuth header
                # beside its `oauth` scheme) would be sent twice, and the parameter's value would hide the credential
                message = f"header parameter {param.name!r} is ignored (security scheme {scheme!r} sends it)"
                self.diagnostics.append(warning("ignored-header-parameter", message, self.spec.locate(param_pointer)))
                continue
            if location in (ParameterLocation.HEADER, ParameterLocation.COOKIE) and not _TOKEN.fullmatch(param.name):
                # HTTP stacks refuse such a name (fetch throws, a server never sees it): nothing could send it
                message = f"{location.value} parameter {param.name!r} is ignored (a {location.value} name is a token)"
                self.diagnostics.append(warning("invalid-parameter-name", message, self.spec.locate(param_pointer)))
                continue
            schema_node = param.param_schema
            schema_pointer = join_pointer(param_pointer, "schema")
            media_type = None
            if schema_node is None and param.content:
                media_type, content = next(iter(param.content.items()))
                schema_node = content.media_type_schema
                schema_pointer = join_pointer(param_pointer, "content", media_type, "schema")
            type_ = self.schemas.convert(schema_node, schema_pointer, f"{hint} {param.name}")
            if location is ParameterLocation.PATH and not param.required:
                self.diagnostics.append(
                    warning(
                        "path-param-optional",
                        f"path parameter {param.name!r} must be required; treated as required",
                        self.spec.locate(param_pointer),
                    )
                )
            style, default_explode = default_style(location, param.style or None)
            explode = param.explode if param.explode is not None else default_explode
            if media_type is not None and body_kind(media_type) is BodyKind.JSON:
                style, explode = "json", False  # the value travels as its JSON text (`?filter={"a":1}`, encoded)
            view = self._schema_view(schema_node, schema_pointer)
            has_default = view is not None and "default" in view.__pydantic_fields_set__
            pointers[(param.name, location.value)] = param_pointer
            merged[(param.name, location.value)] = Parameter(
                wire=param.name,
                name=Ident("", ""),
                location=location,
                type=type_,
                required=bool(param.required) or location is ParameterLocation.PATH,
                style=style,
                explode=explode,
                description=param.description,
                deprecated=bool(param.deprecated),
                has_default=has_default,
                default=view.default if has_default and view is not None else None,
                extensions=extensions_of(param),
                media_type=media_type,
                # OpenAPI defines allowReserved for query parameters only
                allow_reserved=bool(param.allowReserved) and location is ParameterLocation.QUERY,
            )
        if query_variables:
            self._query_variables(merged, query_variables, pointer)
        params = list(merged.values())
        path_order = _PATH_VARIABLE.findall(path)
        params = self._match_path_template(params, path_order, pointers)
        declared = {p.wire for p in params if p.location is ParameterLocation.PATH}
        for name in dict.fromkeys(path_order):
            if name not in declared:
                self.diagnostics.append(
                    warning(
                        "undeclared-path-parameter",
                        f"path variable {{{name}}} has no parameter; it is taken as a required string",
                        self.spec.locate(pointer),
                    )
                )
                params.append(
                    Parameter(
                        name,
                        Ident("", ""),
                        ParameterLocation.PATH,
                        Primitive(PrimitiveKind.STRING),
                        True,
                        "simple",
                        False,
                    )
                )
        path_params = sorted(
            (p for p in params if p.location is ParameterLocation.PATH),
            key=lambda p: path_order.index(p.wire) if p.wire in path_order else len(path_order),
        )
        return path_params + [p for p in params if p.location is not ParameterLocation.PATH]

    def _query_variables(
        self, merged: dict[tuple[str, str], Parameter], variables: dict[str, str], pointer: str
    ) -> None:
        """The variables of a query the path writes out (`/alerts?lat={lat}&lon={lon}`: OpenAPI paths hold no query,
        yet specs write them) as the query parameters they are, under the path's keys: a parameter declared `in:
        path` under a variable's name moves to the query; one declared in the query is renamed to the key the path
        gives it; a variable nothing declares is a required string. One warning per operation."""
        for variable, key in variables.items():
            param = merged.pop((variable, ParameterLocation.PATH.value), None)
            declared = merged.pop((variable, ParameterLocation.QUERY.value), None)
            if declared is not None:
                param = declared  # the query's own declaration stands
            elif param is not None:
                param.location = ParameterLocation.QUERY
                param.style, param.explode = default_style(ParameterLocation.QUERY)
                param.allow_reserved = False
            else:
                param = Parameter(
                    key, Ident("", ""), ParameterLocation.QUERY, Primitive(PrimitiveKind.STRING), True, "form", True
                )
            param.wire = key
            merged.setdefault((key, ParameterLocation.QUERY.value), param)
        pairs = ", ".join(f"{{{v}}} as {k!r}" for v, k in variables.items())
        message = f"the path writes out a query (OpenAPI paths hold none); its variables are query parameters: {pairs}"
        self.diagnostics.append(warning("query-in-path", message, self.spec.locate(pointer)))

    def _match_path_template(
        self, params: list[Parameter], variables: list[str], pointers: dict[tuple[str, str], str]
    ) -> list[Parameter]:
        """Path parameters as the template names them: one whose name differs from a variable only in case takes
        the variable's spelling (`id` for `{Id}`), one the template does not name at all is left out (a method
        would require a value it never sends). Each with a warning."""
        unclaimed = [v for v in dict.fromkeys(variables) if not any(p.wire == v for p in params)]
        result = []
        for param in params:
            if param.location is not ParameterLocation.PATH or param.wire in variables:
                result.append(param)
                continue
            match = next((v for v in unclaimed if v.lower() == param.wire.lower()), None)
            where = self.spec.locate(pointers[(param.wire, "path")])
            if match is None:
                message = f"path parameter {param.wire!r} does not appear in the path; left out"
                self.diagnostics.append(warning("unused-path-parameter", message, where))
                continue
            message = f"path parameter {param.wire!r} is written {{{match}}} in the path; taken as that variable"
            self.diagnostics.append(warning("path-parameter-case", message, where))
            unclaimed.remove(match)
            param.wire = match
            result.append(param)
        return result

    def _schema_view(self, node: Any, pointer: str) -> Any:
        if node is None:
            return None
        try:
            return self.schemas.deref(node, pointer)[0]
        except Exception:
            return None

    def _name_parameters(self, op: Operation) -> None:
        py_names = naming.Namespace(PY_CALL_OPTIONS | {"body"})
        ts_names = naming.Namespace({"params", "options"})
        reserved = naming.PY_TYPE_NAMES | PY_CALL_OPTIONS | {"body"}
        for param in op.parameters:
            py = py_names.claim(naming.py_identifier(param.wire, fallback="param", reserved=reserved))
            ts = ts_names.claim(naming.ts_identifier(param.wire, fallback="param"))
            param.name = Ident(py, ts)
        body = op.request_body
        if body is None:
            return
        fields = self._body_fields(body)
        if fields is None:
            return
        result = []
        for prop in fields:
            base = naming.py_identifier(prop.wire, fallback="field", reserved=reserved)
            if base in py_names:
                base = "body_" + base
            result.append(BodyField(prop, Ident(py_names.claim(base), prop.wire)))
        body.fields = result

    def _body_fields(self, body: RequestBody) -> list[Any] | None:
        content = body.preferred
        if content.kind not in (BodyKind.JSON, BodyKind.MULTIPART, BodyKind.FORM):
            return None
        t = content.type
        if not isinstance(t, ModelRef) or t.nullable:
            return None
        model = self.schemas.models[follow_aliases(self.schemas.models, t.key)]  # `NewPet: {$ref: Pet}` too
        if model.kind is not ModelKind.OBJECT or model.additional_properties is not None:
            return None
        return [p for p in model.properties if not p.read_only]

    def _request_body(self, node: Any, pointer: str, hint: str) -> RequestBody | None:
        body, body_pointer = self._deref_object(node, pointer, _REQUEST_BODY)
        if body is None:
            return None
        contents = self._contents(body.content or {}, join_pointer(body_pointer, "content"), hint + " request")
        if not contents:
            return None
        contents = [self._as_fields(c, join_pointer(body_pointer, "content", c.media_type)) for c in contents]
        return RequestBody(required=bool(body.required), contents=contents, description=body.description)

    def _as_fields(self, content: Content, pointer: str) -> Content:
        """A multipart or form body is a set of named parts; a schema that names none (a string, an array)
        cannot say what they are, so the parts are taken as a mapping of any values, with a warning. So are the
        parts of a body whose schema says nothing (`{}`, or no schema), silently."""
        if content.kind not in (BodyKind.MULTIPART, BodyKind.FORM):
            return content
        if isinstance(content.type, AnyType):
            return dataclasses.replace(content, type=MapType(AnyType()))
        if not self._unnamed_parts(content.type):
            return content
        self.diagnostics.append(
            warning(
                "unsupported-schema",
                f"a {content.media_type} body is a set of named parts, but its schema is not an object; "
                "the parts are taken as a mapping of any values",
                self.spec.locate(pointer),
            )
        )
        return dataclasses.replace(content, type=MapType(AnyType()))

    def _unnamed_parts(self, t: TypeRef) -> bool:
        seen: set[str] = set()
        while isinstance(t, ModelRef) and t.key not in seen:
            seen.add(t.key)
            model = self.schemas.models[t.key]
            if model.kind is ModelKind.ALIAS and model.target is not None:
                t = model.target
                continue
            return model.kind is ModelKind.ENUM
        return isinstance(t, (Primitive, ArrayType, LiteralType, NullType))

    def _contents(self, content: dict[str, Any], pointer: str, hint: str, answer: bool = False) -> list[Content]:
        """The media types of a body; `answer`: of a response, where a multipart or form one is binary (no SDK
        decodes those answers: they are the raw bytes, and their schema makes no model)."""
        result = []
        for media_type, media in content.items():
            kind = body_kind(media_type)
            schema = media.media_type_schema
            if answer and kind in (BodyKind.MULTIPART, BodyKind.FORM):
                kind, schema = BodyKind.BINARY, None
            media_pointer = join_pointer(pointer, media_type, "schema")
            if schema is None:
                type_: TypeRef = Primitive(PrimitiveKind.STRING, "binary") if kind is BodyKind.BINARY else AnyType()
            else:
                type_ = self.schemas.convert(schema, media_pointer, hint)
            if kind is BodyKind.BINARY and not (isinstance(type_, Primitive) and type_.is_binary):
                type_ = Primitive(PrimitiveKind.STRING, "binary")
            elif kind in (BodyKind.JSON, BodyKind.TEXT) and isinstance(type_, Primitive) and type_.is_binary:
                kind = BodyKind.BINARY  # a binary string under a JSON or text media type (Azure): raw bytes
            styles = _field_styles(media) if kind is BodyKind.FORM else ()
            result.append(Content(media_type, kind, type_, self._media_examples(media), styles))
        order = [BodyKind.JSON, BodyKind.MULTIPART, BodyKind.FORM, BodyKind.BINARY, BodyKind.TEXT, BodyKind.NONE]
        return sorted(result, key=lambda c: order.index(c.kind))

    def _media_examples(self, media: Any) -> tuple[Any, ...]:
        found: list[Any] = []
        if "example" in media.__pydantic_fields_set__:
            found.append(media.example)
        for name, example in (media.examples or {}).items():
            resolved, _ = self._deref_object(example, f"/examples/{name}", _EXAMPLE)
            if resolved is not None and "value" in resolved.__pydantic_fields_set__:
                found.append(resolved.value)
        return tuple(found)

    def _responses(self, responses: Any, pointer: str, hint: str) -> list[Response]:
        result = []
        for status, node in dict(responses).items():
            status = str(status)
            resp_pointer = join_pointer(pointer, status)
            response, actual = self._deref_object(node, resp_pointer, _RESPONSE)
            if response is None:
                continue
            suffix = "response" if status.startswith("2") else f"{status} error"
            # 204, 205 and 304 answers have no content (RFC 9110), whatever the spec declares for them (AWS: 204
            # with an empty object): what an SDK reads and a server sends there is nothing
            content = {} if status in _NO_CONTENT_STATUSES else (response.content or {})
            contents = self._contents(content, join_pointer(actual, "content"), f"{hint} {suffix}", answer=True)
            headers = []
            for name, header in (response.headers or {}).items():
                header_obj, header_pointer = self._deref_object(header, join_pointer(actual, "headers", name), _HEADER)
                if header_obj is None:
                    continue
                header_type = self.schemas.convert(
                    getattr(header_obj, "param_schema", None), join_pointer(header_pointer, "schema"), f"{hint} {name}"
                )
                headers.append(Header(name, header_type, bool(header_obj.required), header_obj.description))
            result.append(
                Response(status.upper() if "x" in status.lower() else status, response.description, contents, headers)
            )
        return result

    def _finish_types(self, op: Operation) -> None:
        if not self.schemas.drops_discriminators:
            return  # no discriminator was dropped: every type stands as converted
        fix = self.schemas.fix
        for param in [*op.parameters, *([op.idempotency_key] if op.idempotency_key else [])]:
            param.type = fix(param.type)
        if op.request_body:
            op.request_body.contents = [_with_type(c, fix(c.type)) for c in op.request_body.contents]
        for response in op.responses:
            response.contents = [_with_type(c, fix(c.type)) for c in response.contents]
            for header in response.headers:
                header.type = fix(header.type)
        if op.pagination is not None:
            item_type = fix(op.pagination.item_type)
            if item_type is not op.pagination.item_type:
                op.pagination = dataclasses.replace(op.pagination, item_type=item_type)

    # ------------------------------------------------------------------ pagination

    def _pagination(self, op: Operation, pointer: str) -> Pagination | None:
        declared = op.extensions.get("x-sdkgen-pagination")
        if declared is not None:
            return self._declared_pagination(op, declared, join_pointer(pointer, "x-sdkgen-pagination"))
        if op.method != "get" or op.success is None or op.success.preferred is None:
            return None
        return self._conventional_pagination(op)

    def _aliased_model(self, t: TypeRef) -> Any:
        """The model `t` names, through component aliases (`Cat2: {$ref: Cat}`); None for no model, or aliases that
        name each other."""
        if isinstance(t, ModelRef):
            model = self.schemas.models.get(t.key)
            seen: set[str] = set()
            while model is not None and model.kind is ModelKind.ALIAS and isinstance(model.target, ModelRef):
                if model.key in seen:  # aliases naming each other: no object behind them
                    return None
                seen.add(model.key)
                model = self.schemas.models.get(model.target.key)
            return model
        return None

    def _field_type(self, t: TypeRef, path: tuple[str, ...]) -> TypeRef | None:
        for part in path:
            model = self._aliased_model(t)
            if model is None or model.kind is not ModelKind.OBJECT:
                return None
            prop = next((p for p in model.properties if p.wire == part), None)
            if prop is None:
                return None
            t = prop.type
        return t

    def _declared_pagination(self, op: Operation, declared: Any, pointer: str) -> Pagination | None:
        location = self.spec.locate(pointer)
        if not isinstance(declared, dict):
            self.diagnostics.append(error("invalid-pagination", "x-sdkgen-pagination must be an object", location))
            return None
        try:
            style = PaginationStyle(declared.get("style"))
        except ValueError:
            styles = ", ".join(s.value for s in PaginationStyle)
            self.diagnostics.append(error("invalid-pagination", f"style must be one of {styles}", location))
            return None
        items = tuple(str(declared.get("items", "")).split(".")) if declared.get("items") else ()
        body = op.success.preferred if op.success else None
        item_array = self._field_type(body.type, items) if body else None
        if not isinstance(item_array, ArrayType):
            self.diagnostics.append(
                error(
                    "invalid-pagination",
                    f"items {declared.get('items')!r} is not an array field of the 2xx response",
                    location,
                )
            )
            return None
        pagination = Pagination(
            style=style,
            items=items,
            item_type=item_array.items,
            cursor_param=declared.get("cursor_param"),
            next_cursor=tuple(str(declared["next_cursor"]).split(".")) if declared.get("next_cursor") else (),
            offset_param=declared.get("offset_param"),
            limit_param=declared.get("limit_param"),
            page_param=declared.get("page_param"),
            has_more=tuple(str(declared["has_more"]).split(".")) if declared.get("has_more") else (),
            item_cursor=tuple(str(declared["item_cursor"]).split(".")) if declared.get("item_cursor") else (),
        )
        # each entry: the keys of which one is needed (a cursor comes from the body, or from the last item)
        needed: tuple[tuple[str, ...], ...] = {
            PaginationStyle.CURSOR: (("cursor_param",), ("next_cursor", "item_cursor")),
            PaginationStyle.OFFSET: (("offset_param",),),
            PaginationStyle.PAGE: (("page_param",),),
            PaginationStyle.LINK: (),
        }[style]
        for alternatives in needed:
            if not any(declared.get(key) for key in alternatives):
                what = " or ".join(repr(key) for key in alternatives)
                self.diagnostics.append(error("invalid-pagination", f"{style.value} pagination needs {what}", location))
                return None
        for field_name in ("cursor_param", "offset_param", "limit_param", "page_param"):
            wire = declared.get(field_name)
            if wire and op.parameter(wire) is None:
                self.diagnostics.append(
                    error("invalid-pagination", f"{field_name} {wire!r} is not a parameter of this operation", location)
                )
                return None
        if pagination.next_cursor and self._field_type(body.type, pagination.next_cursor) is None if body else False:
            self.diagnostics.append(
                error(
                    "invalid-pagination",
                    f"next_cursor {declared.get('next_cursor')!r} is not a field of the response",
                    location,
                )
            )
            return None
        for label, path, within in (
            ("has_more", pagination.has_more, body.type if body else None),
            ("item_cursor", pagination.item_cursor, pagination.item_type),
        ):
            if path and within is not None and self._field_type(within, path) is None:
                where = "the response" if label == "has_more" else "an item"
                message = f"{label} {declared.get(label)!r} is not a field of {where}"
                self.diagnostics.append(error("invalid-pagination", message, location))
                return None
        return pagination

    def _conventional_pagination(self, op: Operation) -> Pagination | None:
        assert op.success is not None and op.success.preferred is not None
        body = op.success.preferred.type
        query = {p.wire for p in op.parameters_in(ParameterLocation.QUERY)}
        items: tuple[str, ...] | None = None
        item_type: TypeRef | None = None
        model = None if isinstance(body, ArrayType) else self._aliased_model(body)
        if isinstance(body, ArrayType):
            items, item_type = (), body.items
        elif model is not None and model.kind is ModelKind.OBJECT:
            arrays = [(p.wire, p.type) for p in model.properties if isinstance(p.type, ArrayType)]
            if len(arrays) == 1:
                items, item_type = (arrays[0][0],), arrays[0][1].items
        if items is None or item_type is None:
            return None
        limit = next((p for p in _LIMIT_PARAMS if p in query), None)
        cursor = next((p for p in _CURSOR_PARAMS if p in query), None)
        if cursor and items and model is not None:  # items named: the body is an object model
            wires = {p.wire: p.type for p in model.properties}
            has_more: tuple[str, ...] = ()
            for name in _HAS_MORE_FIELDS:
                flag = wires.get(name)
                if isinstance(flag, Primitive) and flag.kind is PrimitiveKind.BOOLEAN:
                    has_more = (name,)
                    break
            after_item = cursor in _AFTER_ITEM_PARAMS
            next_field = next((f for f in _NEXT_CURSOR_FIELDS if f in wires), None)
            if next_field is None and after_item:
                next_field = next((f for f in _LAST_ID_FIELDS if f in wires), None)
            if next_field:
                return Pagination(
                    PaginationStyle.CURSOR,
                    items,
                    item_type,
                    cursor_param=cursor,
                    next_cursor=(next_field,),
                    limit_param=limit,
                    has_more=has_more,
                )
            item = self._aliased_model(item_type)
            if after_item and has_more and item is not None and any(p.wire == "id" for p in item.properties):
                return Pagination(
                    PaginationStyle.CURSOR,
                    items,
                    item_type,
                    cursor_param=cursor,
                    limit_param=limit,
                    has_more=has_more,
                    item_cursor=("id",),
                )
        if "offset" in query and limit:
            return Pagination(PaginationStyle.OFFSET, items, item_type, offset_param="offset", limit_param=limit)
        if "page" in query:
            return Pagination(PaginationStyle.PAGE, items, item_type, page_param="page", limit_param=limit)
        if any(h.wire.lower() == "link" for h in op.success.headers) and items == ():
            return Pagination(PaginationStyle.LINK, items, item_type, limit_param=limit)
        return None

    # ------------------------------------------------------------------ resources and names

    def _group(self, operations: list[Operation]) -> list[Resource]:
        prefix = _common_prefix([op.path for op in operations])
        tag_descriptions = {t.name: t.description for t in (self.doc.tags or [])}
        groups: dict[str, list[Operation]] = {}
        labels: dict[str, str] = {}
        for op in operations:
            if op.tags:
                label = op.tags[0]
            else:
                segments = [s for s in op.path.strip("/").split("/") if s][len(prefix) :]
                static = [s for s in segments if not s.startswith("{")]
                label = static[0] if static else "root"
            key = naming.snake(label) or "root"
            groups.setdefault(key, []).append(op)
            labels.setdefault(key, label)
        py_attrs = naming.Namespace(_PY_CLIENT_RESERVED)
        ts_attrs = naming.Namespace(TS_CLIENT_OPTIONS)
        classes = naming.Namespace()
        ts_classes = naming.Namespace()
        # the classes the Python emitters derive from a resource's class name sit beside models
        taken = {model.name.py for model in self.schemas.models.values()}
        resources = []
        for key, ops in groups.items():
            label = labels[key]
            for op in ops:
                op.resource = key
            resources.append(
                Resource(
                    key=key,
                    name=Ident(
                        py_attrs.claim(naming.py_identifier(label, fallback="root", reserved=_PY_CLIENT_RESERVED)),
                        ts_attrs.claim(naming.ts_identifier(label, fallback="root", reserved=TS_CLIENT_OPTIONS)),
                    ),
                    class_name=Ident(
                        _resource_class(classes, naming.py_class_name(label, fallback="Root"), taken),
                        ts_classes.claim(naming.ts_type_name(label, fallback="Root"), ""),
                    ),
                    description=tag_descriptions.get(label),
                    operations=ops,
                )
            )
            self._name_methods(label, ops)
        py_files: set[str] = set()
        ts_files: set[str] = set()
        for resource in resources:
            resource.module = Ident(
                naming.file_stem(resource.name.py, py_files), naming.file_stem(resource.name.ts, ts_files, "")
            )
        return resources

    def _name_methods(self, resource_label: str, ops: list[Operation]) -> None:
        resource_words = [w.lower() for w in naming.words(resource_label)]
        candidates = []
        for op in ops:
            override = op.extensions.get("x-sdkgen-name")
            if isinstance(override, str) and naming.words(override):
                full = naming.words(override)
                short = full
            elif op.operation_id is not None:
                full = naming.words(op.key)
                short = _strip_resource(full, resource_words)
            else:
                full = short = _derived_method_words(op)
            candidates.append((op, full, short))
        short_counts: dict[str, int] = {}
        for _, _, short in candidates:
            joined = "_".join(w.lower() for w in short)
            short_counts[joined] = short_counts.get(joined, 0) + 1
        py_names = naming.Namespace({"with_raw_response", "with_streaming_response"})
        ts_names = naming.Namespace({"withResponse", "client"} | _TS_OBJECT_MEMBERS)
        for op, full, short in candidates:
            chosen = short if short_counts["_".join(w.lower() for w in short)] == 1 else full
            text = " ".join(chosen) or op.method
            op.name = Ident(
                # a method is a class attribute: it must not hide a module the signatures after it use
                py_names.claim(naming.py_identifier(text, fallback=op.method, reserved=_PY_METHOD_RESERVED)),
                ts_names.claim(naming.ts_identifier(text, fallback=op.method).rstrip("_") or op.method, ""),
            )

    def _name_webhooks(self, webhooks: list[Operation]) -> None:
        names = naming.Namespace()
        for op in webhooks:
            op.resource = "webhooks"
            text = op.key if op.operation_id is not None else op.path
            py = names.claim(naming.py_identifier(text, fallback="webhook"))
            op.name = Ident(py, naming.ts_identifier(text, fallback="webhook"))

    # ------------------------------------------------------------------ security and servers

    def _security(
        self, requirements: list[dict[str, list[str]]] | None, pointer: str
    ) -> list[SecurityRequirement] | None:
        """The alternatives of a `security` list. A scheme the components do not declare cannot be sent: an
        alternative naming one is left out, with a warning (an operation left with none needs no credentials)."""
        if requirements is None:
            return None
        components = self.doc.components
        declared = (components.securitySchemes or {}) if components else {}
        sendable = {name for name, _ in self._declared_schemes()}
        result = []
        for index, requirement in enumerate(requirements):
            if any(name in declared and name not in sendable for name in requirement):
                continue  # a scheme nothing can send, reported at the scheme (`_declared_schemes`)
            unknown = sorted(name for name in requirement if name not in declared)
            if unknown:
                names = ", ".join(repr(name) for name in unknown)
                message = f"security scheme {names} is not declared in components.securitySchemes; alternative ignored"
                where = self.spec.locate(join_pointer(pointer, index))
                self.diagnostics.append(warning("unknown-security-scheme", message, where))
                continue
            pairs = tuple((name, tuple(scopes)) for name, scopes in requirement.items())
            result += self._header_alternatives(pairs, join_pointer(pointer, index))
        return list(dict.fromkeys(result))

    def _header_alternatives(
        self, pairs: tuple[tuple[str, tuple[str, ...]], ...], pointer: str
    ) -> list[SecurityRequirement]:
        """One requirement, or the alternatives it can be sent as: schemes that all need the same header (Azure
        Container Registry's basic and an `Authorization` API key, required together) cannot be sent together
        (the last would overwrite the first, and every call would be refused); one of each such group is sent,
        each choice an alternative, with a warning."""
        headers = self._scheme_headers
        groups: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for pair in pairs:
            header = headers.get(pair[0])
            if header is not None:
                groups.setdefault(header, []).append(pair)
        clashing = [group for group in groups.values() if len(group) > 1]
        if not clashing:
            return [SecurityRequirement(pairs)]
        in_clash = {pair for group in clashing for pair in group}
        rest = tuple(pair for pair in pairs if pair not in in_clash)
        for group in clashing:
            names = " and ".join(repr(name) for name, _ in group)
            header = headers[group[0][0]].title()
            message = f"security schemes {names} all send the {header} header: not together, read as alternatives"
            self.diagnostics.append(warning("security-header-clash", message, self.spec.locate(pointer)))
        return [
            SecurityRequirement(tuple(pair for pair in pairs if pair in rest or pair in chosen))
            for chosen in itertools.product(*clashing)
        ]

    def _credential_headers(self, requirements: list[dict[str, list[str]]] | None) -> dict[str, str]:
        """The headers the security schemes an operation may use send (lower case), each with its scheme's name."""
        headers = self._scheme_headers
        found: dict[str, str] = {}
        for requirement in requirements or []:
            for name in requirement:
                if name in headers:
                    found.setdefault(headers[name], name)
        return found

    @functools.cached_property
    def _scheme_headers(self) -> dict[str, str]:
        """The header each declared security scheme sends its credential in (HTTP and OAuth: Authorization)."""
        headers = {}
        for name, scheme in self._declared_schemes():
            if _scheme_kind(scheme) is SecurityKind.MUTUAL_TLS:
                continue  # sent by TLS, not in a header
            if scheme.type in ("http", "oauth2", "openIdConnect"):
                headers[name] = "authorization"
            elif scheme.type == "apiKey" and scheme.security_scheme_in == "header" and scheme.name:
                headers[name] = scheme.name.lower()
        return headers

    def _declared_schemes(self) -> list[tuple[str, Any]]:
        """The security schemes of the components, `$ref`s followed (once: a broken one is reported once)."""
        if self._schemes is None:
            components = self.doc.components
            raw = dict(components.securitySchemes or {}) if components else {}
            self._schemes = []
            for name, node in raw.items():
                pointer = join_pointer("/components/securitySchemes", name)
                scheme, _ = self._deref_object(node, pointer, _SECURITY_SCHEME)
                if scheme is None:
                    continue
                where = scheme.security_scheme_in if scheme.type == "apiKey" else None
                if where in ("header", "cookie") and not _TOKEN.fullmatch(scheme.name or ""):
                    # rapidapi's dynamicdocs: `name: "ADVICEment API Key"`; fetch throws on such a header
                    message = (
                        f"API key {where} name {scheme.name!r} is not an HTTP token, so nothing can send it; the"
                        " scheme and the security alternatives naming it are left out"
                    )
                    self.diagnostics.append(warning("invalid-parameter-name", message, self.spec.locate(pointer)))
                    continue
                self._schemes.append((name, scheme))
        return self._schemes

    def _security_schemes(self) -> list[SecurityScheme]:
        schemes = self._declared_schemes()
        api_keys = sum(1 for _, s in schemes if s.type == "apiKey")
        bearers = sum(
            1
            for _, s in schemes
            if _scheme_kind(s) in (SecurityKind.HTTP_BEARER, SecurityKind.OAUTH2, SecurityKind.OPENID_CONNECT)
        )
        basics = sum(1 for _, s in schemes if _scheme_kind(s) is SecurityKind.HTTP_BASIC)
        others = Counter(s.scheme.lower() for _, s in schemes if _scheme_kind(s) is SecurityKind.HTTP)
        py_names = naming.Namespace(PY_CLIENT_OPTIONS)
        ts_names = naming.Namespace(TS_CLIENT_OPTIONS)
        result = []
        for name, scheme in schemes:
            kind = _scheme_kind(scheme)
            if kind is SecurityKind.API_KEY:
                texts = ["api key" if api_keys == 1 else name]
            elif kind in (SecurityKind.HTTP_BEARER, SecurityKind.OAUTH2, SecurityKind.OPENID_CONNECT):
                default = "bearer token" if kind is SecurityKind.HTTP_BEARER else "access token"
                texts = [default if bearers == 1 else f"{name} token"]
            elif kind is SecurityKind.HTTP_BASIC:
                texts = ["username", "password"] if basics == 1 else [f"{name} username", f"{name} password"]
            elif kind is SecurityKind.HTTP:
                # What follows the scheme's name in the header, e.g. `digest_credentials`
                texts = [f"{scheme.scheme if others[scheme.scheme.lower()] == 1 else name} credentials"]
            else:
                texts = []
            credentials = [
                Ident(
                    py_names.claim(naming.py_identifier(t, reserved=_PY_CREDENTIAL_RESERVED)),
                    ts_names.claim(naming.ts_identifier(t), ""),
                )
                for t in texts
            ]
            location = None
            if kind is SecurityKind.API_KEY:
                location = (
                    ParameterLocation(scheme.security_scheme_in)
                    if scheme.security_scheme_in in ("query", "header", "cookie")
                    else ParameterLocation.HEADER
                )
            result.append(
                SecurityScheme(
                    key=name,
                    kind=kind,
                    credentials=credentials,
                    location=location,
                    parameter_name=scheme.name if kind is SecurityKind.API_KEY else None,
                    description=scheme.description,
                    http_scheme=scheme.scheme if kind is SecurityKind.HTTP else None,
                )
            )
        return result

    def _servers(self, servers: list[Any] | None, pointer: str) -> list[Server]:
        result = []
        for server in servers or []:
            variables = tuple(
                ServerVariable(name, str(v.default), tuple(str(e) for e in (v.enum or [])), v.description)
                for name, v in (server.variables or {}).items()
            )
            result.append(Server(server.url, server.description, variables))
        return result


def _field_styles(media: Any) -> tuple[tuple[str, str, bool], ...]:
    """A form body's declared field encodings (Stripe's `metadata[key]=value` is deepObject), where not the default."""
    result = []
    for wire, encoding in (media.encoding or {}).items():
        style, default_explode = default_style(ParameterLocation.QUERY, encoding.style or None)  # a form is a query
        explode = encoding.explode if encoding.explode is not None else default_explode
        if (style, explode) != default_style(ParameterLocation.QUERY):
            result.append((wire, style, bool(explode)))
    return tuple(result)


def _with_type(content: Content, type_: TypeRef) -> Content:
    return content if type_ is content.type else dataclasses.replace(content, type=type_)


_CLASS_HAS_REF: dict[type[BaseModel], bool] = {}


def _ref_attribute(node: BaseModel) -> Any:
    """`getattr(node, "ref", None)` (a field, else an extra key) without an AttributeError raised inside pydantic."""
    own = node.__dict__
    if "ref" in own:
        return own["ref"]
    extra = node.__pydantic_extra__
    if extra and "ref" in extra:
        return extra["ref"]
    cls = type(node)
    has_ref = _CLASS_HAS_REF.get(cls)
    if has_ref is None:
        has_ref = _CLASS_HAS_REF[cls] = hasattr(cls, "ref")
    return getattr(node, "ref", None) if has_ref else None


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token: a header name, an auth-scheme, a cookie name


def _scheme_kind(scheme: Any) -> SecurityKind:
    if scheme.type == "apiKey":
        return SecurityKind.API_KEY
    if scheme.type == "http":
        value = (scheme.scheme or "").lower()
        if value == "bearer":
            return SecurityKind.HTTP_BEARER
        if value == "basic":
            return SecurityKind.HTTP_BASIC
        if value == "mutual":  # RFC 8120's name, which some specs use for a client certificate
            return SecurityKind.MUTUAL_TLS
        if _TOKEN.fullmatch(scheme.scheme or ""):
            return SecurityKind.HTTP
        return SecurityKind.OTHER
    if scheme.type == "oauth2":
        return SecurityKind.OAUTH2
    if scheme.type == "openIdConnect":
        return SecurityKind.OPENID_CONNECT
    if scheme.type == "mutualTLS":
        return SecurityKind.MUTUAL_TLS
    return SecurityKind.OTHER


def body_kind(media_type: str) -> BodyKind:
    media = media_type.split(";")[0].strip().lower()
    if (
        media == "application/json"
        or media.endswith("+json")
        or media in ("text/json", "application/x-json", "*/*+json")
    ):
        return BodyKind.JSON
    if media.startswith("multipart/"):
        return BodyKind.MULTIPART
    if media == "application/x-www-form-urlencoded":
        return BodyKind.FORM
    if media.startswith("text/") or media in ("application/xml", "application/yaml", "application/x-yaml"):
        return BodyKind.TEXT
    return BodyKind.BINARY


def _status_rank(status: str) -> tuple[int, str]:
    if status == "default":
        return (1000, status)
    return (int(status.replace("X", "9")) if status.replace("X", "").isdigit() or status.isdigit() else 999, status)


def _success(responses: list[Response]) -> tuple[Response | None, bool]:
    """The response whose body a call returns: the first 2xx with a body, else the first 2xx; an operation that
    lists no 2xx at all succeeds with its `default` response (many specs describe success only so)."""
    ok = sorted((r for r in responses if r.status.startswith("2")), key=lambda r: _status_rank(r.status))
    if not ok:
        ok = [r for r in responses if r.status == "default"]
    with_body = [r for r in ok if r.contents]
    if not with_body:
        return (ok[0] if ok else None), False
    return with_body[0], any(not r.contents for r in ok)


def _success_alternatives(responses: list[Response], success: Response | None) -> list[Response]:
    """The other 2xx responses whose body differs from the success's in kind or type (e.g. 200 with the
    resource, 202 with a job), each distinct body once, by status: a call returns any of them."""
    if success is None or success.preferred is None:
        return []
    seen = [(success.preferred.kind, success.preferred.type)]  # a list: literal types may hold unhashable values
    result = []
    for response in sorted(responses, key=lambda r: _status_rank(r.status)):
        content = response.preferred
        if response is success or not response.status.startswith("2") or content is None:
            continue
        if (content.kind, content.type) not in seen:
            seen.append((content.kind, content.type))
            result.append(response)
    return result


# Header parameters no method takes, and why. OpenAPI says to ignore Accept and Content-Type (the SDKs send them from
# the operation's contents) and Authorization, which is kept: specs without a security scheme declare their
# credentials so (41 of the corpus's specs). The HTTP client frames a request itself (the SDKs drop these headers
# whoever gives them).
_CONTENTS = "OpenAPI: the operation's contents decide it"
_FRAMING = "the HTTP client sets it from the request it sends"
_IGNORED_HEADERS = {
    "accept": _CONTENTS,
    "content-type": _CONTENTS,
    "content-length": _FRAMING,
    "transfer-encoding": _FRAMING,
    "host": _FRAMING,
    "connection": _FRAMING,
}


def _query_template(path: str) -> tuple[str, dict[str, str]]:
    """A path that writes out a query naming variables (`/current?city={city}&country={country}`): the path without
    those pairs, and each variable's query key. Pairs with fixed values (`?Action=Describe`) stay, as does a variable
    the path proper also names or a pair that is not exactly `key={variable}`."""
    head, sep, rest = path.partition("?")
    if not sep:
        return path, {}
    query, hash_mark, fragment = rest.partition("#")
    in_path = set(_PATH_VARIABLE.findall(head))
    kept: list[str] = []
    variables: dict[str, str] = {}
    for pair in query.split("&"):
        key, equals, value = pair.partition("=")
        match = _PATH_VARIABLE.fullmatch(value) if equals else None
        variable = match.group(1) if match else None
        if variable and key and "{" not in key and variable not in in_path and variable not in variables:
            variables[variable] = key
        elif pair:
            kept.append(pair)
    if not variables:
        return path, {}
    return head + ("?" + "&".join(kept) if kept else "") + hash_mark + fragment, variables


def _common_prefix(paths: list[str]) -> list[str]:
    split = [[s for s in p.strip("/").split("/") if s] for p in paths]
    if len(split) < 2:
        return [s for s in (split[0] if split else []) if _VERSION_SEGMENT.match(s)][:1]
    prefix: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) == 1 and not parts[0].startswith("{"):
            prefix.append(parts[0])
        else:
            break
    shortest = min(len(s) for s in split)
    if len(prefix) >= shortest:
        prefix = prefix[: max(shortest - 1, 0)]
    return prefix


def _resource_class(classes: naming.Namespace, name: str, taken: set[str]) -> str:
    """A resource's Python class name, unique, none of whose derived classes is a model's name or a class derived
    from another resource (`Widgets` → `AsyncWidgetsResource`, which resource `AsyncWidgets` would also write);
    its derived classes are added to `taken`."""
    claimed = classes.claim(name, "")
    while naming.py_resource_classes(claimed) & taken:
        claimed = classes.claim(name, "")
    taken |= naming.py_resource_classes(claimed)
    return claimed


def _strip_resource(words: list[str], resource_words: list[str]) -> list[str]:
    """`listExperts` in resource `experts` → `list`; `get_expert_homepage` → `get_homepage`."""
    if not resource_words or not words:
        return words
    lowered = [w.lower() for w in words]
    n = len(resource_words)
    forms = {tuple(resource_words)}
    last = resource_words[-1]
    if last.endswith("ies"):
        forms.add((*resource_words[:-1], last[:-3] + "y"))
    elif last.endswith("s"):
        forms.add((*resource_words[:-1], last[:-1]))
    else:
        forms.add((*resource_words[:-1], last + "s"))
    for start in (1, 0):
        for form in sorted(forms, key=len, reverse=True):
            m = len(form)
            if tuple(lowered[start : start + m]) == form and len(words) > m:
                return words[:start] + words[start + m :]
    if tuple(lowered[-n:]) in forms and len(words) > n:
        return words[:-n]
    return words


def _derived_method_words(op: Operation) -> list[str]:
    segments = [s for s in op.path.strip("/").split("/") if s]
    ends_with_param = bool(segments) and segments[-1].startswith("{")
    static = [s for s in segments if not s.startswith("{")]
    verb = {
        "get": "retrieve" if ends_with_param else "list",
        "post": "create",
        "put": "update",
        "patch": "update",
        "delete": "delete",
    }.get(op.method, op.method)
    tail = naming.words(static[-1]) if len(static) > 1 and not ends_with_param else []
    _, query_variables = _query_template(op.spec_path or "")  # `/current?city={city}` → list_city
    tail += [word for key in query_variables.values() for word in naming.words(key)]
    if op.method == "post" and len(static) > 1 and not ends_with_param:
        return naming.words(static[-1])  # POST /consultations/{id}/accept → accept
    return [verb, *tail]
