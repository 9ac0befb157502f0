"""The TypeScript SDK emitter: the IR → an npm package with zero runtime dependencies.

Static runtime (`templates/typescript/runtime/`, copied into `src/`) holds the client core,
errors, encoding and pagination; the per-API parts (models, one class per resource, the client,
the entry point, package files) are rendered from small templates out of plain view data
computed here. All models live in `src/models.ts`; resources refer to them as `models.X`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from sdkgen.emit import EmitError, environment, numeric_version, render, runtime_files
from sdkgen.emit.typescript.types import (
    TypeRenderer,
    doc_lines,
    doc_tuple,
    is_alias,
    jsdoc,
    literal,
    mentioned,
    model_types,
    object_key,
    property_key,
    ts_string,
)
from sdkgen.ir import naming
from sdkgen.ir.model import (
    Api,
    ArrayType,
    BodyKind,
    LiteralType,
    Model,
    ModelKind,
    ModelRef,
    Operation,
    Parameter,
    ParameterLocation,
    Primitive,
    PrimitiveKind,
    Property,
    Resource,
    SecurityKind,
    TypeRef,
    UnionType,
)
from sdkgen.write import FileSet

# npm package names: lower case, URL-safe, optionally scoped.
_PACKAGE = re.compile(r"^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(-(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?"
    r"(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$"
)
TYPESCRIPT_VERSION = "5.9.3"

# Names the generated index.ts exports besides the resources and their params types.
_INDEX_NAMES = frozenset(
    {
        "Client",
        "ClientOptions",
        "VERSION",
        "APIPromise",
        "WithResponse",
        "Page",
        "PagePromise",
        "RequestOptions",
        "Fetch",
        "Uploadable",
        "models",
        "default",
        "APIError",
        "APIConnectionError",
        "APITimeoutError",
        "APIUserAbortError",
        "APIStatusError",
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "UnprocessableEntityError",
        "RateLimitError",
        "InternalServerError",
    }
)
# Members a class cannot have under these names (the class's constructor).
_CLASS_MEMBER_RESERVED = frozenset({"constructor"})
# Members of every object: a client property must not override them.
_OBJECT_MEMBERS = frozenset(
    {"constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf"}
    | {"propertyIsEnumerable", "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__"}
    | {"__lookupSetter__"}
)
_BODY_TYPES = {
    BodyKind.JSON: "json",
    BodyKind.MULTIPART: "multipart",
    BodyKind.FORM: "form",
    BodyKind.BINARY: "binary",
    BodyKind.TEXT: "text",
    BodyKind.NONE: "binary",
}

ERROR_NAMES = [
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIUserAbortError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
]


def emit_typescript(api: Api, package: str, options: dict[str, Any]) -> FileSet:
    if len(package) > 214 or not _PACKAGE.match(package):
        raise EmitError(f"package name {package!r} is not a valid npm package name (lower case, optionally @scope/)")
    _register_filters()
    return _TypeScriptEmitter(api, package, options).emit()


def _register_filters() -> None:
    env = environment("typescript")
    env.filters["tslit"] = ts_string
    env.filters["tskey"] = object_key
    env.filters["jsdoc"] = jsdoc


def semver(version: str) -> str:
    """info.version as a valid semantic version: kept when it is one, else rebuilt from its numbers.

    `1.2` → 1.2.0, `v2` → 2.0.0, `1.0-beta` → 1.0.0-beta, `2021-06-01` → 2021.6.1, `latest` → 0.0.0.
    """
    text = version.strip().removeprefix("v").removeprefix("V")
    if _SEMVER.match(text):
        return text
    match = re.match(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$", text, re.DOTALL)
    if match is None:
        return "0.0.0"
    rest = match[4].split("+", 1)[0]
    if re.fullmatch(r"[\d\W_]*", rest):  # a date or more numbers: keep the first three
        return numeric_version(text)
    core = ".".join(str(int(n)) if n else "0" for n in match.groups()[:3])
    identifiers = [str(int(w)) if w.isdigit() else w for w in re.findall(r"[0-9A-Za-z]+", rest)]
    return core + "-" + ".".join(identifiers)


def env_prefix(package: str) -> str:
    return naming.upper_snake(package) or "SDK"


# A member of an interface in models.ts, in the order the template unpacks it: doc lines, readonly,
# key (quoted unless an identifier), optional, type.
_Member = tuple[tuple[str, ...], bool, str, bool, str]


class _Declaration(NamedTuple):
    """A declaration in models.ts: an interface (`members`, `index`) or a type alias (`type`)."""

    kind: str  # "interface" | "alias"
    name: str
    doc: list[str]
    members: list[_Member]
    index_signature: str | None  # the value type of `[key: string]`, if any
    type: str


@dataclass(slots=True)
class _Field:
    """A property of a method's params interface."""

    key: str  # as an interface member: bare when an identifier, else quoted
    type: str
    optional: bool
    doc: list[str]
    example: str = ""  # a value for the README


