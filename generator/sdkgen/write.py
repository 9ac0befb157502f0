"""Stage 4: format generated files, compare them with what is on disk, and swap them in atomically.

A target directory is replaced whole: the new tree is built in a sibling temporary directory
and exchanged with the old one in a single rename (`renameat2(RENAME_EXCHANGE)` where the
kernel has it), so a crash or a kill leaves either the old tree or the new one, never a mix.
A directory is only ever replaced when it holds our manifest (or is empty), so pointing
`--out` at a hand-written folder cannot wipe it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".sdkgen-manifest.json"


class WriteError(Exception):
    pass


@dataclass
class FileSet:
    """Generated files by relative POSIX path. `inputs_hash` names what produced them."""

    files: dict[str, bytes] = field(default_factory=dict)
    inputs_hash: str = ""

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.files:
            raise WriteError(f"two generated files share the path {path}")
        if path.startswith("/") or ".." in Path(path).parts:
            raise WriteError(f"generated path escapes the output directory: {path}")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content

    def manifest(self) -> bytes:
        entries = {path: hashlib.sha256(data).hexdigest() for path, data in sorted(self.files.items())}
        return (json.dumps({"inputs": self.inputs_hash, "files": entries}, indent=2, sort_keys=True) + "\n").encode()


@dataclass(frozen=True)
class Difference:
    stale: list[str]
    missing: list[str]
    extra: list[str]

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.extra)


def _ruff() -> list[str]:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return [find_ruff_bin()]
    except Exception:  # pragma: no cover - ruff installed without its Python wrapper
        return [sys.executable, "-m", "ruff"]


def format_python(files: FileSet, root_config: Mapping[str, str] | None = None) -> None:
    """Run `ruff check --fix` (import order only) and `ruff format` over the generated Python, in place."""
    python = {p: d for p, d in files.files.items() if p.endswith((".py", ".pyi"))}
    if not python:
        return
    with tempfile.TemporaryDirectory(prefix="sdkgen-fmt-") as tmp:
        base = Path(tmp)
        for path, data in python.items():
            target = base / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        config = ["--config", "line-length=120", "--no-cache", "--quiet"]
        subprocess.run(
            [*_ruff(), "check", "--fix-only", "--select", "I,F401,RUF022", *config, "--exit-zero", str(base)],
            check=True,
            capture_output=True,
        )
        result = subprocess.run([*_ruff(), "format", *config, str(base)], capture_output=True, text=True)
        if result.returncode != 0:
            raise WriteError("generated Python did not parse (an sdkgen bug):\n" + result.stderr.strip())
        for path in python:
            files.files[path] = (base / path).read_bytes()


def read_manifest(target: Path) -> dict[str, object] | None:
    try:
        data = json.loads((target / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def compare(files: FileSet, target: Path) -> Difference:
    """What differs between the generated files and the target directory."""
    stale, missing = [], []
    wanted = {**files.files, MANIFEST: files.manifest()}
    for path, data in sorted(wanted.items()):
        if path == MANIFEST:
            continue
        existing = target / path
        if not existing.is_file():
            missing.append(path)
        elif existing.read_bytes() != data:
            stale.append(path)
    extra = []
    if target.is_dir():
        for found in sorted(target.rglob("*")):
            if found.is_file():
                rel = found.relative_to(target).as_posix()
                if rel not in wanted and not _ignored(rel):
                    extra.append(rel)
    return Difference(stale, missing, extra)


def _ignored(rel: str) -> bool:
    parts = rel.split("/")
    return any(
        p in ("node_modules", "__pycache__", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache") for p in parts
    ) or rel.endswith(".pyc")


def up_to_date(files_hash: str, target: Path) -> bool:
    """True when the target was produced from the same inputs and no generated file was touched since."""
    manifest = read_manifest(target)
    if manifest is None or manifest.get("inputs") != files_hash or not files_hash:
        return False
    entries = manifest.get("files")
    if not isinstance(entries, dict):
        return False
    for path, digest in entries.items():
        try:
            if hashlib.sha256((target / path).read_bytes()).hexdigest() != digest:
                return False
        except OSError:
            return False
    return True


def write_tree(files: FileSet, target: Path, *, force: bool = False) -> None:
    """Replace `target` with exactly `files` (plus the manifest), atomically."""
    try:
        _write_tree(files, target.absolute(), force)
    except OSError as exc:  # a full disk, a file where a directory should be, no permission: not our bug
        where = exc.filename or target
        raise WriteError(f"cannot write {target}: {exc.strerror or exc} ({where})") from exc


def _write_tree(files: FileSet, target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise WriteError(f"{target} exists and is not a directory")
    if target.is_dir() and not force and read_manifest(target) is None and any(target.iterdir()):
        raise WriteError(
            f"{target} is not empty and was not generated by sdkgen (no {MANIFEST}); "
            "refusing to replace it (use --force to overwrite)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_after_killed_runs(target)
    staging = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(target)}{os.getpid()}-", dir=target.parent))
    try:
        for path, data in sorted({**files.files, MANIFEST: files.manifest()}.items()):
            out = staging / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        _keep_local_state(target, staging)
        os.chmod(staging, 0o755)
        if target.exists():
            if not _exchange(staging, target):
                backup = staging.with_name(staging.name + "-old")
                os.rename(target, backup)
                os.rename(staging, target)
                staging = backup
        else:
            os.rename(staging, target)
            return
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _staging_prefix(target: Path) -> str:
    return f".sdkgen-tmp-{target.name}-"


def _clean_after_killed_runs(target: Path) -> None:
    """Remove the staging directories a killed run left beside `target` (their process is gone).

    Without an atomic exchange a run moves the old tree aside before renaming the new one in; if it
    was killed in between, the old tree is put back.
    """
    if os.name != "posix":  # os.kill(pid, 0) only probes on POSIX
        return
    prefix = _staging_prefix(target)
    for leftover in sorted(target.parent.iterdir()):
        pid = leftover.name[len(prefix) :].split("-", 1)[0] if leftover.name.startswith(prefix) else ""
        if not pid.isdigit() or not leftover.is_dir() or _alive(int(pid)):
            continue
        if leftover.name.endswith("-old") and not target.exists():
            os.rename(leftover, target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _keep_local_state(target: Path, staging: Path) -> None:
    """Carry installed dependencies and build output over, so a rebuild does not delete `node_modules`."""
    if not target.is_dir():
        return
    for name in ("node_modules", "dist"):
        source = target / name
        if source.is_dir() and not (staging / name).exists():
            os.rename(source, staging / name)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2). False when the platform cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def content_hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()
