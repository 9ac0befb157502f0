"""Stage 3: one emitter per target. An emitter reads only the IR and returns a FileSet."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from sdkgen.fingerprint import templates_dir
from sdkgen.ir.model import Api
from sdkgen.write import FileSet

Emitter = Callable[[Api, str, dict[str, Any]], FileSet]


def numeric_version(text: str) -> str:
    """The first three numbers of a version text, padded with zeros (`2021-06-01` → 2021.6.1); none: 0.0.0.
    What a package version falls back to when info.version is not one (semver for npm, PEP 440 for pip)."""
    numbers = [str(int(n)) for n in re.findall(r"\d+", text)[:3]]
    return ".".join(numbers + ["0"] * (3 - len(numbers))) if numbers else "0.0.0"


class EmitError(Exception):
    """A target cannot be generated with the given settings (e.g. an invalid package name)."""


class _Environment(jinja2.Environment):
    """Views are plain dicts: `{{ f.name }}` looks the key up first. (Jinja tries the attribute first, and
    the AttributeError it raises and catches for every dict access costs more than the rest of rendering.)
    A key therefore hides a dict method of the same name; templates call no dict methods."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


CACHE_VARIABLE = "SDKGEN_CACHE_DIR"


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs (compiling the Python target's templates is ~0.1 s of every run).

    Jinja keys an entry by the template's file and checks the source's hash on load, so an edited
    template is compiled again. An entry that cannot be read or written is compiled as if absent:
    the cache only ever saves time.
    """

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: compile the template instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full disk, a read-only cache: the next run compiles again
            super().dump_bytecode(bucket)


def cache_dir() -> Path | None:
    """Where sdkgen keeps compiled templates: $SDKGEN_CACHE_DIR (empty: no cache), else the user's cache
    directory. None when it cannot be made private to this user (then templates are compiled every run)."""
    configured = os.environ.get(CACHE_VARIABLE)
    if configured is not None:
        if not configured.strip():
            return None
        base = Path(configured)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "sdkgen" / "Cache"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sdkgen"
    directory = base / "templates"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name == "posix":
            # compiled templates are code that runs: only a directory no one else can write into is trusted
            info = directory.lstat()
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
    except (OSError, RuntimeError):  # RuntimeError: no home directory to find
        return None
    return directory


@lru_cache(maxsize=8)
def environment(target: str) -> jinja2.Environment:
    directory = cache_dir()
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / target)),
        bytecode_cache=_TemplateCache(str(directory), "%s.jinja") if directory is not None else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pystr"] = _python_literal
    env.filters["tsstr"] = _typescript_literal
    env.filters["tomlstr"] = _typescript_literal
    return env


def _python_literal(value: object) -> str:
    """Spec text as a Python string literal: `repr` escapes everything that could end it."""
    return repr(str(value))


def _typescript_literal(value: object) -> str:
    import json

    return json.dumps(str(value), ensure_ascii=False)


def render(target: str, template: str, **context: Any) -> str:
    return environment(target).get_template(template).render(**context)


def runtime_files(target: str) -> dict[str, bytes]:
    """Static runtime files shipped verbatim into every generated SDK of a target."""
    root = templates_dir() / target / "runtime"
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(".pyc")
    }


def get_emitter(kind: str) -> Emitter:
    if kind == "python":
        from sdkgen.emit.python import emit_python

        return emit_python
    if kind == "mocks":
        from sdkgen.emit.mocks import emit_mocks

        return emit_mocks
    if kind == "typescript":
        from sdkgen.emit.typescript import emit_typescript

        return emit_typescript
    if kind == "server":
        from sdkgen.emit.server import emit_server

        return emit_server
    raise EmitError(f"unknown target kind {kind!r}")