@dataclass(slots=True)
class _PathArg:
    name: str
    wire: str
    type: str
    example: str


@dataclass(slots=True)
class _Method:
    """A method of a resource class and its `Endpoint` constant, as resource.ts.j2 renders them."""

    name: str
    endpoint: str
    endpoint_fields: list[tuple[str, str]]
    doc: list[str]
    signature: str
    returns: str
    call: str
    type_args: str
    path_object: str
    params_arg: str
    params_type: str | None
    params_required: bool
    fields: list[_Field]
    path_args: list[_PathArg]
    page: bool


class _TypeScriptEmitter:
    def __init__(self, api: Api, package: str, options: dict[str, Any]):
        self.api = api
        self.package = package
        self.options = options
        self.input_names = _input_variants(api)
        self.cuts = _alias_cycle_cuts(api)
        # Global names: resource classes and params types are all exported from index.ts.
        self.exports = naming.Namespace(_INDEX_NAMES)

    def emit(self) -> FileSet:
        files = FileSet()
        for path, data in runtime_files("typescript").items():
            files.add(f"src/{path}", data)
        # Declarations are made as the template consumes them: few objects live at once.
        models = render("typescript", "models.ts.j2", decls=self._declarations(), empty=not self.api.models)
        files.add("src/models.ts", models)
        resources = self._resources()
        for view in resources:
            files.add(f"src/resources/{view['file']}.ts", render("typescript", "resource.ts.j2", r=view))
        client = self._client_view(resources)
        webhooks = self._webhooks()
        if webhooks:
            files.add("src/webhooks.ts", render("typescript", "webhooks.ts.j2", events=webhooks))
        client["webhooks"] = bool(webhooks)
        files.add("src/client.ts", render("typescript", "client.ts.j2", c=client))
        files.add("src/index.ts", render("typescript", "index.ts.j2", c=client))
        files.add("package.json", self._package_json(client))
        files.add("tsconfig.json", _TSCONFIG)
        files.add("README.md", render("typescript", "README.md.j2", c=client))
        return files

    def _webhooks(self) -> list[tuple[str, str, str]]:
        """`webhooks.ts`: each webhook the SDKs parse, as (interface key, name literal, body type)."""
        output = TypeRenderer(self.api, prefix="models.")
        return [(property_key(name), ts_string(name), output.render(c.type)) for name, c in self.api.webhook_bodies]

    # ------------------------------------------------------------------ models

    def _declarations(self) -> Iterator[_Declaration]:
        """Every declaration of models.ts: each model, followed by its request form when that differs."""
        output = TypeRenderer(self.api)
        inputs = TypeRenderer(self.api, input_names=self.input_names)
        for key, model in self.api.models.items():
            yield self._declaration(model, model.name.ts, output, write=False)
            if key in self.input_names:
                yield self._declaration(model, self.input_names[key], inputs, write=True)

    def _declaration(self, model: Model, name: str, types: TypeRenderer, write: bool) -> _Declaration:
        doc = doc_lines(model.description)
        if write:
            doc = [*doc, *([""] if doc else []), f"The request form of `{model.name.ts}`: read-only fields left out."]
        if model.deprecated:
            doc.append("@deprecated")
        if model.kind is ModelKind.OBJECT:
            members: list[_Member] = []
            render = types.render
            for prop in model.properties:
                read_only = prop.read_only
                if write and read_only:
                    continue
                optional = not prop.required or (prop.write_only and not write)
                description = prop.description
                lines = doc_tuple(description) if description else ()
                if prop.has_default or prop.deprecated:
                    lines = (*lines, *_default_and_deprecation(prop))
                members.append((lines, read_only, property_key(prop.wire), optional, render(prop.type)))
            index = None
            if model.additional_properties is not None:
                index_parts = [types.render(model.additional_properties)]
                for _, _, _, optional, rendered in members:
                    index_parts += [rendered, "undefined"] if optional else [rendered]
                index = _union(index_parts)
            return _Declaration("interface", name, doc, members, index, "")
        if model.kind is ModelKind.ENUM:
            values = [v for v in (literal(m.value) for m in model.members) if v is not None]
            if model.enum_open:
                values.append("(string & {})" if model.enum_base is PrimitiveKind.STRING else "(number & {})")
            if model.nullable:
                values.append("null")
            return _Declaration("alias", name, doc, [], None, " | ".join(values) or "never")
        if model.target is None:
            return _Declaration("alias", name, doc, [], None, "unknown")
        target = types.render_alias(model.target, self.cuts.get(model.key, frozenset()), model.key)
        return _Declaration("alias", name, doc, [], None, target)

    # ------------------------------------------------------------------ resources

    def _resources(self) -> list[dict[str, Any]]:
        return [self._resource_view(resource) for resource in self.api.resources]

    def _resource_view(self, resource: Resource) -> dict[str, Any]:
        class_name = self.exports.claim(resource.class_name.ts + "Resource")
        types = TypeRenderer(self.api, prefix="models.", input_names=self.input_names)
        output = TypeRenderer(self.api, prefix="models.")
        methods = [self._method_view(class_name, op, types, output) for op in resource.operations]
        example = next((m for m in methods if not m.page), methods[0]) if methods else None
        return {
            "file": resource.module.ts,
            "attr": resource.name.ts + "_" if resource.name.ts in _OBJECT_MEMBERS else resource.name.ts,
            "class_name": class_name,
            "doc": doc_lines(resource.description),
            "methods": methods,
            "uses_models": types.used_models or output.used_models,
            "uses_uploads": types.used_uploads,
            "uses_pages": any(m.page for m in methods),
            "uses_promises": any(not m.page for m in methods),
            "params_types": [m.params_type for m in methods if m.params_type],
            "example": example,
        }

    def _method_view(self, class_name: str, op: Operation, types: TypeRenderer, output: TypeRenderer) -> _Method:
        name = _member(op.name.ts)
        keys = naming.Namespace()
        path_args = []
        specs: list[dict[str, Any]] = []
        fields: list[_Field] = []
        for param in op.parameters:
            rendered = types.render(param.type)
            if param.location is ParameterLocation.PATH:
                example = self._example_value(param.type)
                path_args.append(_PathArg(param.name.ts, param.wire, rendered, example))
                continue
            key = keys.claim(param.wire if param.wire not in keys else f"{param.location.value}_{param.wire}")
            specs.append(_param_spec(key, param))
            fields.append(_field(key, rendered, param.required, param.description, param))
            fields[-1].example = self._example_value(param.type)
        body_spec = self._body(op, types, keys, specs, fields)
        returns, response, response_kinds = self._returns(op, output)
        params_type = None
        if fields:
            params_type = self.exports.claim(f"{class_name.removesuffix('Resource')}{name[:1].upper()}{name[1:]}Params")
        page = self._page(op, output, specs)
        params_required = any(not f.optional for f in fields)
        args = [f"{a.name}: {a.type}" for a in path_args]
        if params_type:
            args.append(f"params{'' if params_required else '?'}: {params_type}")
        args.append("options?: RequestOptions")
        entries = [_shorthand(object_key(a.wire), a.name) for a in path_args]
        path_object = "{ " + ", ".join(entries) + " }"
        return _Method(
            name=name,
            endpoint="_" + name,
            endpoint_fields=_endpoint_fields(op, specs, body_spec, response, response_kinds, page),
            doc=_method_doc(op),
            signature=", ".join(args),
            returns=f"PagePromise<{page['item']}, {page['body']}>" if page else f"APIPromise<{returns}>",
            call="_requestPage" if page else "_request",
            type_args=f"{page['item']}, {page['body']}" if page else returns,
            path_object=path_object if path_args else "{}",
            params_arg="params" if params_type else "undefined",
            params_type=params_type,
            params_required=params_required,
            fields=fields,
            path_args=path_args,
            page=page is not None,
        )

    def _body(
        self,
        op: Operation,
        types: TypeRenderer,
        keys: naming.Namespace,
        specs: list[dict[str, Any]],
        fields: list[_Field],
    ) -> dict[str, Any] | None:
        """The body spec of an operation; adds its fields (or the one `body` field) to `specs` and `fields`."""
        body = op.request_body
        if body is None:
            return None
        preferred = body.preferred
        kind = _BODY_TYPES[preferred.kind]
        media = preferred.media_type
        # form and multipart name theirs too: fetch labels fields itself, a string body needs the spec's type
        content_type = media if "*" not in media else None
        if content_type == "application/json":
            content_type = None
        spec: dict[str, Any] = {"type": kind, "content_type": content_type, "key": None}
        spec["styles"] = body.preferred.field_styles
        spec["optional"] = body.fields is not None and not body.required
        types.files = kind in ("multipart", "form", "binary")
        try:
            if body.fields is not None:
                for body_field in body.fields:
                    prop = body_field.property
                    key = keys.claim(prop.wire if prop.wire not in keys else f"body_{prop.wire}")
                    specs.append({"key": key, "in": "body", "wire": prop.wire if prop.wire != key else None})
                    required = prop.required and body.required
                    fields.append(_field(key, types.render(prop.type), required, prop.description, prop))
                    fields[-1].example = self._example_value(prop.type)
                return spec
            if kind == "binary":
                types.used_uploads = True
                rendered = "Uploadable | string"
            elif kind == "text":
                rendered = "string"
            else:
                rendered = types.render(preferred.type)
            spec["key"] = keys.claim("body")
            fields.append(_field(spec["key"], rendered, body.required, body.description, None))
            fields[-1].example = '"..."' if kind in ("binary", "text") else self._example_value(preferred.type)
            return spec
        finally:
            types.files = False

    def _returns(self, op: Operation, output: TypeRenderer) -> tuple[str, str, dict[str, str]]:
        """The return type, how a 2xx body is read, and by status where the success bodies differ in kind."""
        rendered: list[str] = []
        kinds: dict[str, str] = {}
        for response in op.successes:
            content = response.preferred
            if content is None:
                continue
            if content.kind in (BodyKind.BINARY, BodyKind.NONE):
                type_, kind = "Blob", "binary"
            elif content.kind is not BodyKind.JSON:
                type_, kind = "string", "text"
            else:
                type_, kind = output.render(content.type), "json"
            if type_ not in rendered:
                rendered.append(type_)
            kinds[response.status] = kind
        if not rendered:
            return "void", "none", {}
        kind = next(iter(kinds.values()))
        returns = "unknown" if "unknown" in rendered else " | ".join(rendered)
        if op.success_optional and returns != "unknown":
            returns += " | undefined"
        return returns, kind, (kinds if len(set(kinds.values())) > 1 else {})

    def _page(self, op: Operation, output: TypeRenderer, specs: list[dict[str, Any]]) -> dict[str, Any] | None:
        pagination = op.pagination
        if pagination is None or op.success is None or op.success.preferred is None:
            return None
        if op.success.preferred.kind is not BodyKind.JSON:
            return None

        def key_of(wire: str | None) -> str | None:
            if wire is None:
                return None
            found = next((s["key"] for s in specs if (s["wire"] or s["key"]) == wire and s["in"] == "query"), None)
            return found or wire

        fields: list[tuple[str, str]] = [
            ("style", ts_string(pagination.style.value)),
            ("items", "[" + ", ".join(ts_string(p) for p in pagination.items) + "]"),
        ]
        for label, wire in (
            ("cursorParam", pagination.cursor_param),
            ("offsetParam", pagination.offset_param),
            ("limitParam", pagination.limit_param),
            ("pageParam", pagination.page_param),
        ):
            found = key_of(wire)
            if found is not None:
                fields.append((label, ts_string(found)))
        for label, path in (
            ("nextCursor", pagination.next_cursor),
            ("hasMore", pagination.has_more),
            ("itemCursor", pagination.item_cursor),
        ):
            if path:
                fields.append((label, "[" + ", ".join(ts_string(p) for p in path) + "]"))
        return {
            "item": output.render(pagination.item_type),
            "body": output.render(op.success.preferred.type),
            "spec": "{ " + ", ".join(f"{k}: {v}" for k, v in fields) + " }",
        }

    # ------------------------------------------------------------------ client and package

    def _client_view(self, resources: list[dict[str, Any]]) -> dict[str, Any]:
        api = self.api
        server = next((s for s in api.servers if "://" in s.default_url()), None)
        prefix = env_prefix(self.package)
        credentials = []
        auth = []
        for scheme in api.security_schemes:
            names = [c.ts for c in scheme.credentials]
            for name in names:
                env = f"{prefix}_{naming.upper_snake(name)}"
                doc = doc_lines(f"Credential of the `{scheme.key}` security scheme; defaults to the `{env}` variable.")
                description = doc_lines(scheme.description)
                credentials.append(
                    {
                        "name": name,
                        "env": env,
                        "scheme": scheme.key,
                        "doc": doc + (["", *description] if description else []),
                        "summary": " ".join(doc_lines(scheme.key)),
                    }
                )
            if not names:
                continue
            entry: dict[str, Any] = {"key": scheme.key, "options": names}
            if scheme.kind is SecurityKind.API_KEY:
                entry["type"] = "apiKey"
                entry["location"] = scheme.location.value if scheme.location else "header"
                entry["parameter"] = scheme.parameter_name or ""
            elif scheme.kind is SecurityKind.HTTP_BASIC:
                entry["type"] = "basic"
            elif scheme.kind is SecurityKind.HTTP:
                entry["type"] = "http"
                entry["scheme"] = scheme.http_scheme
            else:
                entry["type"] = "bearer"
            auth.append(entry)
        if api.security:
            security = [[k for k, _ in requirement.schemes] for requirement in api.security]
        else:
            security = [[s.key] for s in api.security_schemes if s.credentials]
        env_vars = {c["name"]: c["env"] for c in credentials}
        version = semver(str(self.options.get("version", api.version)))
        return {
            "package": self.package,
            "version": version,
            "title": api.title,
            "title_doc": " ".join(doc_lines(api.title)) or "the API",
            "doc": doc_lines(api.description),
            "base_url": server.default_url() if server else None,
            "base_url_doc": doc_lines(
                f"The API's root URL; defaults to the `{prefix}_BASE_URL` environment variable"
                + (f", else {server.default_url()}." if server else " (required: the API declares no absolute URL).")
            ),
            "env_prefix": prefix,
            "credentials": credentials,
            "env": env_vars,
            "auth": auth,
            "security": security,
            "resources": resources,
            "error_names": ERROR_NAMES,
            "example": self._readme_example(resources),
            "page_example": self._page_example(resources),
        }

    def _readme_example(self, resources: list[dict[str, Any]]) -> list[str]:
        lines = []
        for view in resources:
            method = view["example"]
            if method is None:
                continue
            args = [a.example for a in method.path_args]
            required = [f for f in method.fields if not f.optional]
            if required:
                args.append("{ " + ", ".join(f"{f.key}: {f.example}" for f in required) + " }")
            lines.append(
                f"const {_example_var(view['attr'])} = await client.{view['attr']}.{method.name}({', '.join(args)});"
            )
        return lines

    def _example_value(self, t: TypeRef, depth: int = 0) -> str:
        """A plausible TypeScript value of a type, for the README."""
        if isinstance(t, Primitive):
            return {PrimitiveKind.STRING: '"..."', PrimitiveKind.BOOLEAN: "true"}.get(t.kind, "1")
        if isinstance(t, LiteralType) and t.values:
            return literal(t.values[0]) or "1"
        if isinstance(t, ArrayType):
            return "[]"
        if isinstance(t, UnionType) and t.variants and depth < 5:
            return self._example_value(t.variants[0], depth + 1)
        if isinstance(t, ModelRef) and depth < 5:
            model = self.api.models[t.key]
            if model.kind is ModelKind.ENUM and model.members:
                return literal(model.members[0].value) or "1"
            if model.kind is not ModelKind.OBJECT and model.target is not None:
                return self._example_value(model.target, depth + 1)
        return "{ /* ... */ }"

    def _page_example(self, resources: list[dict[str, Any]]) -> str | None:
        for view in resources:
            for method in view["methods"]:
                if method.page and not method.path_args and not method.params_required:
                    return f"client.{view['attr']}.{method.name}()"
        return None

    def _package_json(self, client: dict[str, Any]) -> str:
        data = {
            "name": self.package,
            "version": client["version"],
            "description": f"TypeScript SDK for {self.api.title}"[:500],
            "license": str(self.options.get("license", "UNLICENSED")),
            "type": "module",
            "main": "./dist/index.js",
            "types": "./dist/index.d.ts",
            "exports": {
                ".": {"types": "./dist/index.d.ts", "import": "./dist/index.js", "default": "./dist/index.js"},
                "./package.json": "./package.json",
            },
            "files": ["dist", "src", "README.md"],
            "sideEffects": False,
            "engines": {"node": ">=18"},
            "scripts": {"build": "tsc -p tsconfig.json", "prepack": "npm run build"},
            "devDependencies": {"typescript": TYPESCRIPT_VERSION},
        }
        return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


