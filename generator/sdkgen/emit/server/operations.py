"""One operation → the view its service method and its FastAPI route are rendered from.

Every name and annotation is decided here; the templates only place them. An operation's
arguments (parameters, then the body) appear twice: in the service method, typed as the
implementation receives them, and in the endpoint, annotated with where FastAPI reads them from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from sdkgen.emit.patterns import usable_pattern
from sdkgen.emit.python import docstring
from sdkgen.emit.python.types import Imports, TypeRenderer
from sdkgen.emit.server.schema import BINARY, JsonSchemas
from sdkgen.emit.server.types import ServerTypes
from sdkgen.ir import naming
from sdkgen.ir.model import (
    AnyType,
    Api,
    ArrayType,
    BodyField,
    BodyKind,
    Content,
    LiteralType,
    MapType,
    Model,
    ModelKind,
    ModelRef,
    Operation,
    Parameter,
    ParameterLocation,
    Primitive,
    PrimitiveKind,
    RequestBody,
    Response,
    SecurityRequirement,
    TypeRef,
    UnionType,
)

_SOURCES = {
    ParameterLocation.PATH: "fastapi.Path",
    ParameterLocation.QUERY: "fastapi.Query",
    ParameterLocation.HEADER: "fastapi.Header",
    ParameterLocation.COOKIE: "fastapi.Cookie",
}
_NO_BODY_STATUSES = frozenset({204, 205, 304})
# (location, wire name, the values it takes or none for any): what tells operations of one route apart
Selectors = tuple[tuple[str, str, tuple[str, ...]], ...]
# request headers HTTP clients and browsers set themselves
_CLIENT_SET_HEADERS = frozenset({"accept", "accept-charset", "accept-encoding", "accept-language", "user-agent"})
IDEMPOTENCY_KEY = "Idempotency-Key"


@dataclass
class Argument:
    """One argument of a service method, and the endpoint parameter that feeds it."""

    name: str
    annotation: str  # as the service method receives it
    default: str  # "" (required) or " = <literal>"
    source: str  # the endpoint's annotation: `Annotated[<annotation>, fastapi.Query(alias=...)]`
    converter: str = ""  # a callable built once per app that turns the value read into the service's argument


class OperationViews:
    """Views of the operations of one generated module, collecting the module's imports."""

    def __init__(
        self,
        api: Api,
        module_of: dict[str, str],
        imports: Imports,
        *,
        constrained: bool,
        shadowed: frozenset[str] = frozenset(),
        selectors: Mapping[str, Selectors] | None = None,
    ):
        """`constrained`: annotations carry the spec's constraints (endpoints), or are plain (services).
        `selectors`: `route_selectors()` of the API, by operation key (decided once per API by the emitter)."""
        self.api = api
        self.routes = constrained
        renderer = ServerTypes if constrained else TypeRenderer
        self.types = renderer(api, module_of, imports, None, shadowed=shadowed)
        self.schemas = JsonSchemas(api)
        self.selectors = selectors or {}

    # ------------------------------------------------------------------ service method

    def method(self, op: Operation) -> dict[str, Any]:
        arguments = self.arguments(op)
        names = naming.Namespace({a.name for a in arguments} | {"self"})
        returns = self.returns(op)
        results = dict.fromkeys([returns, *(self._body_type(content) for _, content in self._alternatives(op))])
        return {
            "name": op.name.py,
            "context": names.claim("context"),
            "arguments": arguments,
            "returns": " | ".join([returns, *(f"_runtime.Result[{t}]" for t in results), "fastapi.Response"]),
            "doc": self._doc(op),
            "operation_id": op.key,
        }

    def arguments(self, op: Operation) -> list[Argument]:
        query = tuple(p.wire for p in op.parameters if p.location is ParameterLocation.QUERY)
        result = [self._parameter(p, query) for p in op.parameters]
        if op.idempotency_key is not None:  # the header as the spec declares it (required or not)
            result.append(self._parameter(op.idempotency_key, ()))
        elif op.sends_idempotency_key:
            result.append(
                Argument(
                    "idempotency_key",
                    f"{self.types.builtin('str')} | None",
                    " = None",
                    f"Annotated[{self.types.builtin('str')} | None, fastapi.Header(alias={IDEMPOTENCY_KEY!r})]",
                )
            )
        if op.request_body is not None:
            result.extend(self._body(op.request_body))
        return result

    def returns(self, op: Operation) -> str:
        annotation = self._body_type(op.success.preferred if op.success is not None else None)
        if op.success_optional and annotation != "None" and not annotation.endswith("| None"):
            annotation += " | None"
        return annotation

    def _body_type(self, content: Content | None) -> str:
        """What a service returns for a success body: its type (JSON), str (text) or bytes."""
        if content is None:
            return "None"
        if content.kind is BodyKind.TEXT:
            return self.types.builtin("str")
        if content.kind is not BodyKind.JSON:
            return self.types.builtin("bytes")
        return self.types.render(content.type)

    @staticmethod
    def _alternatives(op: Operation) -> list[tuple[int, Content]]:
        """The other success statuses with a body of their own that a service can answer with (`Result`), and
        their bodies: the exact ones (a `2XX` range names no status to send)."""
        return [
            (int(r.status), r.preferred)
            for r in op.success_alternatives
            if r.preferred is not None and r.status.isdigit() and int(r.status) not in _NO_BODY_STATUSES
        ]

    def _doc(self, op: Operation) -> str:
        text = "\n\n".join(p for p in (docstring(op.summary), docstring(op.description)) if p)
        if op.deprecated:
            text = (text + "\n\n" if text else "") + "Deprecated."
        return text

    # ------------------------------------------------------------------ parameters

    def _parameter(self, p: Parameter, query: tuple[str, ...]) -> Argument:
        """`query`: the wire names of the operation's query parameters."""
        structured = self._structured(p)
        if structured is not None:
            return self._structured_parameter(p, structured, query)
        t = p.type if self._routable(p.type, p.location) else _plain_string(p.type)
        annotation = self.types.render(t)
        typed = self._typed_literals(t)
        if typed:  # text from the URL or a header: `true` / `2` must match the literal True / 2
            self.types.imports.typing.add("Annotated")
            self.types.imports.modules.add("pydantic")
            validator = f"pydantic.BeforeValidator(_runtime.checks.literal_text({typed!r}))"
            annotation = f"Annotated[{annotation}, {validator}]"
        default = ""
        literal = self._default(p, t) if not p.required else None
        if literal is not None:
            default = f" = {literal}"
        elif not p.required:
            default = " = None"
            if not annotation.endswith("| None") and annotation != "object":
                annotation += " | None"
        if not p.required and p.location is ParameterLocation.HEADER and p.wire.lower() in _CLIENT_SET_HEADERS:
            # HTTP stacks send these on their own (node's fetch: `Accept-Language: *`): a value the spec's schema
            # refuses is read as absent, not answered with a 422
            self.types.imports.typing.add("Annotated")
            self.types.imports.modules.add("pydantic")
            fallback = f"pydantic.WrapValidator(_runtime.checks.or_default({literal or 'None'}))"
            annotation = f"Annotated[{annotation}, {fallback}]"
        options = [f"alias={p.wire!r}"]
        if p.location is ParameterLocation.HEADER:
            options.append("convert_underscores=False")
        if p.description:
            options.append(f"description={p.description!r}")
        if p.deprecated:
            options.append("deprecated=True")
        source = f"Annotated[{annotation}, {_SOURCES[p.location]}({', '.join(options)})]"
        return Argument(p.name.py, annotation, default, source)

    def _typed_literals(self, t: TypeRef) -> tuple[str | int | float | bool, ...]:
        """The literal values of a parameter's type (itself or a union member, through aliases), when some are
        not strings (else none): a parameter arrives as text, which pydantic does not match against a boolean or
        number literal."""
        found: list[str | int | float | bool] = []
        stack, seen = [t], set()
        while stack:
            t = stack.pop()
            if isinstance(t, LiteralType):
                found.extend(t.values)
            elif isinstance(t, UnionType):
                stack.extend(t.variants)
            elif isinstance(t, ModelRef) and t.key not in seen:
                seen.add(t.key)
                model = self.api.models[t.key]
                if model.kind in (ModelKind.ALIAS, ModelKind.UNION) and model.target is not None:
                    stack.append(model.target)
        if all(isinstance(v, str) for v in found):
            return ()
        return tuple(v for _, v in dict.fromkeys((type(v), v) for v in found))  # True and 1 apart

    def _structured(self, p: Parameter) -> tuple[str, tuple[str, ...] | None] | None:
        """A parameter FastAPI cannot read but the runtime can: in the query (`structured_query`) an object, a map
        or an array of them, ("object" | "map" | "array", the wire names of an object's properties); in the path
        or a header (`styled_parameter`) an array or object of scalars, or a path parameter in the label or matrix
        style, ("path" | "header", (kind,)) with kind "scalar", "array" or "object"; in a cookie an array or object
        of scalars, ("cookie", (kind,)); in any location, a parameter declared with JSON `content`
        (`json_parameter`), ("json", None). None otherwise."""
        if p.style == "json":
            return ("json", None)
        if p.location is ParameterLocation.COOKIE:
            # FastAPI reads a cookie as one string; the SDKs send an array or object of scalars as a header value
            array = self._array(p.type)
            if array is not None:
                return ("cookie", ("array",)) if self._scalar(array.items) else None
            if not self._scalar(p.type) and self._scalar_fields(p.type):
                return ("cookie", ("object",))
            return None
        if p.location in (ParameterLocation.PATH, ParameterLocation.HEADER):
            path = p.location is ParameterLocation.PATH
            array = self._array(p.type)
            if array is not None:
                kind = "array" if self._scalar(array.items) else None
            elif self._scalar(p.type):
                kind = "scalar"
            else:
                kind = "object" if self._scalar_fields(p.type) else None
            if kind is None or (kind == "scalar" and (not path or p.style == "simple")):
                return None
            if kind == "array" and not path:  # FastAPI reads a header list; the route splits it (`delimited`)
                return None
            return (p.location.value, (kind,))
        if p.location is not ParameterLocation.QUERY or self._routable(p.type, p.location):
            return None
        array = self._array(p.type)
        if array is not None:  # of objects, or of anything (untyped items)
            items_ok = isinstance(array.items, AnyType) or self._object_like(array.items) is not None
            return ("array", None) if items_ok else None
        return self._object_like(p.type)

    def _scalar_fields(self, t: TypeRef) -> bool:
        """Whether `t` is an object (or a map) whose values are all scalars: what a path or header can carry."""
        model = self._object_model(t)
        if model is not None:
            values = [prop.type for prop in model.properties]
            if model.additional_properties is not None:
                values.append(model.additional_properties)
            return all(self._scalar(v) or isinstance(v, AnyType) for v in values)
        resolved = self.api.unaliased(t)
        return isinstance(resolved, MapType) and (self._scalar(resolved.values) or isinstance(resolved.values, AnyType))

    def _object_like(self, t: TypeRef) -> tuple[str, tuple[str, ...] | None] | None:
        model = self._object_model(t)
        if model is not None:
            if model.additional_properties is not None and not model.properties:
                return ("map", None)
            return ("object", tuple(prop.wire for prop in model.properties))
        return ("map", None) if isinstance(self.api.unaliased(t), MapType) else None

    def _object_model(self, t: TypeRef) -> Model | None:
        """The object model `t` is, through aliases; None for anything else."""
        resolved = self.api.unaliased(t)
        if isinstance(resolved, ModelRef) and self.api.models[resolved.key].kind is ModelKind.OBJECT:
            return self.api.models[resolved.key]
        return None

    def _nested_values(self, t: TypeRef) -> bool:
        """Whether a map's values are objects or arrays (sent as JSON text when it is exploded into parameters)."""
        model = self._object_model(t)
        if model is not None:
            values = model.additional_properties
        else:
            resolved = self.api.unaliased(t)
            values = resolved.values if isinstance(resolved, MapType) else None
        return values is not None and not self._scalar(values) and not isinstance(values, AnyType)

    def _nested_properties(self, t: TypeRef) -> tuple[str, ...]:
        """The properties of an object exploded into query parameters that hold an object or an array: the clients
        send each as JSON text (OpenAPI defines no serialisation for them), which the runtime decodes."""
        model = self._object_model(t)
        if model is None:
            return ()
        return tuple(p.wire for p in model.properties if not self._scalar(p.type) and not isinstance(p.type, AnyType))

    def _structured_parameter(
        self, p: Parameter, structured: tuple[str, tuple[str, ...] | None], query: tuple[str, ...]
    ) -> Argument:
        kind, properties = structured
        validated = self.types.render(p.type)
        required = p.required or p.location is ParameterLocation.PATH
        if kind == "json":
            reader = "json_parameter"
            options = [repr(p.wire), validated, f"location={p.location.value!r}", f"required={required!r}"]
        elif kind in ("path", "header"):
            assert properties is not None
            reader = "styled_parameter"
            options = [repr(p.wire), validated, f"location={kind!r}", f"style={p.style!r}"]
            options += [f"explode={p.explode!r}", f"kind={properties[0]!r}", f"required={required!r}"]
        elif kind == "cookie":  # as the SDKs write it, whatever its explode: `a,b`, `key,value,key,value`
            assert properties is not None
            reader = "styled_parameter"
            options = [repr(p.wire), validated, "location='cookie'", f"kind={properties[0]!r}"]
            options.append(f"required={required!r}")
        else:
            reader = "structured_query"
            options = [
                repr(p.wire),
                validated,
                f"style={p.style!r}",
                f"explode={p.explode!r}",
                f"required={required!r}",
            ]
            if kind == "array":
                options.append("array=True")
            elif p.style != "deepObject" and p.explode:
                if properties is not None:
                    options.append(f"properties={properties!r}")
                    nested = self._nested_properties(p.type)
                    if nested:
                        options.append(f"nested={nested!r}")
                else:  # a map exploded into parameters of its own: every query parameter the operation does not declare
                    declared = tuple(wire for wire in query if wire != p.wire)
                    options.append(f"declared={declared!r}")
                    if self._nested_values(p.type):
                        options.append("json_values=True")
        annotation, default = validated, ""
        if not required:
            default = " = None"
            annotation += " | None" if not annotation.endswith("| None") else ""
        source = f"Annotated[{annotation}, fastapi.Depends(_runtime.{reader}({', '.join(options)}))]"
        return Argument(p.name.py, annotation, default, source)

    def _routable(self, t: TypeRef, location: ParameterLocation) -> bool:
        """Whether FastAPI can read a parameter of type `t` (scalars; sequences of them outside the path)."""
        array = self._array(t)
        if array is not None:
            return location is not ParameterLocation.PATH and self._scalar(array.items)
        return self._scalar(t)

    def _array(self, t: TypeRef) -> ArrayType | None:
        """`t` as an array type, through aliases; None when it is not an array."""
        resolved = self.api.unaliased(t)
        return resolved if isinstance(resolved, ArrayType) else None

    def _delimited(self, op: Operation) -> list[tuple[str, str, str]]:
        """Array parameters the client sends as one delimited value, which the server splits for FastAPI."""
        result = []
        for p in op.parameters:
            if p.style == "json" or not self._routable(p.type, p.location) or self._array(p.type) is None:
                continue
            delimiter = None
            if p.location is ParameterLocation.QUERY:
                delimiter = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(p.style)
                if p.style == "form" and not p.explode:
                    delimiter = ","
            elif p.location is ParameterLocation.HEADER:
                delimiter = ","
            if delimiter is not None:
                result.append((p.location.value, p.wire, delimiter))
        return result

    def _scalar(self, t: TypeRef, seen: frozenset[str] = frozenset()) -> bool:
        if isinstance(t, (Primitive, LiteralType)):
            return True
        if isinstance(t, UnionType):
            return all(self._scalar(v, seen) for v in t.variants)
        if isinstance(t, ModelRef) and t.key not in seen:
            model = self.api.models[t.key]
            if model.kind is ModelKind.ENUM:
                return True
            if model.kind in (ModelKind.ALIAS, ModelKind.UNION) and model.target is not None:
                return self._scalar(model.target, seen | {t.key})
        return False

    def _default(self, p: Parameter, t: TypeRef) -> str | None:
        """The spec's default as a Python literal of the parameter's type, when one can be written."""
        value = p.default
        if not p.has_default or value is None or t is not p.type:
            return None
        if isinstance(t, ModelRef):
            model = self.api.models[t.key]
            if model.kind is ModelKind.ENUM:
                member = next((m for m in model.members if m.value == value and type(m.value) is type(value)), None)
                return f"{model.name.py}.{member.name.py}" if member is not None else None
            if model.kind is ModelKind.ALIAS and isinstance(model.target, Primitive):
                return _primitive_literal(model.target, value)
            return None
        if isinstance(t, Primitive):
            return _primitive_literal(t, value)
        if isinstance(t, LiteralType) and value in t.values:
            return repr(value)
        return None

    # ------------------------------------------------------------------ request body

    def _body(self, body: RequestBody) -> list[Argument]:
        content = body.preferred
        required = body.required
        if content.kind is BodyKind.JSON:
            return [self._typed_body(body, "fastapi.Body", content)]
        if content.kind is BodyKind.FORM and self._object_class(content.type):
            fields = self._form_fields(body)
            if fields is not None:
                return [self._form_body(body, fields)]
            return [self._typed_body(body, "fastapi.Form", content)]
        if content.kind is BodyKind.MULTIPART and body.fields is not None:
            return [self._multipart_field(f, content, body.required) for f in body.fields]
        raw = self.types.builtin("str") if content.kind is BodyKind.TEXT else self.types.builtin("bytes")
        reader = "text_body" if content.kind is BodyKind.TEXT else "raw_body"
        annotation = raw if required else f"{raw} | None"
        source = f"Annotated[{annotation}, fastapi.Depends(_runtime.{reader}({required!r}))]"
        return [Argument("body", annotation, "" if required else " = None", source)]

    def _typed_body(self, body: RequestBody, source: str, content: Content) -> Argument:
        annotation = self.types.render(content.type)
        default = ""
        if not body.required:  # (an optional form body is read by `_runtime.form_body`)
            default = " = None"
            if not annotation.endswith("| None"):
                annotation += " | None"
        media = f"media_type={content.media_type!r}"
        return Argument("body", annotation, default, f"Annotated[{annotation}, {source}({media})]")

    def _form_fields(self, body: RequestBody) -> dict[str, str] | None:
        """The kind of each field of a form body FastAPI cannot read (`_runtime.form_body`): one with a field whose
        `encoding` declares a style, or an object or array of objects (the SDKs send JSON text), or an optional one
        (FastAPI makes a model of whatever fields are sent, never None). None otherwise."""
        content = body.preferred
        assert isinstance(content.type, ModelRef)
        model = self.api.object_of(content.type.key)
        if model is None:
            return None
        kinds = {}
        for prop in model.properties:
            array = self._array(prop.type)
            if self._scalar(prop.type):
                kinds[prop.wire] = "scalar"
            elif array is not None:
                kinds[prop.wire] = "array" if self._scalar(array.items) else "objects"
            else:
                kinds[prop.wire] = "object"
        literals = self._form_literals(body)
        simple = all(k in ("scalar", "array") for k in kinds.values())
        if body.required and not content.field_styles and simple and not literals:
            return None
        return kinds

    def _form_literals(self, body: RequestBody) -> dict[str, tuple[str | int | float | bool, ...]]:
        """The form fields typed by boolean or number literals (geomark's `allowOverlap: enum [false, true]`): their
        text (`true`) is read as the literal it spells, as a parameter's is (`_runtime.checks.literal_text`)."""
        content = body.preferred
        model = self.api.object_of(content.type.key) if isinstance(content.type, ModelRef) else None
        if model is None:
            return {}
        found = {}
        for prop in model.properties:
            typed = self._item_literals(prop.type)
            if typed:
                found[prop.wire] = typed
        return found

    def _item_literals(self, t: TypeRef) -> tuple[str | int | float | bool, ...]:
        """`_typed_literals` of a form field or part, or of its items when it is an array (one text per item)."""
        array = self._array(t)
        return self._typed_literals(array.items if array is not None else t)

    def _form_body(self, body: RequestBody, fields: dict[str, str]) -> Argument:
        content, required = body.preferred, body.required
        model = self.types.render(content.type)
        styles = {wire: (style, explode) for wire, style, explode in content.field_styles}
        options = f"{model}, fields={fields!r}, styles={styles!r}"
        literals = self._form_literals(body)
        if literals:
            options += f", literals={literals!r}"
        annotation, default = model, ""
        if not required:
            options += ", required=False"
            annotation, default = f"{model} | None", " = None"
        return Argument(
            "body", annotation, default, f"Annotated[{annotation}, fastapi.Depends(_runtime.form_body({options}))]"
        )

    def _multipart_field(self, field: BodyField, content: Content, body_required: bool) -> Argument:
        """One part of a multipart body. A part the schema requires is optional when the body is (a request may
        have none); the runtime requires it once any part is sent (`Operation.required_parts`)."""
        prop, t = field.property, field.property.type
        required = prop.required and body_required
        if _is_binary(t):
            annotation, source = "fastapi.UploadFile", "fastapi.File"
        elif isinstance(t, ArrayType) and _is_binary(t.items):
            annotation, source = f"{self.types.builtin('list')}[fastapi.UploadFile]", "fastapi.File"
        elif self._routable(t, ParameterLocation.QUERY):
            annotation, source = self.types.render(t), "fastapi.Form"
            typed = self._item_literals(t)
            if typed:  # a part's text: `true` / `2` must match the literal True / 2
                self.types.imports.typing.add("Annotated")
                self.types.imports.modules.add("pydantic")
                annotation = (
                    f"Annotated[{annotation}, pydantic.BeforeValidator(_runtime.checks.literal_text({typed!r}))]"
                )
        else:  # an object, a map, an array of them: JSON text per part, decoded and validated by the route
            array = self._array(t)
            text = self.types.builtin("str")
            read, source = (f"{self.types.builtin('list')}[{text}]" if array else text), "fastapi.Form"
            return self._json_part(field, content, read, t, body_required)
        default, read_as = "", annotation
        if not required:
            default = " = None"
            if not annotation.endswith("| None") and annotation != "object":
                annotation += " | None"
                read_as += " | SkipJsonSchema[None]"  # a form field may be left out, never null
                if self.routes:  # only the endpoint's annotation (`source`) says so
                    self.types.imports.add("pydantic.json_schema", "SkipJsonSchema")
        options = f"alias={prop.wire!r}, media_type={content.media_type!r}"
        endpoint = f"Annotated[{read_as}, {source}({options})]"
        return Argument(field.name.py, annotation, default, endpoint)

    def _json_part(self, field: BodyField, content: Content, read: str, t: TypeRef, body_required: bool) -> Argument:
        """A multipart part the clients send as JSON text (`_runtime.json_part`): an object, or an array of
        anything a part per item; the service receives it decoded and validated."""
        prop = field.property
        annotation = self.types.render(t)
        default = ""
        if not prop.required or not body_required:
            default = " = None"
            annotation += " | None" if not annotation.endswith("| None") else ""
            read += " | SkipJsonSchema[None]"
            if self.routes:
                self.types.imports.add("pydantic.json_schema", "SkipJsonSchema")
        options = f"alias={prop.wire!r}, media_type={content.media_type!r}"
        converter = f"_runtime.json_part({self.types.render(t)}, {prop.wire!r})"
        return Argument(field.name.py, annotation, default, f"Annotated[{read}, fastapi.Form({options})]", converter)

    def _object_class(self, t: TypeRef) -> bool:
        return isinstance(t, ModelRef) and not t.nullable and self.api.object_of(t.key) is not None

    # ------------------------------------------------------------------ route

    def route(self, op: Operation, security: list[SecurityRequirement]) -> dict[str, Any]:
        """`add_api_route` options and the arguments of the runtime `Operation` of one operation."""
        success = op.success
        status = int(success.status) if success is not None and success.status.isdigit() else None
        options, raw_media = self._success_options(op, status)
        responses = self._responses(op, success if status is not None else None)
        if responses:
            options.append(("responses", _literal(responses)))
        if op.operation_id is not None:
            options.append(("operation_id", repr(op.key)))
        if op.tags:
            options.append(("tags", repr(list(op.tags))))
        if op.summary:
            options.append(("summary", repr(op.summary)))
        if op.description:
            options.append(("description", repr(op.description)))
        if op.deprecated:
            options.append(("deprecated", "True"))
        extra = self._openapi_extra(op)
        if extra:
            options.append(("openapi_extra", _literal(extra)))
        requirements = op.security if op.security is not None else security
        operation = [repr(op.key), repr(op.method), repr(op.spec_path or op.path)]  # routed by its path before `?`
        if requirements:
            operation.append(f"security={_requirements(requirements)}")
        operation.append(f"statuses={tuple(r.status for r in op.responses)!r}")
        if status is not None:
            operation.append(f"success_status={status!r}")
        empty = _empty_status(op)
        if empty is not None:
            operation.append(f"empty_status={empty!r}")
        if raw_media is not None:
            operation.append(f"media_type={raw_media!r}")
        alternatives = []
        for status, content in self._alternatives(op):
            if content.kind is BodyKind.JSON:
                alternative = f"_runtime.Alternative({self.types.render(content.type)}, {content.media_type!r})"
            else:
                alternative = f"_runtime.Alternative(media_type={content.media_type!r})"
            alternatives.append(f"{status}: {alternative}")
        if alternatives:
            operation.append("alternatives={" + ", ".join(alternatives) + "}")
        delimited = self._delimited(op)
        if delimited:
            operation.append(f"delimited={tuple(delimited)!r}")
        selectors = self.selectors.get(op.key)
        if selectors:
            operation.append(f"selectors={selectors!r}")
        adjacent = self._adjacent_values(op)
        if adjacent:
            operation.append(f"path_values={adjacent!r}")
        body = op.request_body
        if body is not None and not body.required and body.preferred.kind is BodyKind.MULTIPART and body.fields:
            parts = tuple(f.property.wire for f in body.fields if f.property.required)
            if parts:
                operation.append(f"required_parts={parts!r}")
        if op.extensions:
            operation.append(f"extensions={_literal(op.extensions)}")
        return {"options": options, "operation": operation}

    def route_selectors(self) -> dict[str, Selectors]:
        """Operations sharing a method and path (`POST /#X-Amz-Target=Service.Action`), by key: the required header
        and query parameters that tell each apart (`Operation.selectors`), with the values they take where the
        spec lists them. The route tries the most selective first; the least selective of a group gets none, so
        it takes what no other selects (its own validation then answers). Only parameters sent under their own
        name count: an object exploded into its properties (AWS's `HealthCheck`) has none to look for. Operations
        whose bodies differ in media type (Azure's `/detect` and `/detect#overload=stream`) are also told apart by
        the request's Content-Type ("content"), and JSON bodies by the keys they require ("body")."""
        groups: dict[tuple[str, str], list[Operation]] = {}
        for op in self.api.operations:
            groups.setdefault(_shape(op), []).append(op)
        result: dict[str, Selectors] = {}
        for ops in groups.values():
            if len(ops) < 2:
                continue
            telling = self._telling_path_selectors(ops)
            found = {
                op.key: tuple(
                    (p.location.value, p.wire, self._listed_values(p.type))
                    for p in op.parameters
                    if p.required
                    and p.location in (ParameterLocation.HEADER, ParameterLocation.QUERY)
                    and (p.style == "json" or self._routable(p.type, p.location))
                )
                + _fixed_query(op)
                + self._media_selector(op, ops)
                + self._body_selector(op, ops)
                + telling[op.key]
                for op in ops
            }
            fallback = max(ops, key=lambda op: _selectivity(found[op.key]))  # the least selective
            result |= {key: selectors for key, selectors in found.items() if key != fallback.key and selectors}
        self._overlapping_selectors(result)
        return result

    def _overlapping_selectors(self, result: dict[str, Selectors]) -> None:
        """Routes of one method whose paths differ in shape yet can match one request (mist's
        `/sites/{site_id}/zones/{zone_id}`, a UUID, before `/sites/{site_id}/{zone_type}/count`; tomtom's
        `.../{y}.{format}`, jpg or png, beside `.../{y}.pbf`): each but the one the server tries last also selects
        by its path parameters' types, so a value it cannot take goes on to the others. Only path parameters: a
        literal route such as `/users/me` keeps answering what it matches."""
        alike: dict[tuple[str, int], list[Operation]] = {}  # by method and number of segments
        for op in self.api.operations:
            alike.setdefault((op.method, len(_segments(op.path))), []).append(op)
        for ops in alike.values():
            for component in _overlapping(ops):
                if len({_shape(op) for op in component}) < 2:
                    continue
                merged = {}
                for op in component:
                    own = result.get(op.key, ())
                    merged[op.key] = own + tuple(s for s in self._path_selectors(op) if s not in own)
                order = sorted(component, key=lambda op: (_specificity(op.path), *_selectivity(merged[op.key])))
                result |= {op.key: merged[op.key] for op in order[:-1] if merged[op.key]}

    def _telling_path_selectors(self, ops: list[Operation]) -> dict[str, Selectors]:
        """The path selectors of operations routed alike that tell them apart: at a place where every operation's
        parameter says the same (AWS's ids, each `.*\\S.*`), a selector sorts nothing out, and counted as one it
        would put an operation before those whose query parameters do select (Chime's `UpdateUser` took
        `#operation=disassociate-phone-number`'s requests)."""
        own = {op.key: self._path_selectors(op) for op in ops}
        said: dict[int, set[object]] = {}
        placed: dict[str, list[tuple[int, tuple[str, str, tuple[str, ...]]]]] = {}
        for op in ops:
            places = {name: index for index, name in enumerate(re.findall(r"{([^}]+)}", _route_path(op.path)))}
            by_place = {places.get(wire, -1): (kind, wire, values) for kind, wire, values in own[op.key]}
            placed[op.key] = sorted(by_place.items())
            for index in places.values():
                selector = by_place.get(index)
                said.setdefault(index, set()).add(None if selector is None else (selector[0], selector[2]))
        return {
            key: tuple(selector for index, selector in items if len(said.get(index, ())) > 1)
            for key, items in placed.items()
        }

    def _adjacent_values(self, op: Operation) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The values of path parameters that touch another one (`/blog/{pageName}{mediaTypeExtension}`) where the
        spec lists them: the route matches those values there instead of splitting the segment anywhere."""
        path = _route_path(op.path)
        touching = set(re.findall(r"{([^}]+)}(?={)", path)) | set(re.findall(r"(?<=})\{([^}]+)}", path))
        result = []
        for p in op.parameters:
            if p.location is ParameterLocation.PATH and p.wire in touching:
                values = self._listed_values(p.type)
                if values:
                    result.append((p.wire, values))
        return tuple(result)

    def _path_selectors(self, op: Operation) -> Selectors:
        """What its path parameters' types say of a request (`/payslips/{year}` beside `/payslips/{runId}`, a
        UUID): ("path", name, values) where the spec lists the values, ("path-type", name, (kind,)) for an
        integer, number, boolean or UUID."""
        result: list[tuple[str, str, tuple[str, ...]]] = []
        for p in op.parameters:
            if p.location is not ParameterLocation.PATH or p.style != "simple":
                continue
            values = self._listed_values(p.type)
            kind = self._path_kind(p.type)
            if values:
                result.append(("path", p.wire, values))
            elif kind is not None:
                result.append(("path-type", p.wire, (kind,)))
            elif (bounds := self._string_bounds(p.type)) is not None:
                result.append(("path-string", p.wire, bounds))
        return tuple(result)

    def _string_bounds(self, t: TypeRef) -> tuple[str, str, str] | None:
        """A string path parameter's lengths and pattern, as its route validates them (visma's `/countries/{code2}`,
        two characters, beside `/countries/{code3}`): (min length, max length, pattern), "" where not given."""
        resolved = self.api.unaliased(t)
        if not isinstance(resolved, Primitive) or resolved.kind is not PrimitiveKind.STRING or resolved.format:
            return None
        c = resolved.constraints
        pattern = c.pattern if c.pattern is not None and usable_pattern(c.pattern) else None
        if c.min_length is None and c.max_length is None and pattern is None:
            return None
        low, high = c.min_length, c.max_length
        return ("" if low is None else str(low), "" if high is None else str(high), pattern or "")

    def _path_kind(self, t: TypeRef) -> str | None:
        resolved = self.api.unaliased(t)
        if not isinstance(resolved, Primitive) or resolved.nullable:
            return None
        if resolved.kind is PrimitiveKind.STRING:
            return "uuid" if resolved.format == "uuid" else None
        kinds = {PrimitiveKind.INTEGER: "integer", PrimitiveKind.NUMBER: "number", PrimitiveKind.BOOLEAN: "boolean"}
        return kinds.get(resolved.kind)

    @staticmethod
    def _media_selector(op: Operation, group: list[Operation]) -> Selectors:
        """("content", "Content-Type", the body's media types) where no other operation of the group takes one of
        them. Not for an optional body: a call leaving it out has no Content-Type to tell (Azure Data Lake's
        `PUT ...#op=CREATE`, whose file may be empty, went to `#op=MKDIRS`)."""
        if op.request_body is None or not op.request_body.required:
            return ()
        media = _media_types(op)
        shared = any(media & _media_types(other) for other in group if other is not op)
        return () if shared else (("content", "Content-Type", tuple(sorted(media))),)

    def _body_selector(self, op: Operation, group: list[Operation]) -> Selectors:
        """("body", "", the keys its JSON object body requires) where another operation of the group takes a body
        of the same media type and requires other keys (Azure Face's `/verify`, `faceId1` and `faceId2`, beside
        `/verify#overload=person`, `faceId` and `personId`)."""
        keys = self._body_keys(op)
        if not keys:
            return ()
        others = [
            self._body_keys(other) for other in group if other is not op and _media_types(other) & _media_types(op)
        ]
        if not others or keys in others:
            return ()
        return (("body", "", keys),)

    def _body_keys(self, op: Operation) -> tuple[str, ...]:
        """The wire names a required JSON object body must have (read-only properties are never sent)."""
        body = op.request_body
        if body is None or not body.required or body.preferred.kind is not BodyKind.JSON:
            return ()
        model = self._object_model(body.preferred.type)
        if model is None:
            return ()
        return tuple(sorted(p.wire for p in model.properties if p.required and not p.read_only))

    def _listed_values(self, t: TypeRef) -> tuple[str, ...]:
        """The values a scalar parameter may take as text, when its type lists them (literal, enum); else none."""
        resolved = self.api.unaliased(t)
        if isinstance(resolved, LiteralType):
            values: tuple[object, ...] = resolved.values
        elif isinstance(resolved, ModelRef) and self.api.models[resolved.key].kind is ModelKind.ENUM:
            values = tuple(member.value for member in self.api.models[resolved.key].members)
        else:
            return ()
        if not all(isinstance(v, str) for v in values):
            return ()  # numbers and booleans have more than one spelling (`1`, `01`): any value selects
        return tuple(str(v) for v in values)

    def _success_options(self, op: Operation, status: int | None) -> tuple[list[tuple[str, str]], str | None]:
        """How the success response is serialised and documented; the media type of a raw (bytes/text) body."""
        content = op.success.preferred if op.success is not None else None
        options: list[tuple[str, str]] = []
        raw_media = None
        if content is None or status in _NO_BODY_STATUSES:
            options += [("response_model", "None"), ("response_class", "fastapi.Response")]
        elif content.kind is BodyKind.JSON:
            options.append(("response_model", self.types.render(content.type)))
            if content.media_type != "application/json":
                options.append(("response_class", f"_runtime.json_response({content.media_type!r})"))
            options.append(("response_model_exclude_unset", "True"))
        else:  # binary, text (and the odd form as a response): passed through as bytes or str
            raw_media = content.media_type
            options.append(("response_class", f"_runtime.media_response({content.media_type!r})"))
        if status is not None:
            options.append(("status_code", repr(status)))
            assert op.success is not None
            options.append(("response_description", repr(op.success.description or "")))
        return options, raw_media

    def _responses(self, op: Operation, main: Response | None) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for response in op.responses:
            entry: dict[str, Any] = {"description": response.description or ""}
            contents = response.contents
            if response is main and int(response.status) not in _NO_BODY_STATUSES:
                contents = contents[1:]  # the route's response class documents the preferred one
            if contents:
                entry["content"] = {c.media_type: {"schema": self._content_schema(c)} for c in contents}
            if response.headers:
                entry["headers"] = {
                    h.wire: {
                        **({"description": h.description} if h.description else {}),
                        **({"required": True} if h.required else {}),
                        "schema": self.schemas.of(h.type),
                    }
                    for h in response.headers
                }
            if response is main and set(entry) == {"description"}:
                continue
            result[response.status] = entry
        return result

    def _content_schema(self, content: Content) -> dict[str, Any]:
        if content.kind is BodyKind.BINARY:
            return dict(BINARY)
        return self.schemas.of(content.type)

    def _openapi_extra(self, op: Operation) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        body = op.request_body
        if body is not None:
            handled = self._fastapi_reads(body)
            contents = body.contents[1:] if handled else body.contents
            request: dict[str, Any] = {}
            if body.description:
                request["description"] = body.description
            request["required"] = body.required  # FastAPI's guess from the fields may differ (forms)
            if contents:
                request["content"] = {c.media_type: self._media_entry(c) for c in contents}
            if request:
                extra["requestBody"] = request
        parameters = []
        for p in op.parameters:
            if self._structured(p) is None:
                continue
            path = p.location is ParameterLocation.PATH
            parameter: dict[str, Any] = {"name": p.wire, "in": p.location.value, "required": p.required or path}
            if p.description:
                parameter["description"] = p.description
            if p.deprecated:
                parameter["deprecated"] = True
            if p.media_type is not None:
                parameter["content"] = {p.media_type: {"schema": self.schemas.of(p.type)}}
            else:
                if p.styled:
                    parameter.update(style=p.style, explode=p.explode)
                parameter["schema"] = self.schemas.of(p.type)
            parameters.append(parameter)
        if parameters:  # read by a dependency, which FastAPI does not document
            extra["parameters"] = parameters
        if op.security is not None:
            extra["security"] = [{key: list(scopes) for key, scopes in r.schemes} for r in op.security]
        extra.update(op.extensions)
        return extra

    def _media_entry(self, content: Content) -> dict[str, Any]:
        entry: dict[str, Any] = {"schema": self._content_schema(content)}
        if content.field_styles:
            entry["encoding"] = {w: {"style": s, "explode": e} for w, s, e in content.field_styles}
        return entry

    def _fastapi_reads(self, body: RequestBody) -> bool:
        """Whether FastAPI documents the preferred content itself (else the route declares it). Never a multipart
        body: FastAPI documents an object part it reads as JSON text as a string, and a part the body's being
        optional makes optional as optional."""
        content = body.preferred
        return content.kind is BodyKind.JSON or (
            content.kind is BodyKind.FORM and self._object_class(content.type) and self._form_fields(body) is None
        )


def _selectivity(selectors: Selectors) -> tuple[int, int, int]:
    """As the runtime's `_selectivity`: what a request carries before what its path parameters read as; of bodies,
    the one with more keys first."""
    on_path = sum(1 for location, _, _ in selectors if location.startswith("path"))
    keys = sum(len(values) for location, _, values in selectors if location == "body")
    return -(len(selectors) - on_path), -on_path, -keys


def _fixed_query(op: Operation) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The pairs with fixed values a spec's path writes after `?` (formapi's `/templates/{id}?full=true` beside
    `/templates/{id}`): the SDKs send them as written, so a request that carries them is that operation's."""
    query = op.path.partition("#")[0].partition("?")[2]
    return tuple(("query", key, (value,)) for key, value in parse_qsl(query, keep_blank_values=True))


def _route_path(path: str) -> str:
    """The path a request is matched against: the spec's, before any fragment or query it adds (as the runtime's
    `_route_path`)."""
    return re.split(r"[#?]", path, maxsplit=1)[0] or "/"


def _segments(path: str) -> list[str]:
    return _route_path(path).strip("/").split("/")


def _specificity(path: str) -> tuple[int, ...]:
    """The order the server tries routes in (as the runtime's `_specificity`): literal segments before parameters."""
    return tuple(2 if re.fullmatch(r"{[^}]+}", s) else 1 if "{" in s else 0 for s in _segments(path))


def _overlapping(ops: list[Operation]) -> list[list[Operation]]:
    """`ops` (one method, as many segments each) in groups of routes that can match one request, linked in chains: two
    paths overlap unless a segment both spell without a parameter differs."""
    parent = list(range(len(ops)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_literals: dict[tuple[str | None, ...], list[int]] = {}
    for i, op in enumerate(ops):
        by_literals.setdefault(tuple(None if "{" in part else part for part in _segments(op.path)), []).append(i)
    keys = list(by_literals)
    for a, first in enumerate(keys):
        for second in keys[a:]:
            if all(x is None or y is None or x == y for x, y in zip(first, second, strict=True)):
                union = [*by_literals[first], *by_literals[second]]
                for i in union[1:]:
                    parent[root(i)] = root(union[0])
    groups: dict[int, list[Operation]] = {}
    for i, op in enumerate(ops):
        groups.setdefault(root(i), []).append(op)
    return [group for group in groups.values() if len(group) > 1]


def _shape(op: Operation) -> tuple[str, str]:
    """What the server routes alike: the method and the route path, whatever its parameters are called."""
    return op.method.upper(), re.sub(r"{[^}]+}", "{}", _route_path(op.path))


def _media_types(op: Operation) -> set[str]:
    """The media types of an operation's body, without parameters, lower case (none without a body)."""
    contents = op.request_body.contents if op.request_body is not None else []
    return {c.media_type.split(";")[0].strip().lower() for c in contents}


def _is_binary(t: TypeRef) -> bool:
    return isinstance(t, Primitive) and t.is_binary


def _plain_string(t: TypeRef) -> TypeRef:
    """What a parameter FastAPI cannot parse (an object, a map) is read as: its text."""
    return Primitive(PrimitiveKind.STRING, nullable=t.nullable)


def _primitive_literal(t: Primitive, value: Any) -> str | None:
    if t.format in ("date-time", "date", "uuid", "binary"):
        return None
    if t.kind is PrimitiveKind.BOOLEAN and isinstance(value, bool):
        return repr(value)
    if t.kind is PrimitiveKind.INTEGER and isinstance(value, int) and not isinstance(value, bool):
        return repr(value)
    if t.kind is PrimitiveKind.NUMBER and isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    if t.kind is PrimitiveKind.STRING and isinstance(value, str):
        return repr(value)
    return None


def _empty_status(op: Operation) -> int | None:
    """The status a `None` return answers with: the spec's body-less 2xx, if it has one."""
    for response in sorted((r for r in op.responses if r.status.startswith("2")), key=lambda r: r.status):
        if not response.contents and response.status.isdigit():
            return int(response.status)
    return None


def _requirements(requirements: list[SecurityRequirement]) -> str:
    alternatives = (tuple((key, tuple(scopes)) for key, scopes in r.schemes) for r in requirements)
    return repr(tuple(dict.fromkeys(alternatives)))


def _literal(value: Any) -> str:
    """JSON-like data (spec text, extension values) as a Python literal."""
    return repr(json.loads(json.dumps(value, default=str)))
