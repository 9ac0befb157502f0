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
import posixpath
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".sdkgen-manifest.json"


class WriteError(Exception):
    pass


class GeneratedCodeError(WriteError):
    """What sdkgen generated is broken (code that does not parse, paths that clash): a bug in sdkgen, not in
    the user's input."""


class FileSet:
    """Generated files by relative POSIX path. `inputs_hash` names what produced them.

    `format_python()` asks for the Python files to be run through `ruff format`. That happens where the
    files are created anyway: in `write_tree`'s staging tree, in place. Reading `files` before that
    (`compare`, publishing) formats them in a scratch directory first, so `files` is always the final
    content.
    """

    def __init__(
        self,
        files: Mapping[str, bytes] | None = None,
        inputs_hash: str = "",
        generator: str = "",
        sources: Mapping[str, str] | None = None,
    ) -> None:
        self._files: dict[str, bytes] = dict(files or {})
        self.inputs_hash = inputs_hash
        self.generator = generator  # sdkgen.fingerprint.generator_key of what produced the files
        self.sources: dict[str, str] = dict(sources or {})  # every input file (relative to the spec) -> hash
        self._unformatted = False  # Python files wait for `ruff format`

    @property
    def files(self) -> dict[str, bytes]:
        if self._unformatted:
            _format_in_scratch(self)
        return self._files

    def add(self, path: str, content: str | bytes) -> None:
        if path in self._files:
            raise GeneratedCodeError(f"two generated files share the path {path}")
        if path.startswith("/") or ".." in Path(path).parts:
            raise GeneratedCodeError(f"generated path escapes the output directory: {path}")
        self._files[path] = content.encode("utf-8") if isinstance(content, str) else content

    def format_python(self) -> None:
        self._unformatted = any(path.endswith(_PYTHON) for path in self._files)

    def manifest(self) -> bytes:
        entries = {path: hashlib.sha256(data).hexdigest() for path, data in sorted(self.files.items())}
        manifest = {"inputs": self.inputs_hash, "generator": self.generator, "sources": self.sources, "files": entries}
        return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


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


_PYTHON = (".py", ".pyi")
# `--isolated`: the staging tree sits inside the user's project, whose ruff settings must not leak in
_RUFF_FORMAT = ["format", "--isolated", "--config", "line-length=120", "--no-cache"]


def format_python(files: FileSet) -> None:
    """Have `ruff format` format the generated Python (when written, or when read first; see `FileSet`).

    The emitters write imports sorted and only the ones used, and `__all__` sorted, so formatting is all
    that is left (`ruff check --select I,F401,RUF022` finds nothing in generated code).
    """
    files.format_python()


def _format_tree(files: FileSet, base: Path) -> None:
    """Format the Python files of `files`, already written under `base`, in place; take the result back."""
    paths = [path for path in files._files if path.endswith(_PYTHON)]
    limit = 30_000 if os.name == "nt" else 1_000_000  # characters of paths per command line
    chunks: list[list[str]] = [[]]
    size = 0
    for path in paths:
        if size + len(path) > limit and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append(path)
        size += len(path) + 1
    for chunk in chunks:
        result = subprocess.run([*_ruff(), *_RUFF_FORMAT, *chunk], cwd=base, capture_output=True, text=True)
        if result.returncode != 0:
            raise GeneratedCodeError("generated Python did not parse (an sdkgen bug):\n" + result.stderr.strip())
    for path in paths:
        files._files[path] = (base / path).read_bytes()
    files._unformatted = False


def _format_in_scratch(files: FileSet) -> None:
    """Format the Python of `files` in a temporary directory (in memory, /dev/shm, where there is one)."""
    python = {path: data for path, data in files._files.items() if path.endswith(_PYTHON)}
    shm = Path("/dev/shm")
    roots = [str(shm)] if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else []
    for root in [*roots, None]:
        try:
            with tempfile.TemporaryDirectory(prefix="sdkgen-fmt-", dir=root) as tmp:
                _write_files(Path(tmp), python)
                _format_tree(files, Path(tmp))
                return
        except OSError:
            if root is None:
                raise


def _write_files(base: Path, files: Mapping[str, bytes]) -> None:
    """Create every file under `base`: each directory once, then the files."""
    for directory in sorted({posixpath.dirname(path) for path in files} - {""}):
        os.makedirs(base / directory, exist_ok=True)
    for path, data in files.items():
        with open(base / path, "wb") as handle:
            handle.write(data)


def read_manifest(target: Path) -> dict[str, object] | None:
    try:
        data = json.loads((target / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def compare(files: FileSet, target: Path) -> Difference:
    """What differs between the generated files and the target directory."""
    stale, missing = [], []
    wanted = files.files
    for path, data in sorted(wanted.items()):
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
                if rel not in wanted and rel != MANIFEST and not _ignored(rel):
                    extra.append(rel)
    return Difference(stale, missing, extra)


def _ignored(rel: str) -> bool:
    parts = rel.split("/")
    return any(
        p in ("node_modules", "__pycache__", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache") for p in parts
    ) or rel.endswith(".pyc")


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
        _write_files(staging, files._files)
        if files._unformatted:  # formatted in place: each file is created once
            _format_tree(files, staging)
        _write_files(staging, {MANIFEST: files.manifest()})
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
