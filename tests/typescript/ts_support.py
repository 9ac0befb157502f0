"""Helpers of the TypeScript SDK tests: generate an SDK, run the repo's pinned tsc and node."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TSC = ROOT / "node_modules" / ".bin" / "tsc"
NODE = shutil.which("node")

COMPILER_OPTIONS = {
    "target": "ES2020",
    "lib": ["ES2022", "DOM", "DOM.Iterable"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": True,
    "noImplicitOverride": True,
    "types": [],
}

requires_node = pytest.mark.skipif(
    NODE is None, reason="node is not installed (the TypeScript SDK tests need Node.js 18+)"
)


def generate_sdk(spec: Path, out: Path, package: str) -> Path:
    files, _ = generate(spec, "typescript", package)
    write_tree(files, out)
    return out


def tsc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    if not TSC.exists():
        pytest.fail(f"{TSC} is missing: run `npm ci` at the repo root (make test does)")
    return subprocess.run([str(TSC), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n")


def node_env() -> dict[str, str]:
    """The environment for npm and node: the pinned tsc on PATH, no network needed."""
    env = dict(os.environ)
    env["PATH"] = f"{TSC.parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("npm_config_audit", "false")
    env.setdefault("npm_config_fund", "false")
    env.setdefault("npm_config_update_notifier", "false")
    return env
