"""Mocks generated from the third-party specs answer every operation with a response valid against the spec."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from openapi_schema_validator import OAS30Validator, OAS31Validator
from sdkgen.load import load_spec
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
THIRD_PARTY = sorted(p for p in (REPO / "specs" / "third_party").glob("*.yaml") if not p.name.endswith(".wrapper.yaml"))


def _strip_examples(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_examples(v) for k, v in node.items() if k not in ("example", "examples")}
    if isinstance(node, list):
        return [_strip_examples(v) for v in node]
    return node


def _mock_module(spec: Path, package: str, root: Path) -> Any:
    files, _ = generate(spec, "mocks", package)
    write_tree(files, root / package)
    sys.path.insert(0, str(root / package))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(root / package))


def _mock_class(module: Any) -> Any:
    return next(getattr(module, name) for name in module.__all__ if name != "OPERATIONS")


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    rooted = {**schema, "components": document.get("components", {})}
    cls = OAS31Validator if str(document.get("openapi", "")).startswith("3.1") else OAS30Validator
    return cls(rooted)


def _concrete_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", path)


def _check_every_operation(spec: Path, module: Any) -> list[str]:
    loaded = load_spec(spec)
    document = loaded.data
    mock_class = _mock_class(module)
    problems = []
    with mock_class() as mock:
        client = httpx.Client(base_url=mock.base_url)
        for op in module.OPERATIONS:
            response = client.request(op.method, mock.base_url + _concrete_path(op.path))
            declared = document["paths"][op.path][op.method.lower()]["responses"]
            entry = declared.get(str(response.status_code)) or declared.get(f"{str(response.status_code)[0]}XX")
            if entry is None:
                problems.append(f"{op.operation_id}: status {response.status_code} not declared")
                continue
            if "$ref" in entry:
                entry = loaded.data["components"]["responses"][entry["$ref"].rsplit("/", 1)[-1]]
            content = entry.get("content") or {}
            media = next((v for k, v in content.items() if "json" in k), None)
            if media is None or "schema" not in media:
                continue
            errors = sorted(_validator(document, media["schema"]).iter_errors(response.json()), key=str)
            if errors:
                problems.append(f"{op.operation_id}: {errors[0].message}")
        assert len(mock.calls(module.OPERATIONS[0].operation_id)) == 1
    return problems


@pytest.fixture(scope="module")
def mocks_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("mocks")


@pytest.mark.parametrize("spec", THIRD_PARTY, ids=[p.stem for p in THIRD_PARTY])
def test_mock_answers_every_operation_validly_with_spec_examples(spec: Path, mocks_root: Path) -> None:
    module = _mock_module(spec, f"mock_{spec.stem}", mocks_root)
    assert module.OPERATIONS
    assert _check_every_operation(spec, module) == []


@pytest.mark.parametrize("spec", THIRD_PARTY, ids=[p.stem for p in THIRD_PARTY])
def test_mock_synthesises_valid_responses_when_the_spec_has_no_examples(spec: Path, mocks_root: Path) -> None:
    bare = mocks_root / f"bare_{spec.name}"
    bare.write_text(yaml.safe_dump(_strip_examples(yaml.safe_load(spec.read_text("utf-8"))), allow_unicode=True))
    module = _mock_module(bare, f"bare_mock_{spec.stem}", mocks_root)
    assert _check_every_operation(bare, module) == []


def test_hooks_override_fail_delay_and_record(mocks_root: Path) -> None:
    module = _mock_module(REPO / "specs" / "third_party" / "pricefeed.yaml", "mock_hooks_pricefeed", mocks_root)
    mock_class = _mock_class(module)
    first = module.OPERATIONS[0]
    url_path = _concrete_path(first.path)
    with mock_class() as mock:
        client = httpx.Client(base_url=mock.base_url)
        mock.fail(first.operation_id, status=503, times=1)
        assert client.request(first.method, mock.base_url + url_path).status_code == 503
        assert client.request(first.method, mock.base_url + url_path).status_code == first.status
        mock.respond(first.operation_id, status=200, json={"overridden": True})
        assert client.request(first.method, mock.base_url + url_path).json() == {"overridden": True}
        mock.fail(first.operation_id, exception=httpx.ConnectError("down"))
        with pytest.raises(httpx.ConnectError):
            client.request(first.method, mock.base_url + url_path)
        assert len(mock.calls(first.operation_id)) == 4
