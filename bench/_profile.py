"""Where the time goes, for the targets bench/run.py reports as missed.

    .venv/bin/python bench/_profile.py generate python SPEC          # stages + cProfile hot spots
    .venv/bin/python bench/_profile.py rebuild SDKGEN_TOML
    .venv/bin/python bench/_profile.py runtime BASE_URL [--n 2000]   # platform_sdk's per-call path
    ~/.cache/sdkgen-bench/venv/bin/python bench/_profile.py parse ROOT BODY

Generation is run twice through the real command line (sdkgen.cli.main): once with only stage timers
(wall time per pipeline stage, ruff's subprocesses timed apart), once under cProfile for the functions.
cProfile makes Python code slower than C code, so its shares lean towards Python functions; the stage
table is the unprofiled truth.
"""

from __future__ import annotations

import cProfile
import functools
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROJECT_PYTHON = REPO / ".venv" / "bin" / "python"


# --------------------------------------------------------------------------- reading a profile


def _where(filename: str) -> str:
    for marker in ("/site-packages/", "/generator/", "/lib/python3."):
        if marker in filename:
            rest = filename.split(marker, 1)[1]
            return rest.split("/", 1)[1] if marker == "/lib/python3." else rest
    return filename


def _module(filename: str) -> str:
    """A coarse owner of a function: sdkgen's subpackage, a library, or the stdlib/builtins."""
    if filename.endswith(".j2") or "/templates/" in filename or filename.startswith("<template"):
        return "jinja2 templates (rendering)"
    where = _where(filename)
    if "/generated/" in filename:  # a generated SDK installed in place (platform_sdk)
        return "generated: " + filename.split("/generated/", 1)[1].split("/")[1]
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C)"
    if "/generator/" in filename:
        parts = where.split("/")
        return ".".join(parts[:3]).removesuffix(".py") if len(parts) > 2 else where.removesuffix(".py")
    if "/site-packages/" in filename:
        return where.split("/", 1)[0]
    return "stdlib: " + where.split("/", 1)[0].removesuffix(".py")


def report(stats: pstats.Stats, title: str, top: int = 15) -> str:
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in raw.values()) or 1e-9
    lines = [f"{title}: {total:.1f} s under cProfile"]

    by_module: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tt, _, _) in raw.items():
        by_module[_module(filename)] += tt
    lines.append("  self time by owner:")
    for name, tt in sorted(by_module.items(), key=lambda kv: -kv[1])[:12]:
        lines.append(f"    {tt / total:6.1%}  {tt:7.2f} s  {name}")

    def label(key: tuple[str, int, str]) -> str:
        filename, line, func = key
        if filename == "~":
            return func
        return f"{_where(filename)}:{line} {func}"

    lines.append("  hottest functions by self time:")
    for key, (_, nc, tt, _, _) in sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]:
        lines.append(f"    {tt / total:6.1%}  {tt:7.2f} s  {nc:>9} calls  {label(key)}")
    ours = [(k, v) for k, v in raw.items() if "/generator/sdkgen/" in k[0]]
    if ours:
        lines.append("  sdkgen functions by cumulative time (callees included):")
    shown = 0
    for key, (_, nc, _, ct, _) in sorted(ours, key=lambda kv: -kv[1][3]):
        if ct / total > 0.97:
            continue  # the command itself
        lines.append(f"    {ct / total:6.1%}  {ct:7.2f} s  {nc:>9} calls  {label(key)}")
        shown += 1
        if shown >= top + 5:
            break
    return "\n".join(lines)


# --------------------------------------------------------------------------- generation and rebuild