_TSCONFIG = (
    json.dumps(
        {
            "compilerOptions": {
                "target": "ES2020",
                "lib": ["ES2022", "DOM", "DOM.Iterable"],
                "module": "NodeNext",
                "moduleResolution": "NodeNext",
                "strict": True,
                "noImplicitOverride": True,
                "declaration": True,
                "sourceMap": True,
                "outDir": "dist",
                "rootDir": "src",
                "types": [],
                "forceConsistentCasingInFileNames": True,
            },
            "include": ["src"],
        },
        indent=2,
    )
    + "\n"
)


def _shorthand(key: str, value: str) -> str:
    return value if key == value else f"{key}: {value}"


def _member(name: str) -> str:
    return name + "_" if name in _CLASS_MEMBER_RESERVED else name


def _endpoint_fields(
    op: Operation,
    specs: list[dict[str, Any]],
    body: dict[str, Any] | None,
    response: str,
    response_kinds: dict[str, str],
    page: dict[str, Any] | None,
) -> list[tuple[str, str]]:
    """The properties of an operation's `Endpoint` constant, as TypeScript source (spec text escaped)."""
    fields = [("method", ts_string(op.method.upper())), ("path", ts_string(op.path))]
    path_styles = []
    for p in op.parameters:
        if p.location is ParameterLocation.PATH and p.styled:
            explode = "true" if p.explode else "false"
            path_styles.append(f"{ts_string(p.wire)}: {{ style: {ts_string(p.style)}, explode: {explode} }}")
    if path_styles:
        fields.append(("pathStyles", "{ " + ", ".join(path_styles) + " }"))
    if specs:
        entries = []
        for spec in specs:
            parts = [f"key: {ts_string(spec['key'])}", f"in: {ts_string(spec['in'])}"]
            if spec.get("wire"):
                parts.append(f"wire: {ts_string(spec['wire'])}")
            if "style" in spec:
                parts.append(f"style: {ts_string(spec['style'])}")
            if "explode" in spec:
                parts.append(f"explode: {'true' if spec['explode'] else 'false'}")
            if spec.get("reserved"):
                parts.append("reserved: true")
            entries.append("{ " + ", ".join(parts) + " }")
        fields.append(("params", "[\n    " + ",\n    ".join(entries) + ",\n  ]"))
    if body is not None:
        parts = [f"type: {ts_string(body['type'])}"]
        if body["content_type"]:
            parts.append(f"contentType: {ts_string(body['content_type'])}")
        if body["key"]:
            parts.append(f"key: {ts_string(body['key'])}")
        if body["styles"]:
            styles = [
                f"{object_key(wire)}: {{ style: {ts_string(style)}, explode: {'true' if explode else 'false'} }}"
                for wire, style, explode in body["styles"]
            ]
            parts.append("styles: { " + ", ".join(styles) + " }")
        if body["optional"]:
            parts.append("optional: true")
        fields.append(("body", "{ " + ", ".join(parts) + " }"))
    if op.security is not None:
        alternatives = ["[" + ", ".join(ts_string(k) for k, _ in req.schemes) + "]" for req in op.security]
        fields.append(("security", "[" + ", ".join(alternatives) + "]"))
    if op.sends_idempotency_key:
        fields.append(("idempotencyKey", "true"))
    fields.append(("response", ts_string(response)))
    if response_kinds:
        by_status = ", ".join(f"{ts_string(status)}: {ts_string(kind)}" for status, kind in response_kinds.items())
        fields.append(("responses", "{ " + by_status + " }"))
    if op.accept != "application/json":
        fields.append(("accept", ts_string(op.accept)))
    if page is not None:
        fields.append(("page", page["spec"]))
    return fields


