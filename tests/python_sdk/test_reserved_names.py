"""A model can take no name the generated Python binds beside it: the reserved names are complete.

Every Python target is generated and each module that binds models (defines them, or imports them)
is read with `ast`: every other name it binds by an import, at module level or under `if TYPE_CHECKING:`,
is one a model named like it would shadow or be shadowed by, so `py_class_name` must never return it.
Then a spec whose component schemas are named after those imports is generated, checked and called.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import respx
from sdkgen.emit import get_emitter, runtime_files
from sdkgen.emit.wrapper import emit_wrapper, load_wrapper
from sdkgen.ir import naming
from sdkgen.ir.model import Api
from sdkgen.pipeline import analyse, generate
from sdkgen.write import FileSet, write_tree

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "tests" / "fixtures" / "specs"
PLATFORM = REPO / "specs" / "platform" / "openapi.yaml"
# the platform plus the fixtures with the most features: multipart and binary bodies, every pagination
# style, recursive aliases, open and closed enums, discriminators, read-only fields, security schemes
TARGETS = [
    ("python", PLATFORM, "platform_sdk"),
    ("server", PLATFORM, "platform_server"),
    ("python", Path(__file__).parent / "fixtures" / "shop.yaml", "shop_sdk"),
    ("server", REPO / "tests" / "server" / "fixtures" / "shop.yaml", "shop_server"),
    ("server", REPO / "tests" / "server" / "fixtures" / "pets.yaml", "pets_server"),
    *(("python", SPECS / name, "fixture_sdk") for name in ("types.yaml", "operations.yaml", "circular.yaml")),
    *(("python", SPECS / name, "fixture_sdk") for name in ("naming.yaml", "openapi-31.yaml")),
    *(("server", SPECS / name, "fixture_server") for name in ("types.yaml", "operations.yaml", "circular.yaml")),
]
WRAPPER = REPO / "specs" / "third_party" / "consultation.wrapper.yaml"
WRAPPER_PACKAGE = "consultation"
RUNTIME = {data for target in ("python", "server", "wrapper/python") for data in runtime_files(target).values()}


@dataclass
class Module:
    path: str  # inside the generated tree
    tree: ast.Module
    models: set[str] = field(default_factory=set)  # model names the module binds (defines or imports)
    imported: set[str] = field(default_factory=set)  # every other name an import binds


@dataclass
class Target:
    label: str
    modules: list[Module]
    model_names: set[str]  # of every API the target's modules use
    resource_classes: set[str]  # what the emitters derive from resource names (see `py_resource_classes`)


def _read(label: str, files: FileSet, apis: list[Api]) -> Target:
    modules = []
    for path, data in files.files.items():
        raw = data if isinstance(data, bytes) else data.encode()
        if path.endswith(".py") and raw not in RUNTIME:  # the static runtime binds no models
            modules.append(_module(path, ast.parse(raw)))
    names = {model.name.py for api in apis for model in api.models.values()}
    derived = {name for api in apis for r in api.resources for name in naming.py_resource_classes(r.class_name.py)}
    return Target(label, modules, names, derived)


def _module(path: str, tree: ast.Module) -> Module:
    module = Module(path, tree)
    package = path.split("/")[:-1]
    if package[-1:] == ["models"]:  # a models module defines classes, enums and aliases (`X: TypeAlias = ...`)
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            names = (
                [node.name] if isinstance(node, ast.ClassDef) else [t.id for t in targets if isinstance(t, ast.Name)]
            )
            module.models.update(name for name in names if not name.startswith("_"))

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                source = [*base, *(node.module or "").split(".")]
                for alias in node.names:
                    bound = alias.asname or alias.name
                    (module.models if "models" in source else module.imported).add(bound)
            elif isinstance(node, ast.Import):
                module.imported.update(alias.asname or alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, (ast.If, ast.Try)):  # `if TYPE_CHECKING:`
                visit(node.body)
                visit(node.orelse)

    visit(tree.body)
    return module


@pytest.fixture(scope="module")
def targets() -> list[Target]:
    result = []
    for kind, spec, package in TARGETS:
        analysis = analyse(spec)
        files = get_emitter(kind)(analysis.api, package, {})
        result.append(_read(f"{kind} {spec.name}", files, [analysis.api]))
    wrapper = load_wrapper(WRAPPER)
    apis = [wrapper.unified, *(vendor.api for vendor in wrapper.vendors)]
    result.append(_read("wrapper", emit_wrapper(wrapper, WRAPPER_PACKAGE, {}), apis))
    return result


def _class_names_from(text: str) -> Iterator[str]:
    """Spellings of `text` in a spec (any case, any separator): what a schema named like it may be written as."""
    yield from {text, text.lower(), text.upper(), naming.snake(text), naming.upper_snake(text), naming.camel(text)}


def test_every_import_beside_models_is_a_name_models_cannot_take(targets: list[Target]) -> None:
    missing: dict[str, str] = {}  # name -> one module that imports it
    checked = 0
    for target in targets:
        for module in target.modules:
            if not module.models:  # `_client.py`, `__init__.py`: nothing a model's name could clash with
                continue
            checked += 1
            for name in module.imported:
                if name in target.resource_classes:  # resources are named off the models: see below
                    continue
                # `py_class_name` writes PascalCase words (`APIError` -> `ApiError`): a name it can write
                # is one it writes back unchanged, and that name must be reserved
                writable = naming.pascal(name) == name and name not in naming.PY_RESERVED_CLASS_NAMES
                if writable or any(naming.py_class_name(text) == name for text in _class_names_from(name)):
                    missing.setdefault(name, f"{target.label}: {module.path}")
    assert checked > 100
    assert not missing, "add to naming.PY_RESERVED_CLASS_NAMES: " + repr(missing)


def test_the_sdk_evaluates_endpoint_types_with_reserved_names_only() -> None:
    """`resolve_type` evaluates `"list[Item]"` with the models namespace over a few globals: models win."""
    tree = ast.parse(runtime_files("python")["_base_client.py"])
    table = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "_TYPE_GLOBALS"
    )
    assert isinstance(table, ast.Dict)
    names = {key.value for key in table.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)}
    assert "Literal" in names
    for name in names - {"None"}:
        assert naming.pascal(name) != name or name in naming.PY_RESERVED_CLASS_NAMES, name


def test_classes_named_after_resources_are_never_models_names(targets: list[Target]) -> None:
    """`XResource`, `AsyncXResource...`, `XServiceBase` sit beside models: the IR names resources around them."""
    for target in targets:
        assert not target.resource_classes & target.model_names, target.label
        for module in target.modules:
            if not module.models:
                continue
            defined = {node.name for node in module.tree.body if isinstance(node, ast.ClassDef)} - module.models
            for name in defined | module.imported:
                if name.endswith(("Resource", "RawResponse", "StreamingResponse", "ServiceBase")):
                    assert name in target.resource_classes, (target.label, module.path, name)


def _class_scope_names(cls: ast.ClassDef) -> set[str]:
    """Names a class body looks up in its own scope first: statements, decorators, signatures (not bodies)."""
    nodes: list[ast.AST] = []
    annotations: list[ast.expr] = []
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = stmt.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
            nodes += [*stmt.decorator_list, *arguments.defaults, *(d for d in arguments.kw_defaults if d)]
            annotations += [a.annotation for a in every if a is not None and a.annotation is not None]
            annotations += [stmt.returns] if stmt.returns else []
        elif isinstance(stmt, ast.AnnAssign):
            annotations.append(stmt.annotation)
            nodes += [stmt.value] if stmt.value else []
        elif not isinstance(stmt, ast.ClassDef):
            nodes.append(stmt)
    for annotation in annotations:  # a string annotation (a forward reference) is an expression too
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            nodes.append(ast.parse(annotation.value, mode="eval"))
    return {sub.id for node in [*nodes, *annotations] for sub in ast.walk(node) if isinstance(sub, ast.Name)}


def test_no_field_or_method_can_hide_what_the_class_body_uses(targets: list[Target]) -> None:
    """A class attribute (field, method) hides a module-level name from the class body after it: a model's
    `_read_only_ = frozenset(...)` after a field `frozenset`, a method `datetime` before `datetime.datetime`."""
    field_reserved = naming.PY_TYPE_NAMES | naming.PY_MODEL_ATTRIBUTES | naming.PY_KEYWORDS
    for target in targets:
        for module in target.modules:
            snake_globals = {n for n in module.imported | set(dir(builtins)) if naming.snake(n) == n}
            for cls in (node for node in module.tree.body if isinstance(node, ast.ClassDef)):
                used = _class_scope_names(cls) & snake_globals
                in_models = cls.name in module.models
                for name in used - {"self", "None"}:
                    if in_models:  # fields are named with PY_TYPE_NAMES and PY_MODEL_ATTRIBUTES reserved
                        assert name in field_reserved, (target.label, module.path, cls.name, name)
                    elif name in module.imported and not module.path.startswith(WRAPPER_PACKAGE + "/"):
                        # methods, a client's resources: PY_IMPORTED_NAMES (builtins: `builtins.list`); the
                        # adapters' methods are the wrapper file's operations, named by its author
                        assert name in naming.PY_IMPORTED_NAMES, (target.label, module.path, cls.name, name)


# ------------------------------------------------------------------ end to end

SPEC = """
openapi: 3.0.3
info: {title: Shadows, version: "1"}
servers: [{url: "https://api.shadows.test"}]
tags: [{name: Items}]
paths:
  /clock:
    get:
      operationId: datetime
      tags: [Items]
      responses:
        "200": {description: now, content: {application/json: {schema: {type: string, format: date-time}}}}
  /search:
    post:
      operationId: search
      tags: [Items]
      x-sdkgen-pagination: {style: cursor, items: data, cursor_param: cursor, next_cursor: next_cursor}
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
        - {name: since, in: query, schema: {type: string, format: date-time}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Request"}}}
      responses:
        "200":
          description: a page
          content: {application/json: {schema: {$ref: "#/components/schemas/Page"}}}
  /responses/{id}:
    put:
      operationId: putResponse
      tags: [Items]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Response"}}}
      responses:
        "200":
          description: stored
          content: {application/json: {schema: {$ref: "#/components/schemas/Response"}}}
components:
  schemas:
    Request:
      type: object
      required: [query]
      properties:
        query: {type: string}
        mapping: {$ref: "#/components/schemas/Mapping"}
    Mapping:
      type: object
      properties: {key: {type: string}, value: {type: string}}
    Page:
      type: object
      required: [data]
      properties:
        data: {type: array, items: {$ref: "#/components/schemas/Endpoint"}}
        next_cursor: {type: string, nullable: true}
    Endpoint:
      type: object
      required: [id]
      properties:
        id: {type: string}
        client: {$ref: "#/components/schemas/Client"}
        any: {$ref: "#/components/schemas/Any"}
    Client:
      type: object
      properties: {name: {type: string}}
    Any:
      type: object
      properties: {value: {type: string}}
    Response:
      type: object
      properties:
        id: {type: string, readOnly: true}
        frozenset: {type: string}
        endpoint: {$ref: "#/components/schemas/Endpoint"}
        not_given: {$ref: "#/components/schemas/NotGiven"}
        base: {$ref: "#/components/schemas/BaseModel"}
        field: {$ref: "#/components/schemas/Field"}
        page: {$ref: "#/components/schemas/Page"}
    NotGiven:
      type: string
      enum: [absent, present]
    BaseModel:
      type: object
      properties: {id: {type: integer}}
    Field:
      type: object
      properties: {name: {type: string}}
    ItemsResource:
      type: object
      properties: {name: {type: string}}
"""
SHADOWING = ("Request", "Endpoint", "Response", "Mapping", "Page", "NotGiven", "Client", "Any", "BaseModel", "Field")


@pytest.fixture(scope="module")
def shadows(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("shadows")
    spec = root / "shadows.yaml"
    spec.write_text(SPEC)
    for kind, package in (("python", "shadows_sdk"), ("server", "shadows_server")):
        files, diagnostics = generate(spec, kind, package)
        assert not [d for d in diagnostics if d.severity.value == "error"]
        write_tree(files, root / package)
        sys.path.insert(0, str(root / package))
    yield root
    for package in ("shadows_sdk", "shadows_server"):
        sys.path.remove(str(root / package))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def test_models_named_like_imports_pass_ruff_and_mypy(shadows: Path) -> None:
    sdk = shadows / "shadows_sdk"
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],  # with the generated pyproject's settings
        cwd=sdk,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(REPO / ".mypy_cache")),
            *(str(sdk / "shadows_sdk"), str(shadows / "shadows_server" / "shadows_server")),
        ],
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_models_named_like_imports_are_renamed_only_when_they_would_clash(shadows: Path) -> None:
    sdk = importlib.import_module("shadows_sdk")
    server = importlib.import_module("shadows_server")
    for package in (sdk, server):
        names = set(package.models.__all__)
        for name in SHADOWING:
            expected = name + "Model" if name in naming.PY_RESERVED_CLASS_NAMES else name
            assert expected in names, (package.__name__, name)
        assert "ItemsResource" in names  # the model keeps its name; the resource class gives way
    client = sdk.Client()
    assert type(client.items).__name__ != "ItemsResource"
    assert hasattr(client.items, "datetime_")  # a method may not hide the `datetime` module
    server.create_app()


def _class(name: str) -> str:
    return name + "Model" if name in naming.PY_RESERVED_CLASS_NAMES else name


def test_a_call_sends_and_returns_models_named_like_imports(shadows: Path) -> None:
    sdk = importlib.import_module("shadows_sdk")
    models = sdk.models
    endpoint = {"id": "e1", "client": {"name": "c"}, "any": {"value": "v"}}
    stored = {"id": "r1", "frozenset": "f", "not_given": "present", "base": {"id": 1}, "field": {"name": "x"}}
    with respx.mock(base_url="https://api.shadows.test") as mock:
        search = mock.post("/search").mock(
            side_effect=[
                httpx.Response(200, json={"data": [endpoint], "next_cursor": "n"}),
                httpx.Response(200, json={"data": [], "next_cursor": None}),
            ]
        )
        put = mock.put("/responses/r1").respond(json=stored)
        with sdk.Client() as client:
            mapping = getattr(models, _class("Mapping"))(key="k", value="v")
            items = list(client.items.search(query="q", mapping=mapping))
            base = getattr(models, _class("BaseModel"))(id=1)
            result = client.items.put_response("r1", frozenset_="f", base=base)
    assert json.loads(search.calls[0].request.content) == {"query": "q", "mapping": {"key": "k", "value": "v"}}
    assert search.calls[1].request.url.params["cursor"] == "n"
    assert [type(item).__name__ for item in items] == [_class("Endpoint")]
    assert type(items[0].client).__name__ == _class("Client") and type(items[0].any).__name__ == _class("Any")
    assert json.loads(put.calls.last.request.content) == {"frozenset": "f", "base": {"id": 1}}
    assert type(result).__name__ == _class("Response")
    assert result.id == "r1" and result.frozenset_ == "f" and result.base.id == 1
    assert result.not_given is getattr(models, _class("NotGiven")).PRESENT
    assert type(result.field).__name__ == _class("Field")
