"""The Python SDK emitter: the IR → an installable package (pydantic v2 models, httpx clients).

Static runtime (`templates/python/runtime/`) is copied verbatim; the per-API parts are rendered
from small templates out of plain view data computed here. Models are grouped into one module
per strongly connected component of the reference graph, so importing one model imports only
what it needs, and mutually recursive models share a module (no import cycles).
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from sdkgen.emit import EmitError, render, runtime_files
from sdkgen.emit.python.types import Imports, TypeRenderer, references
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
)
from sdkgen.write import FileSet

_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")


def emit_python(api: Api, package: str, options: dict[str, Any]) -> FileSet:
    if not _PACKAGE.match(package) or keyword.iskeyword(package):
        raise EmitError(f"package name {package!r} is not a valid lower-case Python module name")
    return _PythonEmitter(api, package, options).emit()


def docstring(text: str | None) -> str:
    """Spec prose made safe inside a triple-quoted docstring."""
    if not text:
        return ""
    cleaned = "".join(ch if ch in "\n\t" or ch.isprintable() else " " for ch in text)
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
    needs_type_alias_type: bool = False


class _PythonEmitter:
    def __init__(self, api: Api, package: str, options: dict[str, Any]):
        self.api = api
        self.package = package
        self.options = options
        self.module_of, self.modules = _group_models(api)

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
        files.add(f"{pkg}/models/__init__.py", render("python", "models_init.py.j2", **self._models_index()))
        resources = [self._resource_view(r) for r in self.api.resources]
        files.add(f"{pkg}/resources/__init__.py", '"""One module per resource of the API."""\n')
        for view in resources:
            files.add(f"{pkg}/resources/{view['module']}.py", render("python", "resource.py.j2", r=view))
        client = self._client_view(resources)
        files.add(f"{pkg}/_client.py", render("python", "client.py.j2", c=client))
        files.add(f"{pkg}/__init__.py", render("python", "init.py.j2", c=client))
        files.add("pyproject.toml", render("python", "pyproject.toml.j2", c=client))
        files.add("README.md", render("python", "README.md.j2", c=client, resources=resources))
        return files

    # ------------------------------------------------------------------ models

    def _module_view(self, module: str, keys: list[str]) -> _ModuleView:
        imports = Imports()
        types = TypeRenderer(self.api, self.module_of, imports, module)
        view = _ModuleView(module, [])
        in_module = set(keys)
        for key in keys:
            model = self.api.models[key]
            if model.kind is ModelKind.ENUM:
                view.enums.append(self._enum_view(model))
            elif model.kind is ModelKind.OBJECT:
                view.classes.append(self._class_view(model, types))
            else:
                assert model.target is not None
                recursive = _mentions(model.target, in_module)
                view.needs_type_alias_type |= recursive
                view.aliases.append(
                    {
                        "name": model.name.py,
                        "type": types.render(model.target),
                        "recursive": recursive,
                        "doc": docstring(model.description),
                    }
                )
        view.aliases = _order_aliases(view.aliases, self.api, keys)
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
        for prop in model.properties:
            annotation = types.render(prop.type)
            optional = not prop.required
            if optional and not annotation.endswith("| None") and annotation not in ("object", "None"):
                annotation += " | None"
            args = []
            if optional:
                args.append("default=None")
            if prop.name.py != prop.wire:
                args.append(f"alias={prop.wire!r}")
            fields.append(
                {
                    "name": prop.name.py,
                    "annotation": annotation,
                    "field": f" = pydantic.Field({', '.join(args)})"
                    if prop.name.py != prop.wire
                    else (" = None" if optional else ""),
                    "doc": docstring(prop.description),
                    "deprecated": prop.deprecated,
                }
            )
        extra = types.render(model.additional_properties) if model.additional_properties is not None else None
        read_only = sorted(p.name.py for p in model.properties if p.read_only)
        return {
            "name": model.name.py,
            "doc": docstring(model.description),
            "fields": fields,
            "extra": extra,
            "read_only": read_only,
        }

    def _models_index(self) -> dict[str, Any]:
        names = sorted((self.api.models[k].name.py, self.module_of[k]) for k in self.api.models)
        return {"entries": names}

    # ------------------------------------------------------------------ resources

    def _resource_view(self, resource: Resource) -> dict[str, Any]:
        imports = Imports()
        shadowed = frozenset(op.name.py for op in resource.operations)
        types = TypeRenderer(self.api, self.module_of, imports, None, file_fields=True, shadowed=shadowed)
        methods = [self._method_view(op, types) for op in resource.operations]
        return {
            "module": resource.name.py,
            "attr": resource.name.py,
            "class_name": resource.class_name.py + "Resource",
            "async_class_name": "Async" + resource.class_name.py + "Resource",
            "doc": docstring(resource.description),
            "methods": methods,
            "imports": imports.lines("..models."),
            "example": self._example(resource, methods),
        }

    def _method_view(self, op: Operation, types: TypeRenderer) -> dict[str, Any]:
        positional, keywords = [], []
        path_params: list[tuple[str, str]] = []
        query: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        cookies: list[tuple[str, str]] = []
        styles: list[tuple[str, str, bool]] = []
        for param in op.parameters:
            annotation = types.render(param.type)
            if param.location is ParameterLocation.PATH:
                positional.append({"name": param.name.py, "annotation": annotation})
                path_params.append((param.wire, param.name.py))
                continue
            keywords.append(_keyword(param.name.py, annotation, param.required, docstring(param.description)))
            target = {
                ParameterLocation.QUERY: query,
                ParameterLocation.HEADER: headers,
                ParameterLocation.COOKIE: cookies,
            }
            target[param.location].append((param.wire, param.name.py))
            if param.location is ParameterLocation.QUERY and (param.style != "form" or not param.explode):
                styles.append((param.wire, param.style, param.explode))
        body_expr: dict[str, Any] = {"slot": None}
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
            if body.fields is not None:
                entries = []
                for f in body.fields:
                    annotation = types.render(f.property.type)
                    required = f.property.required and body.required
                    keywords.append(_keyword(f.name.py, annotation, required, docstring(f.property.description)))
                    entries.append((f.property.wire, f.name.py))
                body_expr = {"slot": slot, "entries": entries}
            else:
                if preferred.kind is BodyKind.BINARY:
                    annotation = "FileContent"
                elif preferred.kind is BodyKind.TEXT:
                    annotation = types.builtin("str")
                else:
                    annotation = types.render(preferred.type)
                keywords.append(_keyword("body", annotation, body.required, docstring(body.description)))
                body_expr = {"slot": slot, "value": "body"}
        returns, cast_to = self._returns(op, types)
        page = self._page(op, types)
        errors = []
        for response in op.errors:
            content = response.preferred
            if content is not None and content.kind is BodyKind.JSON:
                errors.append((response.status, types.render(content.type)))
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
            "body": body_expr,
            "content_type": content_type,
            "returns": returns,
            "cast_to": cast_to,
            "page": page,
            "errors": errors,
            "security": security,
            "idempotency": op.sends_idempotency_key,
            "deprecated": op.deprecated,
        }

    def _method_doc(self, op: Operation) -> str:
        parts = [docstring(op.summary), docstring(op.description)]
        text = "\n\n".join(p for p in parts if p)
        if op.deprecated:
            text = (text + "\n\n" if text else "") + "Deprecated."
        return text

    def _returns(self, op: Operation, types: TypeRenderer) -> tuple[str, str]:
        success = op.success
        content = success.preferred if success is not None else None
        if content is None:
            return "None", "None"
        if content.kind is BodyKind.BINARY:
            return types.builtin("bytes"), "bytes"
        if content.kind is BodyKind.TEXT:
            return types.builtin("str"), "str"
        annotation = types.render(content.type)
        cast_to = annotation
        if op.success_optional and not annotation.endswith("| None"):
            annotation += " | None"
        return annotation, cast_to

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
        for scheme in api.security_schemes:
            names = [c.py for c in scheme.credentials]
            for name in names:
                credentials.append({"name": name, "env": f"{env_prefix}_{name.upper()}", "scheme": scheme.key})
            if scheme.kind is SecurityKind.API_KEY:
                location = scheme.location.value if scheme.location else "header"
                auth.append(f"{scheme.key!r}: ApiKeyAuth({location!r}, {scheme.parameter_name!r}, {names[0]})")
            elif scheme.kind is SecurityKind.HTTP_BASIC:
                auth.append(f"{scheme.key!r}: BasicAuth({names[0]}, {names[1]})")
            elif names:
                auth.append(f"{scheme.key!r}: BearerAuth({names[0]})")
        security = (
            "(" + "".join("(" + "".join(f"{k!r}, " for k, _ in req.schemes) + "), " for req in api.security) + ")"
        )
        if not api.security:
            security = "(" + "".join(f"({s.key!r},), " for s in api.security_schemes if s.credentials) + ")"
        distribution = self.package.replace("_", "-")
        return {
            "package": self.package,
            "distribution": self.options.get("distribution", distribution),
            "version": self.options.get("version", api.version),
            "title": api.title,
            "doc": docstring(api.description),
            "title_doc": docstring(api.title),
            "base_url": server.default_url() if server else None,
            "env_prefix": env_prefix,
            "credentials": credentials,
            "auth": auth,
            "security": security,
            "resources": resources,
            "all_exports": sorted(
                [
                    *("Client", "AsyncClient", "SyncPage", "AsyncPage", "AsyncPaginator", "APIResponse", "NOT_GIVEN"),
                    *("NotGiven", "models", "__version__", *_ERROR_NAMES),
                ]
            ),
            "error_names": [
                "APIError",
                "APIConnectionError",
                "APITimeoutError",
                "APIStatusError",
                "BadRequestError",
                "AuthenticationError",
                "PermissionDeniedError",
                "NotFoundError",
                "ConflictError",
                "UnprocessableEntityError",
                "RateLimitError",
                "InternalServerError",
            ],
        }


_ERROR_NAMES = [
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
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


def _mentions(t: TypeRef, keys: set[str]) -> bool:
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


def _group_models(api: Api) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Strongly connected components of the model graph (iterative Tarjan), one module each."""
    edges: dict[str, list[str]] = {}
    for key, model in api.models.items():
        out: list[str] = []
        for prop in model.properties:
            references(prop.type, out.append)
        for t in (model.additional_properties, model.target):
            if t is not None:
                references(t, out.append)
        edges[key] = [k for k in dict.fromkeys(out) if k in api.models]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in api.models:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
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
    order = {key: n for n, key in enumerate(api.models)}
    names = naming.Namespace({"__init__"})
    module_of: dict[str, str] = {}
    modules: dict[str, list[str]] = {}
    for component in sorted(components, key=lambda c: min(order[k] for k in c)):
        members = sorted(component, key=lambda k: order[k])
        first = api.models[members[0]]
        module = names.claim(naming.py_identifier(first.name.py, fallback="model"))
        modules[module] = members
        for key in members:
            module_of[key] = module
    return module_of, modules


__all__ = ["emit_python"]
_unused = (ArrayType, Primitive)
