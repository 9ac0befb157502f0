"""The Python SDK emitter: the IR → an installable package (pydantic v2 models, httpx clients).

Static runtime (`templates/python/runtime/`) is copied verbatim; the per-API parts are rendered
from small templates out of plain view data computed here. Models are grouped by owner (a
resource, or a root nothing refers to; see `group_models`), so importing one model imports only
what it can need and modules never import each other in a cycle. Imports are written sorted and only where
used (`imports.py`): the output needs `ruff format`, nothing else.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from sdkgen.emit import EmitError, numeric_version, render, runtime_files
from sdkgen.emit.python.imports import ImportBlock, sort_all, sort_members
from sdkgen.emit.python.types import Imports, TypeRenderer, references
from sdkgen.gctools import gc_frozen
from sdkgen.ir import naming
from sdkgen.ir.model import (
    Api,
    ArrayType,
    BodyKind,
    Model,
    ModelKind,
    ModelRef,
    Operation,
    PaginationStyle,
    ParameterLocation,
    Primitive,
    PrimitiveKind,
    Resource,
    SecurityKind,
    TypeRef,
    model_directions,
)
from sdkgen.write import FileSet

_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")


def emit_python(api: Api, package: str, options: dict[str, Any]) -> FileSet:
    if not _PACKAGE.match(package) or keyword.iskeyword(package):
        raise EmitError(f"package name {package!r} is not a valid lower-case Python module name")
    with gc_frozen():
        return _PythonEmitter(api, package, options).emit()


_LINE_BREAKS = str.maketrans("", "", "\n\t")  # kept as they are; everything else not printable becomes a space


def pep440(version: str) -> str:
    """info.version as a PEP 440 version, which pip requires: normalised when it is one, else rebuilt from its
    numbers (`V 1.0.0` → 1.0.0, `2021-06-01` → 2021.6.1, `latest` → 0.0.0)."""
    from packaging.version import InvalidVersion, Version  # only where a package is written: not at start-up

    text = version.strip()
    try:
        return str(Version(text))
    except InvalidVersion:
        return numeric_version(text)


def package_version(options: dict[str, Any], spec_version: str) -> str:
    """The version to publish: the `version` option (which must be a PEP 440 version), else the spec's."""
    from packaging.version import InvalidVersion, Version

    given = options.get("version")
    if given is None:
        return pep440(spec_version)
    try:
        return str(Version(str(given)))
    except InvalidVersion:
        raise EmitError(f"option version = {str(given)!r} is not a PEP 440 version (e.g. 1.2.0, 2.0.0rc1)") from None


def docstring(text: str | None) -> str:
    """Spec prose made safe inside a triple-quoted docstring."""
    if not text:
        return ""
    cleaned = text
    if not text.translate(_LINE_BREAKS).isprintable():  # rare: checked at C speed, then per distinct character
        cleaned = text.translate({ord(ch): " " for ch in set(text) if ch not in "\n\t" and not ch.isprintable()})
    cleaned = cleaned.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()
    if cleaned.endswith('"'):
        cleaned += " "
    return cleaned


@dataclass
class _ModuleView:
    name: str
    imports: list[str]
    enums: list[dict[str, Any]] = field(default_factory=list)
    classes: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[dict[str, Any]] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)