class StageTimer:
    """Wraps the pipeline's stage functions and subprocess.run; accumulates wall time per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.order: list[str] = []
        self._undo: list[Callable[[], None]] = []

    def wrap(self, module: Any, name: str, stage: str) -> None:
        original = getattr(module, name, None)
        if original is None:
            return

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                result = original(*args, **kwargs)
            finally:
                self._add(stage, time.perf_counter() - started)
            if name == "get_emitter" and callable(result):  # time the emitter, not the lookup
                emitter = result

                def emit(*a: Any, **k: Any) -> Any:
                    t = time.perf_counter()
                    try:
                        return emitter(*a, **k)
                    finally:
                        self._add("  emitter (templates, code)", time.perf_counter() - t)

                return emit
            return result

        setattr(module, name, timed)
        self._undo.append(lambda: setattr(module, name, original))

    def _add(self, stage: str, seconds: float) -> None:
        if stage not in self.seconds:
            self.order.append(stage)
        self.seconds[stage] += seconds

    def wrap_subprocess(self) -> None:
        original = subprocess.run

        def run(args: Any, *a: Any, **k: Any) -> Any:
            argv = [str(x) for x in args] if isinstance(args, list | tuple) else [str(args)]
            name = Path(argv[0]).name
            sub = next((x for x in argv[1:] if not x.startswith("-")), "")
            started = time.perf_counter()
            try:
                return original(args, *a, **k)
            finally:
                self._add(f"    subprocess: {name} {sub}".rstrip(), time.perf_counter() - started)

        subprocess.run = run  # type: ignore[assignment]
        self._undo.append(lambda: setattr(subprocess, "run", original))

    def undo(self) -> None:
        for undo in reversed(self._undo):
            undo()


def _run_cli(argv: list[str]) -> None:
    from sdkgen import cli

    sys.argv = ["sdkgen", *argv]
    try:
        cli.main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def profile_command(argv: list[str], title: str) -> str:
    """The stage table (no profiler) and the cProfile report of one sdkgen command, in this process."""
    import sdkgen.cli
    import sdkgen.fingerprint
    import sdkgen.pipeline
    import sdkgen.write

    timer = StageTimer()
    pipeline = sdkgen.pipeline
    timer.wrap(pipeline, "load_spec", "load (read, bundle, validate)")
    timer.wrap(pipeline, "build_api", "IR (build_api)")
    timer.wrap(pipeline, "emit", "emit + format + hash (pipeline.emit)")
    timer.wrap(pipeline, "get_emitter", "  emitter lookup")
    timer.wrap(pipeline, "format_python", "  format_python (asks for it; ruff runs where files are written)")
    timer.wrap(pipeline, "_stamp", "  manifest keys (generator, input files)")
    timer.wrap(pipeline, "write_tree", "write_tree (files, ruff format in place, manifest, swap)")
    timer.wrap(sdkgen.fingerprint, "target_up_to_date", "up_to_date (hash the listed inputs and every output)")
    timer.wrap_subprocess()
    started = time.perf_counter()
    try:
        _run_cli(argv)
    finally:
        timer.undo()
    wall = time.perf_counter() - started
    lines = [f"{title}: {wall:.2f} s in-process without profiler (interpreter start and imports not included)"]
    lines.append("  stage                                         seconds   share")
    accounted = 0.0
    for stage in timer.order:
        seconds = timer.seconds[stage]
        if not stage.startswith("  "):
            accounted += seconds
        if seconds >= 0.005:
            lines.append(f"  {stage:44} {seconds:8.2f}  {seconds / wall:6.1%}")
    lines.append(
        f"  {'rest (CLI, diagnostics printing, ...)':44} {wall - accounted:8.2f}  {(wall - accounted) / wall:6.1%}"
    )

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        _run_cli(argv)
    finally:
        profiler.disable()
    lines.append(report(pstats.Stats(profiler), "  cProfile of the same command"))
    return "\n".join(lines)


# --------------------------------------------------------------------------- runtime and parsing


def profile_runtime(base: str, n: int) -> str:
    import asyncio

    import platform_sdk

    reports = []
    with platform_sdk.Client(base_url=base) as client:
        for _ in range(200):
            client.experts.list()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            client.experts.list()
        profiler.disable()
    reports.append(report(pstats.Stats(profiler), f"platform_sdk sync experts.list() x {n} against {base}", top=20))

    async def run_async() -> cProfile.Profile:
        async with platform_sdk.AsyncClient(base_url=base) as client:
            for _ in range(200):
                await client.experts.list()
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(n):
                await client.experts.list()
            profiler.disable()
            return profiler

    profiler = asyncio.run(run_async())
    reports.append(report(pstats.Stats(profiler), f"platform_sdk async experts.list() x {n} against {base}", top=20))
    return "\n\n".join(reports)


def profile_parse(root: str, body_path: str) -> str:
    import httpx

    sys.path.insert(0, root)
    import items_sdk._base_client as base
    from items_sdk.resources.items import _LIST

    body = Path(body_path).read_bytes()
    request = httpx.Request("GET", "http://127.0.0.1/items")

    def parse() -> Any:
        response = httpx.Response(200, content=body, headers={"content-type": "application/json"}, request=request)
        return base.parse_body(response, _LIST.response)

    items = parse()  # as the parse worker does, the previous result stays alive during the next parse
    with GCTimer() as collections:
        started = time.perf_counter()
        items = parse()
        deferred = [items]  # an allocation: runs any collection that came due while the collector was paused
        plain = time.perf_counter() - started
    del deferred
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        items = parse()
    profiler.disable()
    del items
    title = f"sdkgen items_sdk parse_body of 10,000 items ({plain * 1000:.0f} ms per parse without profiler)"
    gc_line = f"  cyclic GC inside that parse: {collections.summary(plain)}"
    return "\n".join([report(pstats.Stats(profiler), title, top=12), gc_line])


class GCTimer:
    """Collections of CPython's cyclic GC while the block runs, per generation, with their wall time.

    cProfile charges a collection to whatever C function allocated when it triggered (for a parse:
    pydantic-core's validate_json), so a profile alone cannot tell GC from parsing.
    """

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.count[info["generation"]] += 1
            self.seconds[info["generation"]] += time.perf_counter() - self._started

    def __enter__(self) -> GCTimer:
        import gc

        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc_info: object) -> None:
        import gc

        gc.callbacks.remove(self._callback)

    def summary(self, total: float) -> str:
        spent = sum(self.seconds)
        per_generation = ", ".join(
            f"{n} of gen {g} ({self.seconds[g] * 1000:.1f} ms)" for g, n in enumerate(self.count)
        )
        return f"{spent * 1000:.1f} ms = {spent / total:.0%} of the parse; {per_generation}"


# --------------------------------------------------------------------------- called by run.py


def _sub(python: Path, *args: str) -> str:
    done = subprocess.run([str(python), __file__, *args], capture_output=True, text=True)
    if done.returncode != 0:
        return f"(profile failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode})"
    return done.stdout.rstrip()


def profile_missed(bench: Any, verdicts: list[Any]) -> None:
    """Run the profiles that explain each missed target; print them after the table."""
    missed = [v.name for v in verdicts if not v.ok]
    if not missed:
        print("\nevery target met: nothing to profile")
        return
    sections: list[str] = []
    run = sys.modules["__main__"] if hasattr(sys.modules["__main__"], "ensure_parse_sdks") else __import__("run")
    github = str(run.SPECS["github"])
    if any(name.startswith("github:") for name in missed):
        for kind in ("python", "typescript"):
            sections.append(_sub(PROJECT_PYTHON, "generate", kind, github))
    if any("peak memory" in name for name in missed):
        sections.append("peak memory: see the stage table above; the largest process is named by the peak column")
    if any(name.startswith("runtime") for name in missed):
        server = run.start_server(bench, "canned")
        sections.append(_sub(PROJECT_PYTHON, "runtime", server.base))
        for cleanup in bench.cleanups:
            cleanup()
    if any(name.startswith("parse") for name in missed):
        paths = run.ensure_parse_sdks(bench)
        sections.append(_sub(bench.tools.python, "parse", str(paths["sdkgen"]), str(paths["body"])))
    if any(name.startswith("no-change rebuild") for name in missed):
        sections.append(_sub(PROJECT_PYTHON, "rebuild", str(run.ensure_rebuild_dir(bench) / "sdkgen.toml")))
    print("\nprofiles of the missed targets")
    for section in sections:
        print()
        print(section)


def main() -> None:
    command, *rest = sys.argv[1:]
    if command == "generate":
        kind, spec = rest[:2]
        with tempfile.TemporaryDirectory(prefix="sdkgen-profile-") as tmp:
            out = Path(tmp) / "out"
            package = "github_sdk" if kind != "typescript" else "github-sdk"
            argv = ["--quiet", "generate", kind, spec, "--out", str(out), "--package", package, "--force"]
            print(profile_command(argv, f"profile: sdkgen generate {kind} {Path(spec).name}"))
    elif command == "rebuild":
        config = Path(rest[0])
        os.chdir(config.parent)
        print(profile_command(["build", "--config", str(config)], "profile: sdkgen build, nothing changed"))
    elif command == "runtime":
        n = int(rest[rest.index("--n") + 1]) if "--n" in rest else 2000
        print(profile_runtime(rest[0], n))
    elif command == "parse":
        print(profile_parse(rest[0], rest[1]))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
