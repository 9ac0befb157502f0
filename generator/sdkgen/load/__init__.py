"""Stage 1: spec files in, one validated OpenAPI model out (plus located diagnostics)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdkgen.diagnostics import Diagnostic, Location, SpecError, error, has_errors
from sdkgen.gctools import paused_gc
from sdkgen.load.bundle import Bundler, Origins, resolve_pointer
from sdkgen.load.source import SourceFile, read_source
from sdkgen.load.validate import OpenAPIModel, detect_version, parse_openapi

__all__ = ["LoadedSpec", "ReleasedError", "load_spec", "resolve_pointer"]


class ReleasedError(RuntimeError):
    """A part of a LoadedSpec was read after `release_document` or `release_model` let it go."""


@dataclass
class LoadedSpec:
    """A spec ready for the IR builder: the bundled document, its model, and where each part came from.

    The document and the model are the bulk of a large spec's memory (GitHub's: a few hundred MB), and only the
    IR builder reads the model; `release_document` and `release_model` let each go when it is done with, while
    what locates a pointer (the files' text) and fingerprints the inputs stays.
    """

    path: Path
    version: str
    _data: dict[str, Any] | None
    _model: OpenAPIModel | None
    origins: Origins
    files: list[SourceFile]
    diagnostics: list[Diagnostic]

    @property
    def data(self) -> dict[str, Any]:
        """The bundled (and repaired) document."""
        if self._data is None:
            raise ReleasedError("the document of this spec was released (see LoadedSpec.release_document)")
        return self._data

    @property
    def model(self) -> OpenAPIModel:
        """The document as openapi-pydantic's model."""
        if self._model is None:
            raise ReleasedError("the model of this spec was released (see LoadedSpec.release_model)")
        return self._model

    def release_document(self) -> None:
        """Let the parsed documents go (the bundled one and every file's): from here on only the model is read."""
        self._data = None
        for file in self.files:
            file.data = None

    def release_model(self) -> None:
        """Let the model go, once the IR is built from it."""
        self._model = None

    def locate(self, pointer: str) -> Location:
        return self.origins.locate(pointer)

    @property
    def is_31(self) -> bool:
        return self.version.startswith("3.1")


def load_spec(path: Path) -> LoadedSpec:
    """Read, bundle and validate a spec. Raises SpecError with every problem found."""
    with paused_gc():  # the loaded document is a large graph without cycles: see sdkgen.gctools
        root, diagnostics = read_source(path)
        if root is None:
            raise SpecError(diagnostics)
        try:
            return _load(path, root, diagnostics)
        except RecursionError:
            # the bundler, the validator and its repairs recurse once per level of nesting
            message = "the document is nested too deeply to process (hundreds of levels)"
            raise SpecError([error("too-deep", message, Location(root.display))]) from None


def _load(path: Path, root: SourceFile, read: list[Diagnostic]) -> LoadedSpec:
    """`read`: the warnings reading the root file gave."""
    bundler = Bundler(root)
    locate = bundler.origins.locate
    version, problems = detect_version(root.data, locate)
    if version is None:
        raise SpecError([*read, *problems])
    data = bundler.bundle()
    diagnostics = [*read, *bundler.diagnostics]
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    model, data, problems = parse_openapi(data, version, locate)
    diagnostics.extend(problems)
    if model is None or has_errors(diagnostics):
        raise SpecError(diagnostics)
    files = sorted(bundler.files.values(), key=lambda f: f.display)
    return LoadedSpec(path, version, data, model, bundler.origins, files, diagnostics)
