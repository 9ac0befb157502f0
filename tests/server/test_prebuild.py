"""Where the operations reach, on average, many times more models than there are (a densely linked schema graph),
`create_app` builds every model they reach first, leaves first: routes then refer to built models instead of each
building, inlined, everything its types reach. Elsewhere the models stay built on first use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from equivalence import differences
from sdkgen.load import load_spec

CHAIN = 8  # Node1 -> Node2 -> ... -> Node8, every operation returns Node1: each reaches all 8 models


def chain_spec() -> str:
    paths = "".join(
        f"""
  /nodes{n}:
    get:
      operationId: getNodes{n}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Node1"}}"""
        for n in range(1, CHAIN + 1)
    )
    schemas = "".join(
        f"""
    Node{n}:
      type: object
      properties:
        name: {{type: string}}"""
        + (
            f"""
        next: {{$ref: "#/components/schemas/Node{n + 1}"}}"""
            if n < CHAIN
            else ""
        )
        for n in range(1, CHAIN + 1)
    )
    return f'openapi: 3.0.3\ninfo: {{title: Chain, version: "1"}}\npaths:{paths}\ncomponents:\n  schemas:{schemas}\n'


@pytest.fixture(scope="module")
def chain(server_from_text: Callable[[str, str], tuple[Path, ModuleType]]) -> tuple[Path, ModuleType]:
    return server_from_text(chain_spec(), "chain_server")


def test_a_densely_linked_spec_builds_its_models_leaves_first(chain: tuple[Path, ModuleType]) -> None:
    spec, module = chain
    import chain_server._build as build
    from chain_server import models

    leaves_first = tuple(f"Node{n}" for n in range(CHAIN, 0, -1))
    assert leaves_first == build.ORDER
    assert not any(getattr(models, name).__pydantic_complete__ for name in build.ORDER)
    app = module.create_app()
    assert all(getattr(models, name).__pydantic_complete__ for name in build.ORDER)
    assert [str(d) for d in differences(load_spec(spec).data, app.openapi())] == []


def test_a_sparse_spec_leaves_its_models_to_first_use(pets: ModuleType) -> None:
    assert not (Path(pets.__file__).parent / "_build.py").exists()
