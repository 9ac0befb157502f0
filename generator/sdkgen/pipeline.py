"""The whole pipeline for one target: spec → IR → files (formatted), stamped with what produced them.

`sdkgen build` and a multi-kind `sdkgen generate` analyse each spec once (`analyse`) and emit every
target from that one `Analysis` (`produce`), several targets at once through `sdkgen.parallel`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdkgen.diagnostics import Diagnostic, SpecError, has_errors
from sdkgen.emit import get_emitter
from sdkgen.fingerprint import generator_key, inputs_key, real_path, source_digests
from sdkgen.ir import Api, build_api
from sdkgen.load import LoadedSpec, load_spec
from sdkgen.write import Difference, FileSet, compare, format_python, write_tree


@dataclass
class Analysis:
    spec: LoadedSpec
    api: Api
    diagnostics: list[Diagnostic]


def analyse(spec_path: Path, *, keep_document: bool = False) -> Analysis:
    """Load and build the IR; raises SpecError when the spec has errors.

    The parsed document and the spec's model are let go as soon as nothing reads them (the IR builder reads only
    the model; emitters read only the IR): for a large spec that lowers the peak memory by a third.
    `keep_document`: keep both, for a caller that compares the document with what was generated.
    """
    spec = load_spec(spec_path)
    if not keep_document:
        spec.release_document()
    api, diagnostics = build_api(spec)
    if not keep_document:
        spec.release_model()
    diagnostics = spec.diagnostics + diagnostics
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    return Analysis(spec, api, diagnostics)


def _stamp(
    files: FileSet,
    spec_path: Path,
    sources: Iterable[tuple[Path, str]],
    kind: str,
    package: str,
    options: dict[str, Any],
) -> None:
    """Record in `files` (for its manifest) the generator key and every input file with its hash."""
    files.generator = generator_key(kind, package, options)
    files.sources = source_digests(sources, real_path(spec_path).parent)
    files.inputs_hash = inputs_key(files.generator, files.sources)


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
    _stamp(files, path, sources, "wrapper", package, options)
    return files


def emit(analysis: Analysis, kind: str, package: str, options: dict[str, Any] | None = None) -> FileSet:
    """Render one target from an analysed spec, formatted, stamped with its inputs."""
    options = options or {}
    files = get_emitter(kind)(analysis.api, package, options)
    format_python(files)
    _stamp(files, analysis.spec.path, ((f.path, f.text) for f in analysis.spec.files), kind, package, options)
    return files


@dataclass
class Job:
    """One target to produce: from an analysed spec, or (kind "wrapper") from a wrapper file."""

    label: str
    kind: str
    spec: Path
    out: Path
    package: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Done:
    """What producing a target did: files generated, and with --check how they differ from the disk."""

    files: int
    seconds: float
    difference: Difference | None = None


def produce(job: Job, analysis: Analysis | None, *, check: bool = False, force: bool = False) -> Done:
    """Emit, format and write (or, with `check`, compare) one target. Raises as `emit`/`write_tree` do."""
    started = time.monotonic()
    if job.kind == "wrapper":
        files = _generate_wrapper(job.spec, job.package, job.options)
    else:
        assert analysis is not None, "a non-wrapper target needs its analysed spec"
        files = emit(analysis, job.kind, job.package, job.options)
    if check:
        return Done(len(files.files), time.monotonic() - started, compare(files, job.out))
    write_tree(files, job.out, force=force)
    return Done(len(files.files), time.monotonic() - started)
