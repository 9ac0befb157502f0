"""A model can take no name the generated TypeScript binds beside it: the reserved names are complete.

Every TypeScript module of several SDKs (and of the wrapper) is read with tsc's own parser: what it
imports, declares at top level and refers to as a type. Models are declared in `models.ts` only and
every other module binds them as one namespace (`import type * as models`), so the runtime's names
(`Client`, `APIError`, `Page`, `RequestOptions`, `Uploadable`, resource classes, params types) never
meet a model's name; what `models.ts` itself refers to besides its own models (a global such as `Date`
or `Blob`, were the renderer ever to write one) must be a name `ts_type_name` never returns.
Then a spec whose component schemas are named after the runtime and the global types is generated,
compiled with `--strict` and called through a local HTTP server.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sdkgen.emit import get_emitter
from sdkgen.emit.wrapper import emit_wrapper, load_wrapper
from sdkgen.ir import naming
from sdkgen.pipeline import analyse
from sdkgen.write import FileSet, write_tree
from ts_support import COMPILER_OPTIONS, FIXTURES, NODE, ROOT, generate_sdk, requires_node, tsc, write_json

pytestmark = requires_node

SPECS = ROOT / "tests" / "fixtures" / "specs"
TARGETS = [
    ROOT / "specs" / "platform" / "openapi.yaml",
    FIXTURES / "runtime.yaml",
    FIXTURES / "hostile.yaml",
    *(SPECS / name for name in ("types.yaml", "operations.yaml", "circular.yaml", "naming.yaml", "openapi-31.yaml")),
    ROOT / "tests" / "python_sdk" / "fixtures" / "shop.yaml",
]
WRAPPER = ROOT / "specs" / "third_party" / "consultation.wrapper.yaml"

# Reads TypeScript files (paths on stdin, one per line) with the compiler's parser; prints per file the
# names its imports bind and its re-exports export (with the module and whether as a namespace), its
# top-level declarations and the leftmost names of its type references.
SCAN = r"""
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const ts = createRequire(process.argv[2])("typescript");
const result = {};
for (const path of readFileSync(0, "utf8").split("\n").filter(Boolean)) {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const imports = [];
  const reexports = [];
  const declared = [];
  const referenced = new Set();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const from = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause.name) imports.push({ name: clause.name.text, from, namespace: false });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) imports.push({ name: bindings.name.text, from, namespace: true });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) imports.push({ name: element.name.text, from, namespace: false });
      }
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      const from = statement.moduleSpecifier.text;
      const clause = statement.exportClause;
      if (!clause) reexports.push({ name: "*", from, namespace: false });
      else if (ts.isNamespaceExport(clause)) reexports.push({ name: clause.name.text, from, namespace: true });
      else for (const element of clause.elements) reexports.push({ name: element.name.text, from, namespace: false });
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) declared.push(d.name.text);
    } else if (statement.name && ts.isIdentifier(statement.name)) {
      declared.push(statement.name.text);
    }
  }
  const leftmost = (name) => (ts.isIdentifier(name) ? name.text : ts.isQualifiedName(name) ? leftmost(name.left)
    : ts.isPropertyAccessExpression(name) ? leftmost(name.expression) : null);
  const visit = (node) => {
    let name = null;
    if (ts.isTypeReferenceNode(node)) name = leftmost(node.typeName);
    else if (ts.isExpressionWithTypeArguments(node)) name = leftmost(node.expression);
    else if (ts.isTypeQueryNode(node)) name = leftmost(node.exprName);
    if (name) referenced.add(name);
    ts.forEachChild(node, visit);
  };
  visit(source);
  result[path] = { imports, reexports, declared, referenced: [...referenced].sort() };
}
console.log(JSON.stringify(result));
"""

# Type parameters of the runtime's generics (`Page<Item, Body>`): referenced, declared by no statement.
TYPE_PARAMETERS = frozenset({"T", "Item", "Body", "V"})


@dataclass
class Module:
    path: str
    models: set[str] = field(default_factory=set)  # model names bound by name (declared or imported)
    namespaces: set[str] = field(default_factory=set)  # names models.ts is bound to as a namespace
    others: set[str] = field(default_factory=set)  # every other name bound at top level
    free: set[str] = field(default_factory=set)  # type names referred to but bound nowhere in the file (globals)
    reexported: set[str] = field(default_factory=set)  # names re-exported from models.ts (`*` for all of them)


def _scan(root: Path) -> list[Module]:
    paths = sorted(str(p) for p in root.rglob("*.ts") if "node_modules" not in p.parts)
    assert NODE is not None
    script = root / "scan.mjs"
    script.write_text(SCAN)
    run = subprocess.run(
        [NODE, str(script), str(ROOT / "package.json")],
        input="\n".join(paths),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    modules = []
    for path, data in json.loads(run.stdout).items():
        module = Module(str(Path(path).relative_to(root)))
        is_models = path.endswith("/models.ts")
        for binding in data["imports"]:
            from_models = binding["from"].endswith("/models.js")
            if from_models and binding["namespace"]:
                module.namespaces.add(binding["name"])
            elif from_models:
                module.models.add(binding["name"])
            else:
                module.others.add(binding["name"])
        for binding in data["reexports"]:
            if binding["from"].endswith("/models.js"):
                (module.namespaces if binding["namespace"] else module.reexported).add(binding["name"])
        (module.models if is_models else module.others).update(data["declared"])
        bound = module.models | module.namespaces | module.others
        module.free = set(data["referenced"]) - bound - TYPE_PARAMETERS
        modules.append(module)
    return modules


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Module]:
    root = tmp_path_factory.mktemp("ts-names")
    for n, spec in enumerate(TARGETS):
        files = get_emitter("typescript")(analyse(spec).api, "names-probe", {})
        write_tree(_sources(files), root / f"sdk{n}")
    write_tree(_sources(emit_wrapper(load_wrapper(WRAPPER), "consultation", {}), "ts/"), root / "wrapper")
    return _scan(root)


def _sources(files: FileSet, prefix: str = "") -> FileSet:
    only = FileSet()
    for path, data in files.files.items():
        if path.startswith(prefix) and path.endswith(".ts"):
            only.add(path, data)
    return only


def test_only_models_ts_binds_models_by_name(generated: list[Module]) -> None:
    """Everywhere else the models are one namespace: no runtime name can meet a model's name there."""
    with_models = [m for m in generated if m.models]
    assert len(with_models) >= len(TARGETS) + 1  # each SDK's, the wrapper's (unified and vendors')
    for module in with_models:
        assert module.path.endswith("/models.ts"), module.path
        assert not module.namespaces and not module.others, module.path  # models.ts imports nothing
    for module in generated:  # index.ts: `export * as models`, never the models themselves beside the runtime
        assert not module.reexported, module.path
    users = [m for m in generated if m.namespaces]
    assert len(users) > 50
    for module in users:
        assert module.namespaces <= {"models", "vendor"}, module.path
        assert not module.namespaces & module.others, module.path


