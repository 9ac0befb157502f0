"""Server stub report over the corpus: generate, import, build the app, compare its OpenAPI with the spec.

    .venv/bin/python bench/corpus_server.py [--limit N] [--work DIR] [--specs FILE] [--jobs 2] [--verbose]
    .venv/bin/python bench/corpus_server.py --sample 150 --seed 31 --largest 3 --readme   # beyond the dev specs

Prints one line per spec (operations, differences between the app's `openapi()` and the spec in the
normal form of tests/server/equivalence.py, or the stage that failed), then the totals and the most
common kinds of difference. Corpus: $SDKGEN_CORPUS_DIR or ~/.cache/sdkgen-corpus (fetch it with
../shared/corpus/fetch.sh). Each spec is checked in its own process, so one bad spec cannot stop the run.
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
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from _corpus import DEV_SPECS, add_selection_arguments, beyond_dev, read_ids, resolve, wants_beyond_dev

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SDKGEN_CORPUS_DIR", Path.home() / ".cache" / "sdkgen-corpus"))

# Runs in a child process: generate one spec, import its server, compare documents, print JSON.
CHILD = r"""
import importlib, json, sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[4])
from equivalence import differences
from sdkgen.emit import get_emitter
from sdkgen.pipeline import analyse
from sdkgen.write import format_python, write_tree

spec, out, package = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
report = {"stage": "generate"}
try:
    analysis = analyse(spec, keep_document=True)
    report["operations"] = len(analysis.api.operations)
    files = get_emitter("server")(analysis.api, package, {})
    format_python(files)
    write_tree(files, out, force=True)
    report["stage"] = "import"
    sys.path.insert(0, str(out))
    module = importlib.import_module(package)
    report["stage"] = "create_app"
    app = module.create_app()
    report["stage"] = "openapi"
    document = app.openapi()
    json.dumps(document)
    report["stage"] = "compare"
    report["differences"] = [str(d) for d in differences(analysis.spec.data, document)]
    report["stage"] = "done"
except BaseException as exc:
    report["error"] = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ''}"
print("REPORT " + json.dumps(report))
"""


@dataclass
class Outcome:
    spec: str
    stage: str = "generate"
    operations: int = 0
    differences: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.stage == "done"


def spec_paths(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """The dev list (or --specs: ids, corpus-relative or absolute paths), or the selection beyond it."""
    specs: list[tuple[str, Path]] = []
    if args.specs is not None or not wants_beyond_dev(args):
        names = read_ids(args.specs or DEV_SPECS)
        if args.limit:
            names = names[: args.limit]
        specs += [(name, resolve(name, CORPUS)) for name in names]
    specs += beyond_dev(args, CORPUS)
    return list(dict.fromkeys(specs))


def check(name: str, path: Path, work: Path) -> Outcome:
    package = "srv_" + re.sub(r"[^a-z0-9]+", "_", name.lower().removesuffix(".json")).strip("_")
    started = time.monotonic()
    outcome = Outcome(name)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), str(work / package), package, str(REPO / "tests" / "server")],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        outcome.error = "timed out"
        return outcome
    line = next((x for x in proc.stdout.splitlines() if x.startswith("REPORT ")), None)
    if line is None:
        outcome.error = (proc.stderr.strip().splitlines() or ["no report"])[-1][:300]
        return outcome
    data = json.loads(line[len("REPORT ") :])
    outcome.stage = data["stage"]
    outcome.operations = data.get("operations", 0)
    outcome.differences = data.get("differences", [])
    outcome.error = data.get("error", "")
    outcome.seconds = time.monotonic() - started
    return outcome


def kind_of(difference: str) -> str:
    """A difference without its operation and names: what sort of thing differs."""
    what = difference.split(": ", 1)[-1]
    text = re.sub(r"\[[^\]]*\]", "[…]", what)
    text = re.sub(r"'[^']*'", "'…'", text)
    where = difference.split(": ", 1)[0]
    part = "parameter" if " parameter " in where else "request body" if "request body" in where else "response"
    return f"{part}: {text}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sdkgen-corpus-server"))
    parser.add_argument("--specs", type=Path, help="spec ids or paths, one a line (default: dev-specs.txt)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="print every difference")
    add_selection_arguments(parser)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    started = time.monotonic()
    paths = spec_paths(args)
    with ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(lambda item: check(item[0], item[1], args.work), paths))
    kinds: Counter[str] = Counter()
    for o in outcomes:
        if not o.ok:
            print(f"FAIL {o.spec}: [{o.stage}] {o.error}")
            continue
        kinds.update(kind_of(d) for d in o.differences)
        label = "DIFF" if o.differences else "OK  "
        print(f"{label} {o.spec}: {o.operations} operations, {len(o.differences)} differences")
        for d in o.differences if args.verbose else o.differences[:3]:
            print(f"       {d}")
    done = [o for o in outcomes if o.ok]
    clean = [o for o in done if not o.differences]
    print()
    print(f"specs: {len(outcomes)}  app built and compared: {len(done)}  equivalent: {len(clean)}")
    print(f"operations: {sum(o.operations for o in done)}  differences: {sum(len(o.differences) for o in done)}")
    for stage in ("generate", "import", "create_app", "openapi", "compare"):
        failed = sum(1 for o in outcomes if o.stage == stage)
        if failed:
            print(f"  failed at {stage}: {failed}")
    if kinds:
        print("most common differences:")
        for kind, count in kinds.most_common(15):
            print(f"  {count:5d}  {kind}")
    print(f"time: {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