def _param_spec(key: str, param: Parameter) -> dict[str, Any]:
    spec: dict[str, Any] = {"key": key, "in": param.location.value, "wire": param.wire if param.wire != key else None}
    if param.location is ParameterLocation.QUERY:
        default_explode = param.style == "form"
        if param.style != "form":
            spec["style"] = param.style
        if param.explode != default_explode:
            spec["explode"] = param.explode
        if param.allow_reserved:
            spec["reserved"] = True
    elif param.style == "json":  # a header or cookie declared with JSON `content`
        spec["style"] = "json"
    elif param.location is ParameterLocation.HEADER and param.explode:
        spec["explode"] = True
    return spec


def _field(
    key: str, rendered: str, required: bool, description: str | None, source: Parameter | Property | None
) -> _Field:
    doc = doc_lines(description)
    if source is not None:
        doc += _default_and_deprecation(source)
    return _Field(property_key(key), rendered, not required, doc)


def _default_and_deprecation(source: Parameter | Property) -> list[str]:
    doc = []
    if source.has_default:
        default = _json_default(source.default)
        if default is not None:
            doc.append("@default " + " ".join(doc_lines(default)))
    if source.deprecated:
        doc.append("@deprecated")
    return doc


def _method_doc(op: Operation) -> list[str]:
    doc = doc_lines(op.summary)
    description = doc_lines(op.description)
    if description and description != doc:
        doc += ([""] if doc else []) + description
    for param in op.parameters_in(ParameterLocation.PATH):
        text = doc_lines(param.description)
        if text:
            doc.append(f"@param {param.name.ts} {text[0]}")
            doc += ["  " + line for line in text[1:]]
    if op.deprecated:
        doc.append("@deprecated")
    return doc


