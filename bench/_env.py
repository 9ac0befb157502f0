"""The comparison tools, installed into a throwaway place (never into the project's environment).

    ~/.cache/sdkgen-bench/venv   openapi-python-client, pyinstrument, httpx, python-dateutil
    ~/.cache/sdkgen-bench/node   @hey-api/openapi-ts, openapi-typescript  (npm --prefix)

$SDKGEN_BENCH_DIR moves the whole place. Versions are pinned here so that a table is comparable with the
next one; a stamp file records what was installed, and a changed pin reinstalls.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(os.environ.get("SDKGEN_BENCH_DIR", Path.home() / ".cache" / "sdkgen-bench"))
VENV = BENCH_DIR / "venv"
NODE = BENCH_DIR / "node"

PY_TOOLS = {
    "openapi-python-client": "0.29.1",
    "pyinstrument": "5.1.3",
    "httpx": "0.28.1",
    "python-dateutil": "4.0.0",  # the generated openapi-python-client packages need it at run time
}
NODE_TOOLS = {
    "@hey-api/openapi-ts": "0.95.0",  # 0.96+ needs Node 22; this is the newest that runs on Node 20
    "openapi-typescript": "7.13.0",
}


@dataclass(frozen=True)
class Tools:
    python: Path  # the bench venv's interpreter
    opc: Path  # openapi-python-client
    hey_api: Path | None  # None: npm missing
    openapi_typescript: Path | None
    versions: dict[str, str]

    @property
    def path_env(self) -> str:
        """PATH with the bench venv first: openapi-python-client's post hooks run `ruff` from PATH."""
        return f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"


def _log(message: str) -> None:
    print(f"[setup] {message}", file=sys.stderr, flush=True)


def _stamp_ok(stamp: Path, wanted: dict[str, str]) -> bool:
    try:
        return bool(json.loads(stamp.read_text()) == wanted)
    except (OSError, ValueError):
        return False


def _install_python() -> None:
    stamp = VENV / ".bench-installed.json"
    if _stamp_ok(stamp, PY_TOOLS):
        return
    _log(f"installing {', '.join(PY_TOOLS)} into {VENV}")
    if not (VENV / "bin" / "python").exists():
        venv.create(VENV, with_pip=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *(f"{name}=={version}" for name, version in PY_TOOLS.items())], check=True)
    stamp.write_text(json.dumps(PY_TOOLS))


def _install_node() -> bool:
    if shutil.which("npm") is None:
        _log("npm not found: the TypeScript comparison rows will say 'missing'")
        return False
    stamp = NODE / ".bench-installed.json"
    if _stamp_ok(stamp, NODE_TOOLS):
        return True
    _log(f"installing {', '.join(NODE_TOOLS)} into {NODE}")
    NODE.mkdir(parents=True, exist_ok=True)
    (NODE / "package.json").write_text(json.dumps({"private": True, "dependencies": NODE_TOOLS}, indent=2) + "\n")
    subprocess.run(
        ["npm", "install", "--prefix", str(NODE), "--no-audit", "--no-fund", "--loglevel=error"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    stamp.write_text(json.dumps(NODE_TOOLS))
    return True


def ensure_tools() -> Tools:
    """Install what is missing (idempotent, quick when everything is there) and say where it is."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    _install_python()
    has_node = _install_node()
    node_bin = NODE / "node_modules" / ".bin"
    versions = {**PY_TOOLS, **(NODE_TOOLS if has_node else {})}
    return Tools(
        python=VENV / "bin" / "python",
        opc=VENV / "bin" / "openapi-python-client",
        hey_api=node_bin / "openapi-ts" if has_node else None,
        openapi_typescript=node_bin / "openapi-typescript" if has_node else None,
        versions=versions,
    )