class _PythonEmitter:
    def __init__(self, api: Api, package: str, options: dict[str, Any]):
        self.api = api
        self.package = package
        self.options = options
        layout = options.get("models", "by-owner")
        if layout not in MODEL_LAYOUTS:
            raise EmitError(f"option models = {layout!r}: use one of {', '.join(map(repr, MODEL_LAYOUTS))}")
        self.grouping = group_models(api, by_owner=layout == "by-owner")
        self.module_of = self.grouping.module_of
        self.directions = model_directions(api)
        self.modules = self.grouping.modules

    def emit(self) -> FileSet:
        files = FileSet()
        pkg = self.package
        for path, data in runtime_files("python").items():
            files.add(f"{pkg}/{path}", data)
        files.add(f"{pkg}/py.typed", "")
        for module, keys in self.modules.items():
            files.add(
                f"{pkg}/models/{module}.py", render("python", "models_module.py.j2", m=self._module_view(module, keys))
            )
        files.add(
            f"{pkg}/models/__init__.py", render("python", "models_init.py.j2", **self.grouping.index_view(self.api))
        )
        resources = [self._resource_view(r) for r in self.api.resources]
        files.add(f"{pkg}/resources/__init__.py", '"""One module per resource of the API."""\n')
        for view in resources:
            files.add(f"{pkg}/resources/{view['module']}.py", render("python", "resource.py.j2", r=view))
        client = self._client_view(resources)
        webhooks = self._webhooks_view()
        if webhooks is not None:
            files.add(f"{pkg}/webhooks.py", render("python", "webhooks.py.j2", w=webhooks))
        client["webhooks"] = webhooks is not None
        files.add(f"{pkg}/_client.py", render("python", "client.py.j2", c=client))
        files.add(f"{pkg}/__init__.py", render("python", "init.py.j2", c=client))
        files.add("pyproject.toml", render("python", "pyproject.toml.j2", c=client))
        files.add("README.md", render("python", "README.md.j2", c=client, resources=resources))
        return files

    # ------------------------------------------------------------------ models

    def _module_view(self, module: str, keys: list[str]) -> _ModuleView:
        imports = Imports()
        imports.add("__future__", "annotations")
        types = TypeRenderer(self.api, self.module_of, imports, module)
        view = _ModuleView(module, [])
        for key in keys:
            model = self.api.models[key]
            if model.kind is ModelKind.ENUM:
                enum_view = self._enum_view(model)
                view.enums.append(enum_view)
                if model.enum_open:
                    imports.add(".._models", enum_view["base"])
                else:
                    imports.add("enum")
            elif model.kind is ModelKind.OBJECT:
                class_view = self._class_view(model, types)
                view.classes.append(class_view)
                imports.add(".._models", class_view["base"])
                if class_view["read_only"] or class_view["tags"]:
                    imports.typing.add("ClassVar")
                if class_view["uses_pydantic"]:
                    imports.add("pydantic")
            else:
                assert model.target is not None
                recursive = self.grouping.recursive(key, model.target)
                if recursive:
                    imports.add("typing_extensions", "TypeAliasType")
                else:
                    imports.typing.add("TypeAlias")
                view.aliases.append(
                    {
                        "name": model.name.py,
                        "type": types.render(model.target),
                        "recursive": recursive,
                        "doc": docstring(model.description),
                    }
                )
        view.aliases = _order_aliases(view.aliases, self.api, keys)
        view.exports = sort_all(model["name"] for group in (view.enums, view.classes, view.aliases) for model in group)
        view.imports = imports.lines(".")
        return view

    def _enum_view(self, model: Model) -> dict[str, Any]:
        base = "OpenStrEnum" if model.enum_base is PrimitiveKind.STRING else "OpenIntEnum"
        if not model.enum_open:
            base = "str, enum.Enum" if model.enum_base is PrimitiveKind.STRING else "int, enum.Enum"
        return {
            "name": model.name.py,
            "base": base,
            "doc": docstring(model.description),
            "members": [{"name": m.name.py, "value": repr(m.value)} for m in model.members],
            "closed": not model.enum_open,
        }

    def _class_view(self, model: Model, types: TypeRenderer) -> dict[str, Any]:
        fields = []
        # a write-only property is never in a response: required only for the requests (their methods' arguments)
        received = "response" in self.directions.get(model.key, ())
        for prop in model.properties:
            annotation = types.render(prop.type)
            optional = not prop.required or (prop.write_only and received)
            default = repr(prop.default) if prop.literal_default else "None"  # a literal: str, int or bool
            if (
                optional
                and default == "None"
                and not annotation.endswith("| None")
                and annotation not in ("object", "None")
            ):
                annotation += " | None"
            args = []
            if optional:
                args.append(f"default={default}")
            if prop.name.py != prop.wire:
                args.append(f"alias={prop.wire!r}")
            fields.append(
                {
                    "name": prop.name.py,
                    "annotation": annotation,
                    "field": f" = pydantic.Field({', '.join(args)})"
                    if prop.name.py != prop.wire
                    else (f" = {default}" if optional else ""),
                    "doc": docstring(prop.description),
                    "deprecated": prop.deprecated,
                }
            )
        extra = types.render(model.additional_properties) if model.additional_properties is not None else None
        read_only = sorted(p.name.py for p in model.properties if p.read_only)
        tags = sorted(p.name.py for p in model.properties if p.literal_default)
        doc = docstring(model.description)
        return {
            "name": model.name.py,
            "base": "TaggedModel" if tags else "BaseModel",
            "tags": tags,
            "doc": doc,
            "fields": fields,
            "extra": extra,
            "read_only": read_only,
            "needs_pass": not (doc or fields or extra or read_only or tags),  # a class body may not be empty
            "uses_pydantic": extra is not None or any(p.name.py != p.wire for p in model.properties),
        }

    # ------------------------------------------------------------------ resources

    def _resource_view(self, resource: Resource) -> dict[str, Any]:
        checking = Imports()  # annotations only: under `if TYPE_CHECKING:`
        checking.add(".._client", "AsyncClient", "Client")
        shadowed = frozenset(op.name.py for op in resource.operations)
        types = TypeRenderer(self.api, self.module_of, checking, None, shadowed=shadowed)
        # Endpoint type strings are evaluated against the models namespace at run time: nothing to import
        strings = TypeRenderer(self.api, self.module_of, Imports(), None, shadowed=shadowed)
        methods = [self._method_view(op, types, strings) for op in resource.operations]
        imports = ImportBlock()
        imports.add("__future__", "annotations")
        imports.add("typing", "TYPE_CHECKING")
        if methods:
            imports.add("collections.abc", "Mapping")
            imports.add(".._base_client", "Endpoint", "Request", "RequestOptions")
            imports.add(".._response", "to_raw_response_wrapper")
            imports.add(".._types", "NOT_GIVEN", "NotGiven")
        if any(m["page"] for m in methods):
            imports.add(".._base_client", "PageSpec")
            imports.add(".._pagination", "AsyncPage", "AsyncPaginator", "SyncPage")
        if any(not m["page"] for m in methods):
            imports.add(".._response", "async_to_raw_response_wrapper")
        if types.file_types_used:
            imports.add(".._types", "FileTypes")
        if any(m["file_content"] for m in methods):
            imports.add(".._types", "FileContent")
        class_name = resource.class_name.py + "Resource"
        async_class_name = "Async" + resource.class_name.py + "Resource"
        return {
            "module": resource.module.py,
            "attr": resource.name.py,
            "class_name": class_name,
            "async_class_name": async_class_name,
            "exports": sort_all([class_name, async_class_name]),
            "doc": docstring(resource.description),
            "methods": methods,
            "imports": imports.lines(),
            "checking_imports": checking.lines("..models.", indent="    "),
            "example": self._example(resource, methods),
        }

    def _webhooks_view(self) -> dict[str, Any] | None:
        """`webhooks.py`: `parse` overloaded on each webhook's name where there are several, `unwrap` over all."""
        bodies = self.api.webhook_bodies
        if not bodies:
            return None
        checking = Imports()  # annotations only: under `if TYPE_CHECKING:`
        types = TypeRenderer(self.api, self.module_of, checking, None)
        strings = TypeRenderer(self.api, self.module_of, Imports(), None)  # evaluated over the models namespace
        events = [
            {"name": name, "annotation": types.render(content.type), "expression": strings.render(content.type)}
            for name, content in bodies
        ]
        overloaded = len(events) > 1
        return {
            "events": events,
            "overloaded": overloaded,
            "parse_returns": "object" if overloaded else events[0]["annotation"],
            "union": " | ".join(dict.fromkeys(e["annotation"] for e in events)),
            "union_expression": " | ".join(dict.fromkeys(e["expression"] for e in events)),
            "checking_imports": checking.lines(".models.", indent="    "),
            "package": self.package,
        }

    def _method_view(self, op: Operation, types: TypeRenderer, strings: TypeRenderer) -> dict[str, Any]:
        positional, keywords = [], []
        path_params: list[tuple[str, str]] = []
        query: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        cookies: list[tuple[str, str]] = []
        styles: list[tuple[str, str, bool]] = []
        path_styles: list[tuple[str, str, bool]] = []
        exploded_headers: list[str] = []
        json_parameters: list[str] = []
        reserved_query: list[str] = []
        for param in op.parameters:
            annotation = types.render(param.type)
            if param.location is ParameterLocation.PATH:
                positional.append({"name": param.name.py, "annotation": annotation})
                path_params.append((param.wire, param.name.py))
                if param.styled:
                    path_styles.append((param.wire, param.style, param.explode))
                continue
            if param.location is ParameterLocation.HEADER and param.explode:
                exploded_headers.append(param.wire)
            if param.location in (ParameterLocation.HEADER, ParameterLocation.COOKIE) and param.style == "json":
                json_parameters.append(param.wire)
            keywords.append(_keyword(param.name.py, annotation, param.required, docstring(param.description)))
            target = {
                ParameterLocation.QUERY: query,
                ParameterLocation.HEADER: headers,
                ParameterLocation.COOKIE: cookies,
            }
            target[param.location].append((param.wire, param.name.py))
            if param.location is ParameterLocation.QUERY and param.styled:
                styles.append((param.wire, param.style, param.explode))
            if param.allow_reserved:
                reserved_query.append(param.wire)
        body_expr: dict[str, Any] = {"slot": None}
        file_content = False
        content_type = None
        body = op.request_body
        if body is not None:
            preferred = body.preferred
            if preferred.kind not in (BodyKind.JSON,) or preferred.media_type != "application/json":
                content_type = preferred.media_type
            slot = {
                BodyKind.JSON: "json",
                BodyKind.MULTIPART: "multipart",
                BodyKind.FORM: "form",
                BodyKind.BINARY: "content",
                BodyKind.TEXT: "content",
                BodyKind.NONE: "content",
            }[preferred.kind]
            # a file goes in a part of a multipart or form body; JSON (a binary string) carries text only
            files = preferred.kind in (BodyKind.MULTIPART, BodyKind.FORM)
            if body.fields is not None:
                entries = []
                for f in body.fields:
                    annotation = types.render(f.property.type, files=files)
                    required = f.property.required and body.required
                    keywords.append(_keyword(f.name.py, annotation, required, docstring(f.property.description)))
                    entries.append((f.property.wire, f.name.py))
                body_expr = {"slot": slot, "entries": entries}
            else:
                if preferred.kind is BodyKind.BINARY:
                    annotation = "FileContent"
                    file_content = True
                elif preferred.kind is BodyKind.TEXT:
                    annotation = types.builtin("str")
                else:
                    annotation = types.render(preferred.type, files=files)
                keywords.append(_keyword("body", annotation, body.required, docstring(body.description)))
                body_expr = {"slot": slot, "value": "body"}
        page = self._page(op, types)
        # a paged method returns a page (of the first success type: only it is read as a page)
        returns, cast_to, responses = self._returns(op, strings if page else types)
        if page:
            responses = []
        errors = []
        for response in op.errors:
            content = response.preferred
            if content is not None and content.kind is BodyKind.JSON:
                errors.append((response.status, strings.render(content.type)))
        security = None
        if op.security is not None:
            security = (
                "(" + "".join("(" + "".join(f"{k!r}, " for k, _ in req.schemes) + "), " for req in op.security) + ")"
            )
        return {
            "name": op.name.py,
            "endpoint": "_" + op.name.py.upper().strip("_"),
            "method": op.method.upper(),
            "path": op.path,
            "doc": self._method_doc(op),
            "positional": positional,
            "keywords": sorted(keywords, key=lambda k: k["default"] != ""),
            "path_params": path_params,
            "query": query,
            "headers": headers,
            "cookies": cookies,
            "styles": styles,
            "path_styles": path_styles,
            "exploded_headers": exploded_headers,
            "json_parameters": json_parameters,
            "reserved_query": reserved_query,
            "form_styles": list(body.preferred.field_styles) if body is not None else [],
            "body": body_expr,
            "content_type": content_type,
            "optional_body": body is not None and body.fields is not None and not body.required,
            "returns": returns,
            "cast_to": cast_to,
            "responses": responses,
            "accept": op.accept if op.accept != "application/json" else None,
            "page": page,
            "errors": errors,
            "security": security,
            "idempotency": op.sends_idempotency_key,
            "file_content": file_content,
            "deprecated": op.deprecated,
        }

    def _method_doc(self, op: Operation) -> str:
        parts = [docstring(op.summary), docstring(op.description)]
        text = "\n\n".join(p for p in parts if p)
        if op.deprecated:
            text = (text + "\n\n" if text else "") + "Deprecated."
        return text

    def _returns(self, op: Operation, types: TypeRenderer) -> tuple[str, str, list[tuple[str, str]]]:
        """The return annotation, the 2xx body type as an expression, and the type by status where they differ."""
        annotations: list[str] = []
        by_status: list[tuple[str, str]] = []
        for response in op.successes:
            content = response.preferred
            if content is None:
                continue
            if content.kind is BodyKind.BINARY:
                annotation, cast_to = types.builtin("bytes"), "bytes"
            elif content.kind is BodyKind.TEXT:
                annotation, cast_to = types.builtin("str"), "str"
            else:
                annotation = cast_to = types.render(content.type)
            if annotation not in annotations:
                annotations.append(annotation)
            by_status.append((response.status, cast_to))
        if not by_status:
            return "None", "None", []
        annotation = " | ".join(annotations)
        if op.success_optional and not any(a == "None" or a.endswith("| None") for a in annotations):
            annotation += " | None"
        return annotation, by_status[0][1], (by_status if len(by_status) > 1 else [])

    def _page(self, op: Operation, types: TypeRenderer) -> dict[str, Any] | None:
        pagination = op.pagination
        if pagination is None or op.success is None or op.success.preferred is None:
            return None
        body_type = op.success.preferred.type
        items = self._attr_path(body_type, pagination.items)
        next_cursor = self._attr_path(body_type, pagination.next_cursor)
        fields = [f"{pagination.style.value!r}", f"items={tuple(items)!r}"]
        if pagination.style is PaginationStyle.CURSOR:
            fields += [f"cursor_param={pagination.cursor_param!r}", f"next_cursor={tuple(next_cursor)!r}"]
            if pagination.has_more:
                fields.append(f"has_more={tuple(self._attr_path(body_type, pagination.has_more))!r}")
            if pagination.item_cursor:
                item_cursor = self._attr_path(pagination.item_type, pagination.item_cursor)
                fields.append(f"item_cursor={tuple(item_cursor)!r}")
        for name in ("offset_param", "limit_param", "page_param"):
            value = getattr(pagination, name)
            if value:
                fields.append(f"{name}={value!r}")
        return {"item": types.render(pagination.item_type), "spec": f"PageSpec({', '.join(fields)})"}

    def _attr_path(self, t: TypeRef, path: tuple[str, ...]) -> list[str]:
        result = []
        for wire in path:
            model = self._object_model(t)
            prop = next((p for p in model.properties if p.wire == wire), None) if model else None
            if prop is None:
                result.append(wire)
                continue
            result.append(prop.name.py)
            t = prop.type
        return result

    def _object_model(self, t: TypeRef) -> Model | None:
        while isinstance(t, ModelRef):
            model = self.api.models[t.key]
            if model.kind is ModelKind.OBJECT:
                return model
            if model.kind is ModelKind.ALIAS and model.target is not None:
                t = model.target
                continue
            return None
        return None

    def _example(self, resource: Resource, methods: list[dict[str, Any]]) -> str:
        method = methods[0]
        args = [_placeholder(p["annotation"]) for p in method["positional"]]
        args += [f"{k['name']}={_placeholder(k['annotation'])}" for k in method["keywords"] if not k["default"]]
        return f"client.{resource.name.py}.{method['name']}({', '.join(args)})"

    # ------------------------------------------------------------------ client

    def _client_view(self, resources: list[dict[str, Any]]) -> dict[str, Any]:
        api = self.api
        server = next((s for s in api.servers if "://" in s.default_url()), None)
        env_prefix = self.package.upper()
        credentials = []
        auth = []
        auth_classes: set[str] = set()
        for scheme in api.security_schemes:
            names = [c.py for c in scheme.credentials]
            for name in names:
                env = f"{env_prefix}_{name.upper().rstrip('_')}"  # `dict_` (a builtin's name taken) reads DICT
                credentials.append({"name": name, "env": env, "scheme": scheme.key})
            if scheme.kind is SecurityKind.API_KEY:
                location = scheme.location.value if scheme.location else "header"
                auth.append(f"{scheme.key!r}: ApiKeyAuth({location!r}, {scheme.parameter_name!r}, {names[0]})")
                auth_classes.add("ApiKeyAuth")
            elif scheme.kind is SecurityKind.HTTP_BASIC:
                auth.append(f"{scheme.key!r}: BasicAuth({names[0]}, {names[1]})")
                auth_classes.add("BasicAuth")
            elif scheme.kind is SecurityKind.HTTP:
                auth.append(f"{scheme.key!r}: HTTPAuth({scheme.http_scheme!r}, {names[0]})")
                auth_classes.add("HTTPAuth")
            elif names:
                auth.append(f"{scheme.key!r}: BearerAuth({names[0]})")
                auth_classes.add("BearerAuth")
        security = (
            "(" + "".join("(" + "".join(f"{k!r}, " for k, _ in req.schemes) + "), " for req in api.security) + ")"
        )
        if not api.security:
            security = "(" + "".join(f"({s.key!r},), " for s in api.security_schemes if s.credentials) + ")"
        distribution = self.package.replace("_", "-")
        imports = ImportBlock()
        imports.add("__future__", "annotations")
        imports.add("os")
        imports.add("collections.abc", "Mapping")
        imports.add("functools", "cached_property")
        imports.add("httpx")
        imports.add("._base_client", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "AsyncAPIClient", "SyncAPIClient")
        imports.add("._base_client", "platform_user_agent", *auth_classes)
        imports.add("._types", "NOT_GIVEN", "NotGiven")
        imports.add("typing_extensions", "Self")
        checking = ImportBlock()
        for r in resources:
            names = [r["class_name"], r["async_class_name"]]
            checking.add(f".resources.{r['module']}", *names, *(n + "With" + k for n in names for k in _WRAPPERS))
        if resources:
            imports.add("typing", "TYPE_CHECKING")
        return {
            "package": self.package,
            "imports": imports.lines(),
            "checking_imports": checking.lines("    "),
            "distribution": self.options.get("distribution", distribution),
            "version": package_version(self.options, api.version),
            "title": api.title,
            "doc": docstring(api.description),
            "title_doc": docstring(api.title),
            "base_url": server.default_url() if server else None,
            "env_prefix": env_prefix,
            "credentials": credentials,
            "auth": auth,
            "security": security,
            "resources": resources,
            "all_exports": sort_all(
                [
                    *("Client", "AsyncClient", "SyncPage", "AsyncPage", "AsyncPaginator", "APIResponse", "NOT_GIVEN"),
                    *("NotGiven", "models", "__version__", *_ERROR_NAMES),
                ]
            ),
            "error_imports": sort_members(_ERROR_NAMES),
            "error_names": list(_ERROR_NAMES),
        }


