"""Generated Python as written: imports sorted and used, `__all__` sorted, models grouped per root without cycles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sdkgen.emit import EmitError
from sdkgen.emit.python.imports import ImportBlock, natural_key, sort_all, sort_members
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
RUFF = ["--isolated", "--no-cache", "--config", "line-length=120"]  # as sdkgen formats
SPECS = REPO / "tests" / "fixtures" / "specs"
TARGETS = [
    ("python", SPECS / "types.yaml", "types_sdk"),
    ("python", SPECS / "naming.yaml", "naming_sdk"),
    ("python", SPECS / "operations.yaml", "operations_sdk"),
    ("python", SPECS / "circular.yaml", "circular_sdk"),
    ("python", SPECS / "openapi-31.yaml", "openapi31_sdk"),
    ("python", SPECS / "multi" / "openapi.yaml", "multi_sdk"),
    ("python", Path(__file__).parent / "fixtures" / "shop.yaml", "shop_sdk"),
    ("python", REPO / "specs" / "platform" / "openapi.yaml", "platform_sdk"),
    ("server", REPO / "specs" / "platform" / "openapi.yaml", "platform_server"),
    ("server", REPO / "tests" / "server" / "fixtures" / "shop.yaml", "shop_server"),
    ("mocks", REPO / "specs" / "third_party" / "vidiconnect.yaml", "vidiconnect_mock"),
    ("wrapper", REPO / "specs" / "third_party" / "consultation.wrapper.yaml", "consultation"),
]

BARE_SPEC = """
openapi: 3.0.3
info: {title: Bare, version: "1"}
paths:
  /ping:
    get:
      operationId: ping
      responses:
        "204": {description: pong}
"""

EMPTY_SPEC = """
openapi: 3.0.3
info: {title: Empty, version: "1"}
paths: {}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
"""
KINDS = ("python", "server", "mocks")


def test_generated_python_needs_no_import_fixes(tmp_path: Path) -> None:
    """Only `ruff format` runs over generated Python: the isort, unused-import and `__all__` rules already pass."""
    bare = tmp_path / "bare.yaml"  # no models, no parameters: the empty cases of every template
    bare.write_text(BARE_SPEC)
    empty = tmp_path / "empty.yaml"  # no operations at all
    empty.write_text(EMPTY_SPEC)
    targets = [*TARGETS, *((kind, spec, f"{spec.stem}_{kind}") for spec in (bare, empty) for kind in KINDS)]
    for kind, spec, package in targets:
        files, _ = generate(spec, kind, package)
        write_tree(files, tmp_path / package)
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *RUFF, "--select", "I,F401,RUF022", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_import_and_all_order_is_ruffs(tmp_path: Path) -> None:
    """What `ImportBlock` and `sort_all` print is what ruff's isort and RUF022 accept, tricky names included."""
    names = ["Model10", "Model2", "NOT_GIVEN", "helper", "Item", "URL", "V9", "V10", "a09", "a9", "A0", "_x", "X"]
    block = ImportBlock()
    block.add("__future__", "annotations")
    for n, module in enumerate([".x10", ".x2", ".X3", "..runtime", ".", "._y", ".a09", ".a9"]):
        block.add(module, *names[n:])
    block.add(".", "models", alias="models")
    block.add("._client", "Client", alias="Client")
    block.add("pydantic")
    block.add("typing_extensions", "TypeAliasType")
    block.add("typing", "TypeAlias", "TYPE_CHECKING", "Any")
    block.add("enum")
    block.add("collections.abc", "Mapping")
    block.add("email.utils")
    body = ["    pass", *(f"    print({name})" for name in [*names, "models", "Client", "TypeAliasType"])]
    exports = ", ".join(f'"{name}"' for name in sort_all([*names, "__version__", "models", "Client"]))
    source = "\n".join([*block.lines(), "", f"__all__ = [{exports}]", "", "", "def use() -> None:", *body, ""])
    (tmp_path / "module.py").write_text(source)
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *RUFF, "--select", "I,RUF022", "module.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, source + ruff.stdout + ruff.stderr
    assert sorted(["a10", "a9", "a09", "a0", "b"], key=natural_key) == ["a0", "a09", "a9", "a10", "b"]
    assert sort_members(["b", "B", "B2", "B10"]) == ["B2", "B10", "B", "b"]  # "B2" is a constant


