"""Shared helpers for the core tests: fixture paths and the two ways of running the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sdkgen.cli import app
from sdkgen.ir.model import Api
from sdkgen.pipeline import analyse
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SPECS = FIXTURES / "specs"
BROKEN = FIXTURES / "broken"


def sdkgen_command() -> list[str]:
    """The installed `sdkgen` script beside this interpreter, else `python -m sdkgen`."""
    script = Path(sys.executable).parent / "sdkgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "sdkgen"]


def run_sdkgen(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh process, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [*sdkgen_command(), *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Cli:
    """The CLI in this process (typer's runner): fast, for everything but exit codes of a real process."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str | Path) -> CliResult:
        result = self.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)


class CliResult:
    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        return f"CliResult(exit_code={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def cli() -> Iterator[Cli]:
    yield Cli()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative POSIX path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def analyse_text(tmp_path: Path, text: str) -> Api:
    """The IR of a spec given as YAML text (written to `tmp_path`)."""
    return analyse(write(tmp_path / "spec.yaml", text)).api
