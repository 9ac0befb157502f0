"""Spec text in every generated Python artefact stays text: a spec that tries to run code when the SDK, the server
or the mock is imported and used runs nothing (tests/fixtures/specs/hostile.yaml sets `builtins.PWNED` if it can),
and a spec asking for absurd sizes cannot blow up the mock generator."""

from __future__ import annotations

import builtins
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "specs" / "hostile.yaml"
TREE = [
    "a\" + str(__import__('builtins').__setattr__('PWNED', 'const')) + \"",
    ["b' + str(__import__('builtins').__setattr__('PWNED', 'const2')) + '"],
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("hostile")
    for kind, package in (("python", "hostile_sdk"), ("server", "hostile_server"), ("mocks", "hostile_mock")):
        files, _ = generate(SPEC, kind, package)
        write_tree(files, out / kind)
        sys.path.insert(0, str(out / kind))
    yield out
    for kind in ("python", "server", "mocks"):
        sys.path.remove(str(out / kind))


def test_the_sdk_imported_and_used_runs_no_spec_text(root: Path) -> None:
    sdk = importlib.import_module("hostile_sdk")
    tree = TypeAdapter(sdk.models.Tree).validate_python(TREE)
    assert tree == TREE
    for module in ("forms", "trees", "sizes"):  # every Endpoint constant: statuses, media types, styles, wire names
        importlib.import_module(f"hostile_sdk.resources.{module}")
    webhooks = importlib.import_module("hostile_sdk.webhooks")
    (name,) = webhooks.WEBHOOKS
    assert name.startswith('w"""') and webhooks.parse(name, json.dumps(TREE)) == TREE
    assert not hasattr(builtins, "PWNED")


def test_the_server_built_and_documented_runs_no_spec_text(root: Path) -> None:
    server = importlib.import_module("hostile_server")
    client = TestClient(server.create_app())
    document = client.get("/openapi.json").json()
    assert document["info"]["title"].startswith("Hostile\n")
    assert client.get("/trees").status_code == 501
    assert not hasattr(builtins, "PWNED")


def test_the_mock_answers_within_its_size_caps_and_runs_no_spec_text(root: Path) -> None:
    import httpx

    mock = importlib.import_module("hostile_mock")
    (name,) = (n for n in mock.__all__ if n != "OPERATIONS")
    with getattr(mock, name)(base_url="http://api.test"):
        body = httpx.get("http://api.test/sizes").json()
    assert 0 < len(body["many"]) <= 100 and 0 < len(body["long"]) <= 10_000
    assert len(body["pattern"]) <= 10_000
    assert not hasattr(builtins, "PWNED")
    ts = (root / "mocks" / "ts" / "mock.ts").read_text()
    assert all(line.startswith("//") for line in ts.splitlines() if "pwned" in line)
