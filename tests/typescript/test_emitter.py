"""The TypeScript emitter without Node.js: names, versions, escaping, package files, determinism."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from sdkgen.emit import EmitError
from sdkgen.emit.typescript import semver
from sdkgen.emit.typescript.types import doc_lines, property_key, ts_string
from sdkgen.pipeline import generate
from ts_support import FIXTURES, ROOT

PLATFORM = ROOT / "specs" / "platform" / "openapi.yaml"


@cache
def _files(spec: Path, package: str = "@platform/sdk") -> dict[str, str]:
    files, _ = generate(spec, "typescript", package)
    return {path: data.decode() for path, data in files.files.items()}


@pytest.mark.parametrize("name", ["Platform", "../escape", "@scope", "a b", "@Scope/x", ""])
def test_invalid_npm_package_name_is_rejected(name: str) -> None:
    with pytest.raises(EmitError, match="npm package name"):
        generate(PLATFORM, "typescript", name)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.0.0", "1.0.0"),
        ("1.2", "1.2.0"),
        ("v2", "2.0.0"),
        ("1.0-beta", "1.0.0-beta"),
        ("2021-06-01", "2021.6.1"),
        ("latest", "0.0.0"),
        ("1.0.0-rc.1+build.5", "1.0.0-rc.1+build.5"),
        ("01.02", "1.2.0"),
    ],
)
def test_info_version_becomes_semver(version: str, expected: str) -> None:
    assert semver(version) == expected


def test_spec_text_cannot_close_a_comment_or_a_string() -> None:
    assert doc_lines("ends */ here\r\nnext\u2028line") == ["ends *\\/ here", "next", "line"]
    assert ts_string('a"b\\c\n') == '"a\\"b\\\\c\\n"'
    assert ts_string("\ud800") == '"\\ud800"'  # a lone surrogate stays an escape, never invalid UTF-8
    assert property_key("snake_case") == "snake_case"
    assert property_key("with-dash") == '"with-dash"'


def test_generation_is_deterministic() -> None:
    files, _ = generate(PLATFORM, "typescript", "@platform/sdk")
    assert {path: data.decode() for path, data in files.files.items()} == _files(PLATFORM)


def test_package_json_has_no_runtime_dependencies_and_pins_typescript() -> None:
    package = json.loads(_files(PLATFORM)["package.json"])
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["typescript"]
    assert package["name"] == "@platform/sdk"
    assert package["version"] == "1.0.0"
    assert package["type"] == "module"
    assert "dependencies" not in package
    assert package["devDependencies"] == {"typescript": pinned}
    assert package["exports"]["."]["types"] == "./dist/index.d.ts"
    assert package["scripts"]["build"].startswith("tsc")


def test_tsconfig_is_strict_and_emits_declarations() -> None:
    options = json.loads(_files(PLATFORM)["tsconfig.json"])["compilerOptions"]
    assert options["strict"] is True
    assert options["declaration"] is True
    assert options["outDir"] == "dist"


def test_layout_mirrors_the_python_sdk() -> None:
    files = _files(PLATFORM)
    for path in ("src/index.ts", "src/client.ts", "src/models.ts", "src/errors.ts", "src/pagination.ts", "README.md"):
        assert path in files
    assert "src/resources/experts.ts" in files
    assert 'import type * as models from "../models.js";' in files["src/resources/experts.ts"]


def test_resources_take_path_params_then_params_then_options() -> None:
    experts = _files(PLATFORM)["src/resources/experts.ts"]
    assert "  get(expertId: models.ExpertId, options?: RequestOptions): APIPromise<models.Expert> {" in experts
    assert (
        "  list(params?: ExpertsListParams, options?: RequestOptions): PagePromise<models.Expert, models.ExpertPage> {"
        in experts
    )


def test_read_only_fields_are_left_out_of_request_forms() -> None:
    models = _files(FIXTURES / "runtime.yaml", "fixture")["src/models.ts"]
    item = models.split("export interface Item {", 1)[1].split("}", 1)[0]
    item_input = models.split("export interface ItemInput {", 1)[1].split("}", 1)[0]
    assert "readonly id: string;" in item
    assert "id" not in item_input.replace("// ", "")
    assert "secret?: string;" in item  # write-only: optional in responses


def test_enums_are_open_unless_closed_by_the_spec() -> None:
    models = _files(FIXTURES / "runtime.yaml", "fixture")["src/models.ts"]
    assert 'export type Color = "red" | "green" | (string & {});' in models
    assert 'export type Size = "small" | "large";' in models


def test_an_alias_that_contains_itself_is_cut() -> None:
    files = _files(FIXTURES / "hostile.yaml", "hostile")
    assert "export type Tree = string | Tree[];" in files["src/models.ts"]  # `| Tree` adds nothing: left out
    assert "readonly constructor_: " in files["src/client.ts"]
    assert "readonly toString_: " in files["src/client.ts"]


def test_resource_files_avoid_windows_device_names(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    paths = {
        f"/{tag}": {"get": {"tags": [tag], "operationId": f"get{n}", "responses": {"204": {"description": "x"}}}}
        for n, tag in enumerate(["con", "aux", "NUL", "com1", "lpt9", "Index"])
    }
    spec.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}))
    names = {Path(p).stem.lower() for p in _files(spec, "devices") if p.startswith("src/resources/")}
    assert names == {"con2", "aux2", "nul2", "com12", "lpt92", "index"}