def test_what_models_ts_refers_to_is_a_name_models_cannot_take(generated: list[Module]) -> None:
    missing: dict[str, str] = {}
    for module in generated:
        if not module.models:
            continue
        for name in module.free | module.others:
            # `ts_type_name` writes PascalCase words: a name it can write is one it writes back unchanged
            if any(naming.ts_type_name(text) == name for text in (name, name.lower(), naming.snake(name))):
                missing.setdefault(name, module.path)
    assert not missing, "add to naming.TS_RESERVED_TYPES: " + repr(missing)


# ------------------------------------------------------------------ end to end

RUNTIME_NAMES = (
    *("Client", "ClientOptions", "BaseClient", "APIError", "APIStatusError", "NotFoundError", "APIPromise"),
    *("WithResponse", "Page", "PagePromise", "PageSpec", "RequestOptions", "Endpoint", "Fetch", "Uploadable"),
    *("ItemsResource", "ItemsSearchParams"),
)
GLOBAL_NAMES = (
    *("Request", "Response", "Record", "Promise", "Date", "Error", "Array", "Map", "Object", "Blob", "File"),
    *("URL", "Headers", "AbortSignal"),
)
NAMES = RUNTIME_NAMES + GLOBAL_NAMES


REQUEST = """\
    Request:
      type: object
      required: [query]
      properties:
        query: {type: string}
        date: {$ref: '#/components/schemas/Date'}
        options: {$ref: '#/components/schemas/RequestOptions'}"""
PAGE = """\
    Page:
      type: object
      required: [data]
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Endpoint'}}
        next_cursor: {type: string, nullable: true}
        client: {$ref: '#/components/schemas/Client'}"""
RESPONSE = """\
    Response:
      type: object
      properties:
        id: {type: string, readOnly: true}
        promise: {$ref: '#/components/schemas/Promise'}
        error: {$ref: '#/components/schemas/Error'}
        page: {$ref: '#/components/schemas/Page'}"""


def _spec() -> str:
    special = {"Request": REQUEST, "Page": PAGE, "Response": RESPONSE}
    plain = "    {}:\n      type: object\n      properties: {{label: {{type: string}}}}"
    schemas = "\n".join(special.get(name) or plain.format(name) for name in NAMES)
    refs = "\n".join(f"        {name.lower()}: {{$ref: '#/components/schemas/{name}'}}" for name in NAMES)
    return SPEC.replace("{refs}", refs).replace("{schemas}", schemas)


