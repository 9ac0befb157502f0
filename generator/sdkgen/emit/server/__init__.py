"""The server stub emitter: the IR → a FastAPI application package.

Per resource, a service base class (one `async` method per operation, typed arguments and
return) and a routes module (one FastAPI endpoint per operation, reading each argument from
where the spec puts it and calling the service). `create_app(<resource>=..., authenticate=...)`
wires them; operations whose service is missing answer 501 problem details. Static runtime
(`templates/server/runtime/`, shipped as `<package>/_runtime/`) holds what every API shares.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from sdkgen.emit import EmitError, render, runtime_files
from sdkgen.emit.python import docstring, group_models, operation_models, package_version
from sdkgen.emit.python.imports import ImportBlock, sort_all
from sdkgen.emit.python.types import Imports
from sdkgen.emit.server.models import ModelModules
from sdkgen.emit.server.operations import OperationViews
from sdkgen.gctools import gc_frozen
from sdkgen.ir import naming
from sdkgen.ir.model import Api, ModelKind, Resource, SecurityKind, SecurityScheme
from sdkgen.write import FileSet

_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")

# Models are built on first use (defer_build). A route's types are then built with everything they reach inlined,
# once per route: the work grows with the sum, over the operations, of the models each reaches. Built first, leaves
# first, every model is built once and routes refer to it. Building a model costs about six times what inlining it
# once does (GitHub, stripe: pydantic's per-model overhead), so the models are built first where operations reach
# on average more than six times as many models as there are (stripe 88 times: create_app + openapi() 98 s, 2.8 GB →
# 22 s, 0.7 GB; GitHub 4.9 times: left lazy).
_PREBUILD_FACTOR = 6


def emit_server(api: Api, package: str, options: dict[str, Any]) -> FileSet:
    if not _PACKAGE.match(package) or keyword.iskeyword(package):
        raise EmitError(f"package name {package!r} is not a valid lower-case Python module name")
    with gc_frozen():
        return _ServerEmitter(api, package, options).emit()


class _ServerEmitter:
    def __init__(self, api: Api, package: str, options: dict[str, Any]):
        self.api = api
        self.package = package
        self.options = options
        self.grouping = group_models(api)
        self.module_of = self.grouping.module_of
        self.modules = self.grouping.modules
        self.selectors = OperationViews(api, self.module_of, Imports(), constrained=True).route_selectors()

    def emit(self) -> FileSet:
        files = FileSet()
        pkg = self.package
        for path, data in runtime_files("server").items():
            files.add(f"{pkg}/_runtime/{path}", data)
        files.add(f"{pkg}/py.typed", "")
        models = ModelModules(self.api, self.grouping)
        for module, keys in self.modules.items():
            files.add(f"{pkg}/models/{module}.py", render("server", "models_module.py.j2", m=models.view(module, keys)))
        files.add(
            f"{pkg}/models/__init__.py",
            render("python", "models_init.py.j2", **self.grouping.index_view(self.api)),  # the SDK's index
        )
        resources = [self._resource(r) for r in self.api.resources]
        services = _lines(ImportBlock(), *((f".{r['module']}", r["base"]) for r in resources))
        bases = sort_all(r["base"] for r in resources)
        files.add(f"{pkg}/services/__init__.py", render("server", "services_init.py.j2", imports=services, bases=bases))
        files.add(f"{pkg}/routes/__init__.py", '"""One module of FastAPI routes per resource of the API."""\n')
        for view in resources:
            files.add(f"{pkg}/services/{view['module']}.py", render("server", "service.py.j2", r=view))
            files.add(f"{pkg}/routes/{view['module']}.py", render("server", "routes.py.j2", r=view))
        webhooks = self._webhooks()
        if webhooks is not None:
            files.add(f"{pkg}/_webhooks.py", render("server", "webhooks.py.j2", w=webhooks))
        order = self._build_order()
        if order:
            files.add(f"{pkg}/_build.py", render("server", "build.py.j2", names=order))
        app = self._app(resources, webhooks is not None, bool(order))
        files.add(f"{pkg}/_app.py", render("server", "app.py.j2", a=app))
        files.add(f"{pkg}/__init__.py", render("server", "init.py.j2", a=app))
        files.add("pyproject.toml", render("server", "pyproject.toml.j2", a=app))
        files.add("README.md", render("server", "README.md.j2", a=app))
        return files

    # ------------------------------------------------------------------ resources

    def _resource(self, resource: Resource) -> dict[str, Any]:
        service_imports = Imports()
        shadowed = frozenset(op.name.py for op in resource.operations)
        service_ops = OperationViews(self.api, self.module_of, service_imports, constrained=False, shadowed=shadowed)
        route_imports = Imports()
        route_ops = OperationViews(self.api, self.module_of, route_imports, constrained=True, selectors=self.selectors)
        base = resource.class_name.py + "ServiceBase"
        methods = []
        for op in resource.operations:
            method = service_ops.method(op)
            arguments = route_ops.arguments(op)
            method["arguments_in_route"] = arguments
            method["constant"] = "_" + op.name.py.upper()
            method["endpoint"] = "op_" + op.name.py
            # converters are built once, beside the endpoint, and applied to the values it reads
            converters = {a.name: f"_{method['endpoint']}_{a.name}" for a in arguments if a.converter}
            method["converters"] = [(converters[a.name], a.converter) for a in arguments if a.converter]
            method["passed"] = [
                (a.name, f"{converters[a.name]}({a.name})" if a.name in converters else a.name) for a in arguments
            ]
            method["route"] = route_ops.route(op, self.api.security)
            method["implemented"] = f"_runtime.implements(service, {base}, {op.name.py!r})"
            methods.append(method)
        service_imports.add("__future__", "annotations")
        route_imports.add("..", "_runtime")
        route_imports.add(f"..services.{resource.module.py}", base)
        if methods:
            service_imports.add("..", "_runtime")
            service_imports.add("fastapi")
            route_imports.typing.update({"Annotated", "Any"})
            route_imports.add("fastapi")
        return {
            "module": resource.module.py,
            "keyword": resource.name.py,
            "base": base,
            "doc": docstring(resource.description),
            "title": resource.class_name.py,
            "methods": methods,
            "service_imports": service_imports.lines("..models."),
            "route_imports": route_imports.lines("..models."),
        }

    def _build_order(self) -> list[str]:
        """The object models to build before the routes, each after those it refers to; empty where building on
        first use costs less (see `_PREBUILD_FACTOR`)."""
        edges = self.grouping.edges
        reached: set[str] = set()
        total = 0
        for op in self.api.operations:
            starts: list[str] = []
            operation_models(op, starts.append)
            seen: set[str] = set()
            while starts:
                key = starts.pop()
                if key not in seen and key in edges:
                    seen.add(key)
                    starts.extend(edges[key])
            total += len(seen)
            reached |= seen
        if total <= _PREBUILD_FACTOR * len(reached):
            return []
        models = self.api.models
        return [
            models[key].name.py
            for key in self.grouping.dependency_order
            if key in reached and models[key].kind is ModelKind.OBJECT
        ]

    def _webhooks(self) -> dict[str, Any] | None:
        """The webhooks module's view: each webhook as a documented route (its body, parameters, responses)."""
        if not self.api.webhooks:
            return None
        imports = Imports()
        views = OperationViews(self.api, self.module_of, imports, constrained=True)
        methods = []
        for op in self.api.webhooks:
            methods.append(
                {
                    "constant": "_" + op.name.py.upper(),
                    "endpoint": "webhook_" + op.name.py,
                    "arguments": views.arguments(op),
                    "route": views.route(op, self.api.security),
                    "implemented": "False",  # documented by app.webhooks, never served
                }
            )
        imports.add(".", "_runtime")  # no `from __future__ import annotations`: FastAPI reads the annotations
        imports.add("fastapi")
        imports.typing.update({"Annotated", "Any"})
        return {"methods": methods, "imports": imports.lines(".models.")}

    # ------------------------------------------------------------------ app

    def _app(self, resources: list[dict[str, Any]], webhooks: bool, prebuild: bool) -> dict[str, Any]:
        api = self.api
        keywords = naming.Namespace(r["keyword"] for r in resources)
        tags: list[dict[str, str]] = []
        for resource in api.resources:
            tag = next((op.tags[0] for op in resource.operations if op.tags), None)
            if tag is not None and tag not in [t["name"] for t in tags]:
                tags.append({"name": tag, **({"description": resource.description} if resource.description else {})})
        distribution = self.package.replace("_", "-")
        imports = ImportBlock()
        imports.add("__future__", "annotations")
        imports.add(".", "_runtime")
        if webhooks:
            imports.add(".", "_webhooks")
        if prebuild:
            imports.add(".", "_build")
        for r in resources:
            imports.add(".routes", r["module"], alias=f"_{r['module']}_routes")
            imports.add(f".services.{r['module']}", r["base"])
        bases = [r["base"] for r in resources]
        return {
            "package": self.package,
            "imports": imports.lines(),
            "init_imports": _lines(
                ImportBlock().add("._runtime", "AuthRequest", "Context", "Credentials", "ProblemError", "Result"),
                ("._app", "create_app"),
                *((".services", base) for base in bases),
            ),
            "exports": sort_all(
                ["AuthRequest", "Context", "Credentials", "ProblemError", "Result", "__version__", "create_app", *bases]
            ),
            "distribution": self.options.get("distribution", distribution),
            "version": package_version(self.options, api.version),
            "title": api.title or "API",
            "title_doc": docstring(api.title),
            "description": api.description,
            "servers": [
                {"url": s.url, **({"description": s.description} if s.description else {})} for s in api.servers
            ],
            "tags": tags,
            "resources": resources,
            "webhooks": webhooks,
            "prebuild": prebuild,
            "authenticate": keywords.claim("authenticate"),
            "schemes": [self._scheme(s) for s in api.security_schemes],
            "scheme_documents": {s.key: _scheme_document(s) for s in api.security_schemes},
            "security": [{key: list(scopes) for key, scopes in r.schemes} for r in api.security],
        }

    def _scheme(self, scheme: SecurityScheme) -> dict[str, Any]:
        arguments = [repr(scheme.key), repr(scheme.kind.value)]
        if scheme.kind is SecurityKind.API_KEY:
            location = scheme.location.value if scheme.location is not None else "header"
            arguments += [repr(location), repr(scheme.parameter_name)]
        elif scheme.kind is SecurityKind.HTTP:
            arguments.append(f"http_scheme={scheme.http_scheme!r}")
        return {"key": scheme.key, "arguments": ", ".join(arguments)}


