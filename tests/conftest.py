"""Fixtures every test folder may use."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """sdkgen's compiled templates go to a directory of this run (every process started inherits it), not to the
    user's cache: the tests neither depend on nor leave behind what an earlier run compiled."""
    _CACHE.append(tempfile.mkdtemp(prefix="sdkgen-test-cache-"))
    os.environ["SDKGEN_CACHE_DIR"] = _CACHE[-1]


def pytest_unconfigure(config: pytest.Config) -> None:
    for directory in _CACHE:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def python_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str | Path, str], ModuleType]]:
    """Generate the Python SDK of a spec (its path, or its YAML text) as `package` and import it, once per package;
    the packages leave `sys.path` and `sys.modules` when the session ends."""
    made: dict[str, ModuleType] = {}
    sources: dict[str, str | Path] = {}
    roots: list[str] = []

    def make(spec: str | Path, package: str) -> ModuleType:
        # two tests naming their packages alike would silently share the first one's SDK
        assert sources.setdefault(package, spec) == spec, f"package {package!r} is already made from another spec"
        if package not in made:
            root = tmp_path_factory.mktemp(package)
            if isinstance(spec, str):
                (root / "openapi.yaml").write_text(spec)
                spec = root / "openapi.yaml"
            files, _ = generate(spec, "python", package)
            write_tree(files, root / "out")
            roots.append(str(root / "out"))
            sys.path.insert(0, roots[-1])
            made[package] = importlib.import_module(package)
        return made[package]

    yield make
    for root in roots:
        sys.path.remove(root)
    for name in [m for m in sys.modules if m.split(".")[0] in made]:
        del sys.modules[name]