def _json_default(value: Any) -> str | None:
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return None
    return text if len(text) <= 200 else None


def _union(parts: list[str]) -> str:
    unique = list(dict.fromkeys(p for part in parts for p in part.split(" | ")))
    if "unknown" in unique:
        return "unknown"
    return " | ".join(unique)


def _example_var(attr: str) -> str:
    return attr + "Result"


def _input_variants(api: Api) -> dict[str, str]:
    """Input names of the request models whose request form differs (read-only fields left out), by key.

    A model differs when it has read-only or write-only properties, or mentions (not being an enum)
    a model that differs. Everything a request model mentions is a request model too, so only the
    request models need looking at.
    """
    models = api.models
    direct = {
        key
        for key, model in models.items()
        if model.kind is ModelKind.OBJECT and any(p.read_only or p.write_only for p in model.properties)
    }
    if not direct:
        return {}
    refs: dict[str, list[str]] = {}
    requested = _request_models(api, refs)
    differing = direct & requested
    if not differing:
        return {}
    users: dict[str, set[str]] = {}
    for key in requested:
        for ref in refs[key]:
            users.setdefault(ref, set()).add(key)
    work = list(differing)
    while work:
        key = work.pop()
        for user in users.get(key, ()):
            if user not in differing and models[user].kind is not ModelKind.ENUM:
                differing.add(user)
                work.append(user)
    taken = {m.name.ts for m in models.values()}
    names = naming.Namespace(taken | naming.TS_RESERVED_TYPES | naming.TS_RESERVED)
    return {key: names.claim(models[key].name.ts + "Input", "") for key in models if key in differing}