GROUPING_SPEC = """
openapi: 3.0.3
info: {title: Grouping, version: "1"}
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  order: {$ref: "#/components/schemas/Order"}
                  meta: {type: object, properties: {took: {type: integer}}}
                  receipt: {$ref: "#/components/schemas/Receipt"}
    patch:
      operationId: updateOrder
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {note: {type: string}}}
      responses:
        "204": {description: done}
  /customers/{id}:
    get:
      operationId: getCustomer
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Customer"}
components:
  schemas:
    Receipt:
      type: object
      properties:
        total: {$ref: "#/components/schemas/Amount"}
    Amount:
      type: object
      properties:
        cents: {type: integer}
    Order:
      type: object
      properties:
        status: {type: string, enum: [open, closed]}
        lines: {type: array, items: {type: object, properties: {sku: {type: string}}}}
        customer: {$ref: "#/components/schemas/Customer"}
    Customer:
      type: object
      properties:
        last_order: {$ref: "#/components/schemas/Order"}
        tags: {$ref: "#/components/schemas/Tags"}
    Tags:
      type: array
      items: {$ref: "#/components/schemas/Tag"}
    Tag:
      type: object
      properties:
        children: {$ref: "#/components/schemas/Tags"}
    Importlib:
      type: object
      properties:
        name: {type: string}
"""


def _generate_and_import(tmp_path: Path, spec_text: str, package: str) -> Any:
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text)
    files, _ = generate(spec, "python", package)
    write_tree(files, tmp_path / "out")
    return files


def test_models_are_grouped_by_owner_and_cycles_share_a_module(tmp_path: Path) -> None:
    files = _generate_and_import(tmp_path, GROUPING_SPEC, "grouping_sdk")
    modules = sorted(p.rsplit("/", 1)[1] for p in files.files if p.startswith("grouping_sdk/models/"))
    # Order and Customer refer to each other (one unit, with Order's inline models), used by both resources:
    # a module of their own; so is Tags + Tag (a cycle through an alias) that it uses. The path item's inline
    # models, Receipt and Amount are reached only through the orders resource: its module. Importlib is used by
    # nothing: a module of its own (`importlib` itself is taken by models/__init__.py).
    assert modules == ["__init__.py", "importlib_2.py", "order.py", "orders.py", "tag.py"]
    code = """
import sys
import grouping_sdk
from grouping_sdk.models import Customer, GetOrderResponse, Importlib, Tag, Tags
from grouping_sdk import models
assert Customer.__module__ == models.Order.__module__ == models.OrderLinesItem.__module__ == "grouping_sdk.models.order"
assert GetOrderResponse.__module__ == models.GetOrderResponseMeta.__module__ == "grouping_sdk.models.orders"
for owned in (models.UpdateOrderRequest, models.Receipt, models.Amount):
    assert owned.__module__ == GetOrderResponse.__module__
assert Tag.__module__ == "grouping_sdk.models.tag"
tag = Tag.model_validate({"children": [{"children": []}]})
assert tag.children[0].children == []
order = models.Order.model_validate({"status": "open", "customer": {"last_order": {"lines": [{"sku": "x"}]}}})
assert order.customer.last_order.lines[0].sku == "x"
assert Importlib(name="x").name == "x" and models.Importlib is Importlib
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "out", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_models_by_root_give_each_unit_a_module_of_its_own(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(GROUPING_SPEC)
    files, _ = generate(spec, "python", "grouping_sdk", {"models": "by-root"})
    modules = sorted(p.rsplit("/", 1)[1] for p in files.files if p.startswith("grouping_sdk/models/"))
    # one module per root (a cycle of roots is one): first use of Receipt no longer imports the path item's models
    assert modules == [
        "__init__.py",
        "amount.py",
        "get_order_response.py",
        "importlib_2.py",
        "order.py",
        "receipt.py",
        "tag.py",
    ]
    with pytest.raises(EmitError, match="option models = 'flat'"):
        generate(spec, "python", "grouping_sdk", {"models": "flat"})


@pytest.mark.parametrize("setting", ['quote-style = "single"', "indent-width = 2"])
def test_formatting_ignores_the_ruff_settings_of_the_project_it_is_written_into(tmp_path: Path, setting: str) -> None:
    plain, _ = generate(SPECS / "petstore-30.yaml", "python", "pets")
    expected = plain.files  # formatted in a scratch directory
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(f"[tool.ruff]\nline-length = 60\n\n[tool.ruff.format]\n{setting}\n")
    files, _ = generate(SPECS / "petstore-30.yaml", "python", "pets")
    write_tree(files, project / "generated")  # formatted in the staging tree inside the project
    assert files.files == expected
    written = {p: (project / "generated" / p).read_bytes() for p in expected}
    assert written == expected
