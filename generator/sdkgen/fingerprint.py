"""What decides a target's output, hashed cheaply: sdkgen's own code, the settings, the input files.

`sdkgen build` with nothing changed must not parse a spec. The manifest of a generated tree records
every file the loader read (relative to the spec's directory) with the hash of its text, and a
fingerprint of the generator (version, code and templates, kind, package, options). The no-change
check re-hashes those files' bytes and compares: a changed file or setting means regenerating,
which records the real set of files again (a newly referenced file is found because the file
referencing it changed). This module imports nothing heavy on purpose.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from sdkgen import __version__
from sdkgen.write import content_hash

_BOM = b"\xef\xbb\xbf"


def _templates_dir() -> Path:
    """As `sdkgen.emit.templates_dir`, without importing the emitters (and jinja2)."""
    packaged = Path(__file__).resolve().parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "templates"


@lru_cache(maxsize=1)
def code_hash() -> str:
    """sdkgen's own sources and templates: either changing means outputs may change (~10 ms)."""
    digest = hashlib.sha256()
    for root in (_templates_dir(), Path(__file__).resolve().parent):
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
                continue
            data = path.read_bytes()
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


def generator_key(kind: str, package: str, options: Mapping[str, Any]) -> str:
    """Everything but the input files: sdkgen's version and code, the target's kind, package and options."""
    settings = json.dumps({"kind": kind, "package": package, "options": dict(options)}, sort_keys=True, default=str)
    return content_hash(__version__, code_hash(), settings)


def text_digest(text: str) -> str:
    """The hash of a loaded file's text (the loader decodes UTF-8 and drops a BOM)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    """The hash `text_digest` gives the file once loaded, from its bytes, without decoding or parsing."""
    data = path.read_bytes()
    return hashlib.sha256(data[len(_BOM) :] if data.startswith(_BOM) else data).hexdigest()


def relative(path: Path, base: Path) -> str:
    """`path` relative to `base` as a POSIX path (with `..` when outside), as the manifest records it."""
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive (Windows): only an absolute path leads there
        return path.resolve().as_posix()


def source_digests(sources: Iterable[tuple[Path, str]], base: Path) -> dict[str, str]:
    """Loaded files (path, text) by their path relative to `base`, with their text's hash."""
    return {relative(path, base): text_digest(text) for path, text in sorted(sources, key=lambda s: str(s[0]))}


def inputs_key(generator: str, sources: Mapping[str, str]) -> str:
    """The hash of every input: the generator key and each input file's (relative path, hash)."""
    return content_hash(generator, *(part for name in sorted(sources) for part in (name, sources[name])))


def target_up_to_date(spec: Path, kind: str, package: str, options: Mapping[str, Any], out: Path) -> bool:
    """The no-change check of `sdkgen build`: manifest, input bytes and output bytes hashed, nothing parsed."""
    from sdkgen.write import up_to_date

    return up_to_date(out, spec.resolve().parent, generator_key(kind, package, options))