SPEC = """\
openapi: 3.0.3
info: {title: Shadows, version: "1"}
servers: [{url: "http://127.0.0.1:9/v1"}]
tags: [{name: Items}]
paths:
  /search:
    post:
      operationId: search
      tags: [Items]
      x-sdkgen-pagination: {style: cursor, items: data, cursor_param: cursor, next_cursor: next_cursor}
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Request"}}}
      responses:
        "200":
          description: a page
          content: {application/json: {schema: {$ref: "#/components/schemas/Page"}}}
  /items/{id}:
    put:
      operationId: put
      tags: [Items]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Everything"}}}
      responses:
        "200":
          description: stored
          content: {application/json: {schema: {$ref: "#/components/schemas/Response"}}}
components:
  schemas:
    Everything:
      type: object
      properties:
        id: {type: string, readOnly: true}
{refs}
{schemas}
"""

MAIN = """\
import { Client, Page, APIError, type RequestOptions, models } from "./sdk/src/index.js";
import { MockServer } from "./mock-server.js";

const server = new MockServer();
await server.start();
server.reset((request) => {
  if (request.method === "PUT") return { json: { id: "r1", promise: { label: "p" }, error: { label: "e" } } };
  return request.query.get("cursor") === "n"
    ? { json: { data: [{ label: "two" }], next_cursor: null } }
    : { json: { data: [{ label: "one" }], next_cursor: "n", client: { label: "c" } } };
});
const client = new Client({ baseUrl: server.baseUrl, maxRetries: 0 });
const options: RequestOptions = { timeoutMs: 5_000 };
const request: models.%(Request)s = { query: "q", date: { label: "d" }, options: { label: "o" } };
const first: Page<models.%(Endpoint)s, models.%(Page)s> =
  await client.items.search({ ...request, cursor: "c0" }, options);
const body: models.%(Page)s = first.body;
const items: models.%(Endpoint)s[] = [];
for await (const item of client.items.search(request)) items.push(item);
const everything: models.%(Everything)s = { array: { label: "a" }, blob: { label: "b" }, headers: { label: "h" } };
const stored: models.%(Response)s = await client.items.put("r1", everything);
const error: models.%(Error)s | undefined = stored.error;
console.log(JSON.stringify({
  items,
  body,
  stored,
  error,
  isError: new APIError("x") instanceof Error,
  sent: server.requests.map((r) => ({ method: r.method, url: r.url, body: r.body })),
}));
await server.stop();
"""


def _model(name: str) -> str:
    return naming.ts_type_name(name)


def test_models_named_like_runtime_and_global_names_compile_and_are_returned(tmp_path: Path) -> None:
    spec = tmp_path / "shadows.yaml"
    spec.write_text(_spec())
    out = generate_sdk(spec, tmp_path / "sdk", "shadows")
    models_ts = (out / "src" / "models.ts").read_text()
    for name in NAMES:
        assert f"export interface {_model(name)} {{" in models_ts, name
    # models keep runtime names (no module binds both), global types' names get `Model` all the same
    assert [_model(name) for name in ("Endpoint", "RequestOptions", "PagePromise", "Uploadable")] == [
        "Endpoint",
        "RequestOptions",
        "PagePromise",
        "Uploadable",
    ]
    globals_ = [_model(name) for name in ("Date", "Promise", "Blob", "URL")]
    assert globals_ == ["DateModel", "PromiseModel", "BlobModel", "Url"]
    assert "export interface EverythingInput {" in models_ts  # the request form, beside the models
    result = tsc("-p", "tsconfig.json", "--pretty", "false", cwd=out)  # the package's own strict settings
    assert result.returncode == 0, result.stdout + result.stderr

    for name in ("mock-server.ts", "node-shims.d.ts"):
        shutil.copy(Path(__file__).parent / name, tmp_path / name)
    names = {name: _model(name) for name in NAMES} | {"Everything": "EverythingInput"}
    (tmp_path / "main.ts").write_text(MAIN % names)
    write_json(tmp_path / "package.json", {"private": True, "type": "module"})
    write_json(
        tmp_path / "tsconfig.json",
        {
            "compilerOptions": {**COMPILER_OPTIONS, "outDir": "build", "rootDir": "."},
            "files": ["main.ts", "mock-server.ts", "node-shims.d.ts"],
        },
    )
    built = tsc("-p", "tsconfig.json", "--pretty", "false", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert NODE is not None
    run = subprocess.run([NODE, "build/main.js"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["items"] == [{"label": "one"}, {"label": "two"}]
    assert report["body"] == {"data": [{"label": "one"}], "next_cursor": "n", "client": {"label": "c"}}
    assert report["stored"] == {"id": "r1", "promise": {"label": "p"}, "error": {"label": "e"}}
    assert report["error"] == {"label": "e"} and report["isError"] is True
    sent = report["sent"]
    assert [(r["method"], r["url"]) for r in sent] == [
        ("POST", "/v1/search?cursor=c0"),
        ("POST", "/v1/search"),
        ("POST", "/v1/search?cursor=n"),
        ("PUT", "/v1/items/r1"),
    ]
    assert json.loads(sent[1]["body"]) == {"query": "q", "date": {"label": "d"}, "options": {"label": "o"}}
    assert json.loads(sent[3]["body"]) == {"array": {"label": "a"}, "blob": {"label": "b"}, "headers": {"label": "h"}}