_WRAPPERS = ("RawResponse", "StreamingResponse")

_ERROR_NAMES = [
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseValidationError",
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


def _keyword(name: str, annotation: str, required: bool, doc: str) -> dict[str, Any]:
    if required:
        return {"name": name, "annotation": annotation, "default": "", "doc": doc}
    return {"name": name, "annotation": f"{annotation} | NotGiven", "default": " = NOT_GIVEN", "doc": doc}


def _placeholder(annotation: str) -> str:
    base = annotation.split(" | ")[0]
    return {"str": '"..."', "int": "1", "float": "1.0", "bool": "True"}.get(base, "...")


def _mentions(t: TypeRef, keys: AbstractSet[str]) -> bool:
    found: list[str] = []
    references(t, lambda key: found.append(key) if key in keys else None)
    return bool(found)


def _order_aliases(aliases: list[dict[str, Any]], api: Api, keys: list[str]) -> list[dict[str, Any]]:
    """Non-recursive aliases are evaluated at import: put each after the aliases it names."""
    by_name = {a["name"]: a for a in aliases}
    order: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place(alias: dict[str, Any], stack: set[str]) -> None:
        if alias["name"] in placed or alias["name"] in stack:
            return
        for other in by_name:
            if other != alias["name"] and re.search(rf"\b{re.escape(other)}\b", alias["type"]):
                place(by_name[other], stack | {alias["name"]})
        placed.add(alias["name"])
        order.append(alias)

    for alias in aliases:
        place(alias, set())
    return order


@dataclass(frozen=True)
class ModelGrouping:
    """Which module of `models/` holds each model (decided once, here, from IR names)."""

    module_of: dict[str, str]  # model key -> module name
    modules: dict[str, list[str]]  # module name -> model keys, in document order
    cycle_of: dict[str, frozenset[str]]  # model key -> the models it is mutually recursive with (itself included)
    edges: dict[str, list[str]]  # model key -> the models it refers to
    dependency_order: list[str]  # every model key, each after the models it refers to (cycles: together)

    def recursive(self, key: str, t: TypeRef) -> bool:
        """Whether `t`, part of model `key`, refers back to `key` (an alias must then be lazy)."""
        return _mentions(t, self.cycle_of[key])

    def index_view(self, api: Api) -> dict[str, Any]:
        """models/__init__.py (both Python targets): every model by name, imported lazily from its module."""
        names = sorted((api.models[k].name.py, self.module_of[k]) for k in api.models)
        checking = ImportBlock()
        for name, module in names:
            checking.add(f".{module}", name, alias=name)
        return {
            "entries": names,
            "checking_imports": checking.lines("    "),
            "exports": sort_all(name for name, _ in names),
        }


# module names that would shadow what models/__init__.py itself uses once the submodule is imported
_RESERVED_MODULES = ("__init__", "importlib", "annotations")


MODEL_LAYOUTS = ("by-owner", "by-root")
"""The Python target's `models` option: modules per owner (default: few files), or one per unit (`by-root`: the
first use of a model imports only what it needs, at the price of a file per root schema)."""


def group_models(api: Api, *, by_owner: bool = True) -> ModelGrouping:
    """Which module of `models/` holds each model.

    A *unit* is a root (a named schema with the inline schemas inside it, or a path item, webhook,
    component parameter, response... with the inline schemas of its operations); roots that refer to each
    other in a cycle form one unit, so units import each other without cycles. Units are then gathered by
    *owner*: an owner is a resource (its operations' parameters, bodies and responses, and whatever those
    refer to) or a unit nothing else refers to. Every unit reached from exactly one owner lives in that
    owner's module (`models/<resource>.py`, or the unit's own name); a unit shared by several owners keeps
    a module of its own. Importing a model imports what it needs and its owner's other models, modules still
    import each other without cycles (whatever refers to an owned unit is owned by the same owner), and a
    big spec needs far fewer files (GitHub: ~550 modules instead of ~1,400 roots). `by_owner=False` (the
    `models = "by-root"` option) gives every unit its own module."""
    edges: dict[str, list[str]] = {}
    for key, model in api.models.items():
        out: list[str] = []
        for prop in model.properties:
            references(prop.type, out.append)
        for t in (model.additional_properties, model.target):
            if t is not None:
                references(t, out.append)
        edges[key] = [k for k in dict.fromkeys(out) if k in api.models]
    cycles = _strongly_connected(list(api.models), edges)  # Tarjan: a component after those it reaches
    cycle_of = {key: frozenset(c) for c in cycles for key in c}

    root_of = {key: _root(model.origin) for key, model in api.models.items()}
    roots: dict[str, list[str]] = {}
    for key in api.models:
        roots.setdefault(root_of[key], []).append(key)
    root_edges = {root: list(dict.fromkeys(root_of[t] for k in keys for t in edges[k])) for root, keys in roots.items()}
    for root, targets in root_edges.items():
        root_edges[root] = [t for t in targets if t != root]

    order = {root: n for n, root in enumerate(roots)}  # roots in the document order of their first model
    units = sorted(_strongly_connected(list(roots), root_edges), key=lambda c: min(order[r] for r in c))
    unit_of = {root: n for n, unit in enumerate(units) for root in unit}
    unit_edges = [sorted({unit_of[t] for r in unit for t in root_edges[r]} - {n}) for n, unit in enumerate(units)]

    owners_of, resource_owners = (
        _owners(api, unit_of, root_of, unit_edges) if by_owner else ([set() for _ in units], [])
    )

    names = naming.Namespace(_RESERVED_MODULES)
    module_of: dict[str, str] = {}
    modules: dict[str, list[str]] = {}
    position = {key: n for n, key in enumerate(api.models)}
    resource_names = {resource.key: resource.name.py for resource in api.resources}
    owned: dict[str, list[int]] = {}  # owner -> its units; a shared unit is its own owner
    for n in range(len(units)):
        owner = next(iter(owners_of[n])) if len(owners_of[n]) == 1 else f"unit:{n}"
        owned.setdefault(owner, []).append(n)
    module_name: dict[str, str] = {}
    for owner in [owner for owner in resource_owners if owner in owned]:
        resource = owner.removeprefix("resource:")
        module_name[owner] = names.claim(_module_base(resource_names.get(resource, resource)))
    for owner, members in sorted(owned.items(), key=lambda item: item[1][0]):
        if owner not in module_name:  # a unit owning itself: named after its first root's own model
            first = min(units[members[0]], key=order.__getitem__)
            namer = next((k for k in roots[first] if _is_root(api.models[k].origin)), roots[first][0])
            module_name[owner] = names.claim(_module_base(api.models[namer].name.py))
        module = module_name[owner]
        keys = [key for n in members for root in units[n] for key in roots[root]]
        modules[module] = _builtin_names_first(sorted(keys, key=position.__getitem__), api, edges)
        for key in keys:
            module_of[key] = module
    modules = {module: modules[module] for module in sorted(modules, key=lambda m: position[modules[m][0]])}
    return ModelGrouping(module_of, modules, cycle_of, edges, [key for c in cycles for key in c])


def _owners(
    api: Api, unit_of: dict[str, int], root_of: dict[str, str], unit_edges: list[list[int]]
) -> tuple[list[set[str]], list[str]]:
    """Per unit, the owners that reach it: resources (`resource:<key>`, by the units their operations mention and
    all those refer to) and units nothing refers to (`unit:<n>`); and the resource owners in API order."""
    used_by: dict[str, list[int]] = {}  # resources in API order, webhooks last
    for op in [op for resource in api.resources for op in resource.operations] + list(api.webhooks):
        keys: list[str] = []
        operation_models(op, keys.append)
        used_by.setdefault(op.resource, []).extend(unit_of[root_of[key]] for key in keys if key in root_of)
    referenced = {target for targets in unit_edges for target in targets}
    referenced.update(n for starts in used_by.values() for n in starts)
    seeds: list[tuple[str, list[int]]] = [(f"resource:{name}", starts) for name, starts in used_by.items() if starts]
    seeds += [(f"unit:{n}", [n]) for n in range(len(unit_edges)) if n not in referenced]
    owners_of: list[set[str]] = [set() for _ in unit_edges]
    for owner, starts in seeds:
        stack = list(starts)
        while stack:
            n = stack.pop()
            if owner not in owners_of[n]:
                owners_of[n].add(owner)
                stack.extend(unit_edges[n])
    return owners_of, [owner for owner, _ in seeds if owner.startswith("resource:")]


def _builtin_names_first(keys: list[str], api: Api, edges: dict[str, list[str]]) -> list[str]:
    """`keys` in order, except that a model named like a builtin (`Warning`) comes before the models of the module
    that refer to it: pydantic evaluates a class's annotations when the class is created, and a name not yet
    defined in the module would find the builtin instead of failing (and being resolved later). Where such models
    refer to each other in a cycle, document order decides."""
    shadowing = {key for key in keys if api.models[key].name.py in naming.PY_BUILTIN_CLASS_NAMES}
    if not shadowing:
        return keys
    before: dict[str, set[str]] = {key: set() for key in keys}  # key -> the shadowing models it must follow
    for key in keys:
        before[key].update(target for target in edges[key] if target in shadowing and target != key)
    placed: list[str] = []
    done: set[str] = set()

    def place(key: str, visiting: frozenset[str]) -> None:
        for target in sorted(before[key] - done - visiting, key=keys.index):
            place(target, visiting | {key})
        if key not in done:
            done.add(key)
            placed.append(key)

    for key in keys:
        place(key, frozenset())
    return placed


def _module_base(name: str) -> str:
    """A module name from a model or resource name, capped: a file name has at most 255 bytes (Microsoft
    Graph has model names longer than that)."""
    return naming.capped_stem(naming.py_identifier(name, fallback="model"))


def operation_models(op: Operation, visit: Callable[[str], None]) -> None:
    """Call `visit` with the key of every model an operation's parameters, bodies and responses mention."""
    for parameter in op.parameters:
        references(parameter.type, visit)
    if op.request_body is not None:
        for content in op.request_body.contents:
            references(content.type, visit)
    for response in op.responses:
        for content in response.contents:
            references(content.type, visit)
        for header in response.headers:
            references(header.type, visit)


def _root(origin: str) -> str:
    """The object a schema belongs to: `/components/<section>/<name>`, `/paths/<path>`, `/webhooks/<name>`."""
    parts = origin.lstrip("#").lstrip("/").split("/")
    if parts[0] == "components" and len(parts) >= 3:
        parts = parts[:3]
    elif parts[0] in ("paths", "webhooks") and len(parts) >= 2:
        parts = parts[:2]
    return "/" + "/".join(parts)


def _is_root(origin: str) -> bool:
    return _root(origin) == "/" + origin.lstrip("#").lstrip("/")


def _strongly_connected(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (iterative Tarjan: deep graphs do not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            children = edges[node]
            while i < len(children):
                child = children[i]
                i += 1
                if child not in index:
                    work.append((node, i))
                    work.append((child, 0))
                    recurse = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if recurse:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


__all__ = ["MODEL_LAYOUTS", "ModelGrouping", "emit_python", "group_models", "package_version", "pep440"]
_unused = (ArrayType, Primitive)