def _request_models(api: Api, refs: dict[str, list[str]]) -> set[str]:
    """Keys of the models a request can contain (parameters and request bodies, transitively).

    Fills `refs` with the models each of them mentions.
    """
    work: list[str] = []
    for resource in api.resources:
        for op in resource.operations:
            for param in op.parameters:
                work += mentioned(param.type)
            if op.request_body is not None:
                for content in op.request_body.contents:
                    work += mentioned(content.type)
    models = api.models
    seen: set[str] = set()
    while work:
        key = work.pop()
        if key in seen or key not in models:
            continue
        seen.add(key)
        found: list[str] = []
        for t in model_types(models[key]):
            found += mentioned(t)
        refs[key] = found
        work += found
    return seen


def _alias_cycle_cuts(api: Api) -> dict[str, frozenset[str]]:
    """References that would make type aliases refer to themselves directly (an error in TypeScript).

    An alias may mention itself inside an array, a map or an interface, but not as a bare union
    member: such mentions, found by a depth-first search over aliases, are rendered as `unknown`.
    """
    edges: dict[str, list[str]] = {}
    for key, model in api.models.items():
        if not is_alias(model) or model.target is None:
            continue
        found = mentioned(model.target, direct_only=True)
        edges[key] = [ref for ref in found if ref in api.models and is_alias(api.models[ref])]
    cuts: dict[str, set[str]] = {}
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for root in edges:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack.pop()
            children = edges.get(node, [])
            if index < len(children):
                stack.append((node, index + 1))
                child = children[index]
                if state.get(child) == 1:
                    cuts.setdefault(node, set()).add(child)
                elif child not in state:
                    state[child] = 1
                    stack.append((child, 0))
            else:
                state[node] = 2
    return {key: frozenset(value) for key, value in cuts.items()}


__all__ = ["emit_typescript", "env_prefix", "semver"]
