"""The generated server is clean code: `mypy --strict` and `ruff check` pass on it, as generated."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
PLATFORM_SPEC = REPO / "specs" / "platform" / "openapi.yaml"
FIXTURES = Path(__file__).parent / "fixtures"


def test_generated_servers_pass_mypy_strict_and_ruff(
    generate_server: Callable[[Path, str], tuple[Path, ModuleType]],
) -> None:
    generated = [
        generate_server(PLATFORM_SPEC, "platform_server"),
        generate_server(FIXTURES / "shop.yaml", "shop_server"),
        generate_server(FIXTURES / "pets.yaml", "pets_server"),
        generate_server(FIXTURES / "structured_query.yaml", "sq_server"),
        generate_server(FIXTURES / "hooks.yaml", "hooks_server"),
        generate_server(FIXTURES / "bounds.yaml", "bounds_server"),
        generate_server(FIXTURES / "successes.yaml", "successes_server"),
    ]
    for out, _ in generated:
        ruff = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=out, capture_output=True, text=True
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(REPO / ".mypy_cache"),  # shared with `make lint`: fastapi and pydantic are analysed once
            *[str(out / module.__name__) for out, module in generated],
        ],
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_generated_package_declares_its_own_dependencies(
    generate_server: Callable[[Path, str], tuple[Path, ModuleType]],
) -> None:
    out, _ = generate_server(FIXTURES / "shop.yaml", "shop_server")
    pyproject = (out / "pyproject.toml").read_text()
    for dependency in ('"fastapi>=', '"pydantic>=', '"python-multipart>='):
        assert dependency in pyproject
