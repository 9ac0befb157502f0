"""The whole pipeline for one target: spec → IR → files (formatted), with a hash of every input."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdkgen import __version__
from sdkgen.diagnostics import Diagnostic, SpecError, has_errors
from sdkgen.emit import get_emitter, templates_hash
from sdkgen.ir import Api, build_api
from sdkgen.load import LoadedSpec, load_spec
from sdkgen.write import FileSet, content_hash, format_python


@dataclass
class Analysis:
    spec: LoadedSpec
    api: Api
    diagnostics: list[Diagnostic]


def analyse(spec_path: Path) -> Analysis:
    """Load and build the IR; raises SpecError when the spec has errors."""
    spec = load_spec(spec_path)
    api, diagnostics = build_api(spec)
    diagnostics = spec.diagnostics + diagnostics
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    return Analysis(spec, api, diagnostics)


def inputs_hash(spec_path: Path, kind: str, package: str, options: dict[str, Any]) -> str:
    """Everything that decides a target's output, cheaply: spec files, settings, sdkgen's own version."""
    from sdkgen.load.bundle import Bundler
    from sdkgen.load.source import read_source

    roots = [spec_path]
    sources: list[tuple[Path, str]] = []
    while roots:
        root, _ = read_source(roots.pop())
        if root is None:
            return ""
        bundler = Bundler(root)
        bundler.bundle()
        sources.extend((f.path, f.text) for f in bundler.files.values())
        if kind == "wrapper" and root.path == spec_path and isinstance(root.data, dict):
            # a wrapper's inputs are its own file and every vendor spec it names, as in _generate_wrapper
            vendors = root.data.get("vendors")
            for vendor in vendors.values() if isinstance(vendors, dict) else []:
                if isinstance(vendor, dict) and isinstance(vendor.get("spec"), str):
                    roots.append(spec_path.parent / vendor["spec"])
    return _hash(spec_path, sources, kind, package, options)


def _hash(spec_path: Path, sources: list[tuple[Path, str]], kind: str, package: str, options: dict[str, Any]) -> str:
    base = spec_path.resolve().parent
    texts = sorted((_relative(path, base), text) for path, text in sources)
    settings = json.dumps({"kind": kind, "package": package, "options": options}, sort_keys=True, default=str)
    return content_hash(__version__, templates_hash(), settings, *(part for pair in texts for part in pair))


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.name


def generate(
    spec_path: Path, kind: str, package: str, options: dict[str, Any] | None = None
) -> tuple[FileSet, list[Diagnostic]]:
    if kind == "wrapper":
        return _generate_wrapper(spec_path, package, options or {}), []
    analysis = analyse(spec_path)
    return emit(analysis, kind, package, options), analysis.diagnostics


def _generate_wrapper(path: Path, package: str, options: dict[str, Any]) -> FileSet:
    """A wrapper target reads a wrapper file and every vendor spec it names."""
    from sdkgen.emit.wrapper import emit_wrapper, load_wrapper

    wrapper = load_wrapper(path)
    files = emit_wrapper(wrapper, package, options)
    format_python(files)
    sources = [(wrapper.source.path, wrapper.source.text)]
    for vendor in wrapper.vendors:
        assert vendor.analysis is not None
        sources.extend((f.path, f.text) for f in vendor.analysis.spec.files)
    files.inputs_hash = _hash(path, sources, "wrapper", package, options)
    return files


def emit(analysis: Analysis, kind: str, package: str, options: dict[str, Any] | None = None) -> FileSet:
    """Render one target from an analysed spec, formatted, with the hash of its inputs."""
    options = options or {}
    files = get_emitter(kind)(analysis.api, package, options)
    format_python(files)
    sources = [(f.path, f.text) for f in analysis.spec.files]
    files.inputs_hash = _hash(analysis.spec.path, sources, kind, package, options)
    return files