def _lines(block: ImportBlock, *imports: tuple[str, str]) -> list[str]:
    for module, name in imports:
        block.add(module, name)
    return block.lines()


def _scheme_document(scheme: SecurityScheme) -> dict[str, Any]:
    """The security scheme object of the app's OpenAPI document, as far as the IR describes it."""
    document: dict[str, Any]
    if scheme.kind is SecurityKind.API_KEY:
        location = scheme.location.value if scheme.location is not None else "header"
        document = {"type": "apiKey", "in": location, "name": scheme.parameter_name}
    elif scheme.kind is SecurityKind.HTTP_BEARER:
        document = {"type": "http", "scheme": "bearer"}
    elif scheme.kind is SecurityKind.HTTP_BASIC:
        document = {"type": "http", "scheme": "basic"}
    elif scheme.kind is SecurityKind.HTTP:
        document = {"type": "http", "scheme": scheme.http_scheme}
    elif scheme.kind is SecurityKind.OAUTH2:
        document = {"type": "oauth2", "flows": {}}
    elif scheme.kind is SecurityKind.OPENID_CONNECT:
        document = {"type": "openIdConnect", "openIdConnectUrl": ""}
    elif scheme.kind is SecurityKind.MUTUAL_TLS:
        document = {"type": "mutualTLS"}
    else:
        document = {"type": "http", "scheme": "other"}
    if scheme.description:
        document["description"] = scheme.description
    return document


__all__ = ["emit_server"]
