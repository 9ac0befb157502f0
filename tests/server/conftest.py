"""Generated servers for the tests: each spec is generated once per session into a temporary directory."""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
PLATFORM_SPEC = REPO / "specs" / "platform" / "openapi.yaml"
FIXTURES = Path(__file__).parent / "fixtures"

# Starlette's TestClient on httpx warns that it prefers `httpx2`; that is no concern of these tests.
warnings.filterwarnings("ignore", message=".*httpx2.*")


@pytest.fixture(scope="session")
def generate_server(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str], tuple[Path, ModuleType]]:
    """Generate the server of `spec` as `package`, import it, and return (its directory, the package)."""
    cache: dict[str, tuple[Path, ModuleType]] = {}

    def make(spec: Path, package: str) -> tuple[Path, ModuleType]:
        if package not in cache:
            out = tmp_path_factory.mktemp(package)
            files, _ = generate(spec, "server", package)
            write_tree(files, out, force=True)
            sys.path.insert(0, str(out))
            cache[package] = (out, importlib.import_module(package))
        return cache[package]

    return make


@pytest.fixture(scope="session")
def server_from_text(
    tmp_path_factory: pytest.TempPathFactory, generate_server: Callable[[Path, str], tuple[Path, ModuleType]]
) -> Callable[[str, str], tuple[Path, ModuleType]]:
    """Write a spec given as text, generate its server as `package`: (the spec's path, the package)."""

    texts: dict[str, str] = {}

    def make(text: str, package: str) -> tuple[Path, ModuleType]:
        # two tests naming their packages alike would silently share the first one's server
        assert texts.setdefault(package, text) == text, f"package {package!r} is already made from another spec"
        spec = tmp_path_factory.mktemp(package + "_spec") / "openapi.yaml"
        spec.write_text(text)
        return spec, generate_server(spec, package)[1]

    return make


@pytest.fixture(scope="session")
def platform(generate_server: Callable[[Path, str], tuple[Path, ModuleType]]) -> ModuleType:
    return generate_server(PLATFORM_SPEC, "platform_server")[1]


@pytest.fixture(scope="session")
def shop(generate_server: Callable[[Path, str], tuple[Path, ModuleType]]) -> ModuleType:
    return generate_server(FIXTURES / "shop.yaml", "shop_server")[1]


@pytest.fixture(scope="session")
def pets(generate_server: Callable[[Path, str], tuple[Path, ModuleType]]) -> ModuleType:
    return generate_server(FIXTURES / "pets.yaml", "pets_server")[1]


@pytest.fixture(scope="session")
def hooks(generate_server: Callable[[Path, str], tuple[Path, ModuleType]]) -> ModuleType:
    return generate_server(FIXTURES / "hooks.yaml", "hooks_server")[1]


@pytest.fixture(scope="session")
def bounds(generate_server: Callable[[Path, str], tuple[Path, ModuleType]]) -> ModuleType:
    return generate_server(FIXTURES / "bounds.yaml", "bounds_server")[1]
