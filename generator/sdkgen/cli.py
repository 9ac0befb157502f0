"""The `sdkgen` command line: build, generate, check. Diagnostics in, exit codes out.

Exit codes: 0 success; 1 lint findings only (check) or stale output (build --check);
2 the input is invalid or unreadable; 3 an internal error in sdkgen (please report).
"""

from __future__ import annotations

import contextlib
import enum
import functools
import os
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from sdkgen import __version__
from sdkgen.config import Config, Target, find_config, load_config
from sdkgen.diagnostics import Diagnostic, SpecError
from sdkgen.fingerprint import real_path
from sdkgen.write import GeneratedCodeError, WriteError

if TYPE_CHECKING:
    from sdkgen.pipeline import Analysis, Done, Job
    from sdkgen.write import Difference

# Nothing heavy at import time: `sdkgen build` with nothing to do must not pay for jinja2, pydantic,
# openapi-pydantic or the loader. They are imported where a spec is actually analysed.

app = typer.Typer(
    name="sdkgen",
    help="OpenAPI 3.0/3.1 → typed Python and TypeScript SDKs and FastAPI server stubs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)

EXIT_LINT = 1
EXIT_INVALID = 2
EXIT_INTERNAL = 3


class State:
    def __init__(self) -> None:
        self.quiet = False
        self.debug = False
        # set by `run`, which ends the process with os._exit: what a command analysed is then kept until that
        # exit (freeing GitHub's IR and document object by object took 0.08 s, for a process about to end)
        self.fast_exit = False
        self.kept: list[object] = []


state = State()
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class GenerateKind(enum.StrEnum):
    python = "python"
    typescript = "typescript"
    server = "server"
    mocks = "mocks"
    wrapper = "wrapper"


def _version(value: bool) -> None:
    if value:
        out.print(f"sdkgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """OpenAPI 3.0/3.1 → typed Python and TypeScript SDKs and FastAPI server stubs."""
    state.quiet = quiet
    state.debug = debug


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:  # `render()` already names the severity: file:line:col: error[code]: message
        if d.is_error:
            err.print(_escape(d.render()), style="red")
        elif not state.quiet:
            err.print(_escape(d.render()), style="yellow")


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def _fail(code: int, message: str) -> NoReturn:
    err.print(f"[bold red]error[/]: {_escape(message)}")
    raise typer.Exit(code)


@dataclass
class Failure:
    """A failure as a value: how to report it and its exit code (it may cross from a worker process)."""

    code: int
    message: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    location: str | None = None
    traceback: str = ""


def _describe(exc: Exception) -> Failure:
    """Classify an exception: invalid input (2) or a bug in sdkgen (3)."""
    if isinstance(exc, SpecError):
        return Failure(EXIT_INVALID, diagnostics=list(exc.diagnostics))
    emit, ir, parallel = (sys.modules.get(f"sdkgen.{name}") for name in ("emit", "ir", "parallel"))
    if isinstance(exc, GeneratedCodeError):
        return Failure(EXIT_INTERNAL, str(exc), traceback=_trace(exc))
    if isinstance(exc, WriteError) or (emit is not None and isinstance(exc, emit.EmitError)):
        return Failure(EXIT_INVALID, str(exc))
    if ir is not None and isinstance(exc, ir.InternalError):
        cause = exc.cause
        return Failure(
            EXIT_INTERNAL, f"{type(cause).__name__}: {cause}", location=exc.location, traceback=_trace(cause)
        )
    if parallel is not None and isinstance(exc, parallel.ChildError):
        return Failure(EXIT_INTERNAL, str(exc), traceback=exc.traceback_text)
    return Failure(EXIT_INTERNAL, f"{type(exc).__name__}: {exc}", traceback=_trace(exc))


def _trace(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def _report(failure: Failure, target: str | None = None) -> int:
    """Print a failure (of `target`, when several were made) and return its exit code."""
    if failure.diagnostics:
        print_diagnostics(failure.diagnostics)
        count = sum(1 for d in failure.diagnostics if d.is_error)
        what = "nothing was generated" if target is None else f"{target} was not generated"
        err.print(f"[bold red]{count} error(s)[/]; {_escape(what)}")
    elif failure.code == EXIT_INTERNAL:
        _report_internal(failure.message, failure.location, failure.traceback, target)
    else:
        err.print(f"[bold red]error[/]: {_escape((f'{target}: ' if target else '') + failure.message)}")
    return failure.code


@contextmanager
def _guarded() -> Iterator[None]:
    """Turn every failure into a message and an exit code; tracebacks only with --debug."""
    try:
        yield
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted; previous output left untouched")
        raise typer.Exit(130) from None
    except Exception as exc:
        raise typer.Exit(_report(_describe(exc))) from None


def _report_internal(message: str, location: str | None, trace: str, target: str | None = None) -> None:
    if state.debug and trace:
        sys.stderr.write(trace)
        sys.stderr.flush()
    where = f" while processing {location}" if location else ""
    if target:
        where += f" (target {target})"
    err.print(
        f"[bold red]internal error[/]{_escape(where)}: {_escape(message)}\n"
        "This is a bug in sdkgen; please report it with the spec (or the part of it named above)."
        + ("" if state.debug else " Run with --debug for the traceback.")
    )


def _progress(message: str) -> None:
    if not state.quiet:
        err.print(message)


@app.command()
def generate(
    kinds: Annotated[
        list[GenerateKind],
        typer.Argument(
            metavar="KIND",
            help="What to generate: one or more of python, typescript, server, mocks; or wrapper alone "
            "(SPEC is then a wrapper file). Several kinds share one analysis of SPEC and are written in parallel.",
            show_default=False,
        ),
    ],
    spec: Annotated[Path, typer.Argument(help="The OpenAPI spec (JSON or YAML).", metavar="SPEC", show_default=False)],
    out_dirs: Annotated[
        list[str],
        typer.Option(
            "--out",
            "-o",
            help="Output directory (replaced atomically). With several kinds, once per kind as KIND=DIR.",
            show_default=False,
        ),
    ],
    packages: Annotated[
        list[str],
        typer.Option(
            "--package",
            "-p",
            help="Package name of the generated code. With several kinds, KIND=NAME per kind, or one NAME for all.",
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option(help="Replace --out even if sdkgen did not create it.")] = False,
) -> None:
    """Generate one target from any spec, into --out; or several kinds from one spec at once.

    sdkgen generate python SPEC --out DIR --package NAME

    sdkgen generate python typescript SPEC --out python=DIR --out typescript=DIR
    --package python=NAME --package typescript=NAME
    """
    with _guarded():
        started = time.monotonic()
        names = [k.value for k in kinds]
        if len(set(names)) != len(names):
            _fail(EXIT_INVALID, f"a kind is given twice: {' '.join(names)}")
        if "wrapper" in names and len(names) > 1:
            _fail(EXIT_INVALID, "wrapper cannot be combined with other kinds (its SPEC is a wrapper file)")
        outs = _per_kind("--out", out_dirs, names, shared=False)
        if len({Path(out).resolve() for out in outs.values()}) != len(outs):
            _fail(EXIT_INVALID, "two kinds cannot be written to the same --out directory")
        names_of = _per_kind("--package", packages, names, shared=True)
        from sdkgen.pipeline import Job

        jobs = [Job(kind, kind, spec, Path(outs[kind]), names_of[kind]) for kind in names]
        analyses: dict[Path, Analysis] = {}
        if names != ["wrapper"]:
            with _status(f"analysing {spec}"):
                analyses = _analyse([spec])
        single = len(jobs) == 1
        with _status(f"generating {names[0]} from {spec}") if single else _nothing():
            results = _produce(jobs, analyses, check=False, force=force)
        code = 0
        for job, result in zip(jobs, results, strict=True):
            if isinstance(result, Failure):
                code = code or _report(result, None if single else job.label)
                continue
            seconds = time.monotonic() - started if single else result.seconds
            prefix = "" if single else f"{job.label}: "
            _progress(f"{prefix}wrote {result.files} files to {_escape(str(job.out))} in {seconds:.2f}s")
        if not single:
            _summary(jobs, results, "written", started)
        if code:
            raise typer.Exit(code)


def _per_kind(option: str, values: list[str], kinds: list[str], *, shared: bool) -> dict[str, str]:
    """`--out DIR` / `--out KIND=DIR` values by kind. One plain value serves a single kind (or all, if `shared`)."""
    known = {k.value for k in GenerateKind}
    placeholder = "DIR" if option == "--out" else "NAME"
    qualified: dict[str, str] = {}
    plain: list[str] = []
    for value in values:
        kind, equals, rest = value.partition("=")
        if not equals or kind not in known:
            plain.append(value)
        elif kind not in kinds:
            _fail(EXIT_INVALID, f"{option} {value}: {kind} is not one of the kinds being generated")
        elif kind in qualified:
            _fail(EXIT_INVALID, f"{option} is given twice for {kind}")
        else:
            qualified[kind] = rest
    if len(plain) > 1 or (plain and len(kinds) > 1 and not shared):
        _fail(EXIT_INVALID, f"with several kinds, give {option} KIND={placeholder} once per kind")
    result: dict[str, str] = {}
    for kind in kinds:
        value = qualified.get(kind, plain[0] if plain else "")
        if not value:
            _fail(EXIT_INVALID, f"no {option} for {kind}: add {option} {kind}=...")
        result[kind] = value
    return result


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _analyse(specs: list[Path]) -> dict[Path, Analysis]:
    """Each distinct spec analysed once (by resolved path); warnings printed once per spec."""
    from sdkgen.pipeline import analyse

    analyses: dict[Path, Analysis] = {}
    for spec in specs:
        key = real_path(spec)
        if key not in analyses:
            analyses[key] = analyse(spec)
            print_diagnostics(analyses[key].diagnostics)
    if state.fast_exit:
        state.kept.append(analyses)
    return analyses


def _produce(jobs: list[Job], analyses: dict[Path, Analysis], *, check: bool, force: bool) -> list[Done | Failure]:
    """Produce every job from the shared analyses: in parallel (forked workers) when there are several.

    A failing job does not stop the others; its failure comes back as a value, reported in job order.
    """
    from sdkgen.parallel import run_all
    from sdkgen.pipeline import produce

    def task(job: Job) -> Done | Failure:
        try:
            return produce(job, analyses.get(real_path(job.spec)), check=check, force=force)
        except Exception as exc:  # KeyboardInterrupt goes through: the whole command stops
            return _describe(exc)

    return run_all([functools.partial(task, job) for job in jobs])


def _summary(jobs: list[Job], results: list[Done | Failure], done: str, started: float) -> None:
    failed = [job.label for job, result in zip(jobs, results, strict=True) if isinstance(result, Failure)]
    if failed:
        others = [job.label for job in jobs if job.label not in failed]
        rest = f" ({done}: {', '.join(others)})" if others else ""
        err.print(f"[bold red]{len(failed)} of {len(jobs)} targets failed[/]: {_escape(', '.join(failed))}{rest}")
    else:
        _progress(f"{len(jobs)} targets in {time.monotonic() - started:.2f}s")


@app.command()
def check(
    specs: Annotated[list[Path], typer.Argument(help="Spec files to validate and lint.")],
) -> None:
    """Validate and lint specs: exit 0 clean, 1 warnings only, 2 invalid or unreadable."""
    from sdkgen.pipeline import analyse

    worst = 0
    for spec in specs:
        with _guarded():
            try:
                analysis = analyse(spec)
            except SpecError as exc:
                print_diagnostics(exc.diagnostics)
                worst = EXIT_INVALID
                continue
            print_diagnostics(analysis.diagnostics)
            if analysis.diagnostics:
                worst = max(worst, EXIT_LINT)
            elif not state.quiet:
                out.print(f"{spec}: ok ({len(analysis.api.operations)} operations, {len(analysis.api.models)} models)")
    raise typer.Exit(worst)


@app.command()
def build(
    check_only: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 and list files that are stale or missing.")
    ] = False,
    config: Annotated[Path | None, typer.Option(help="pyproject.toml or sdkgen.toml (default: found upwards).")] = None,
    target: Annotated[list[str] | None, typer.Option(help="Only these targets (by name or out dir).")] = None,
    force: Annotated[bool, typer.Option(help="Regenerate even when inputs are unchanged.")] = False,
) -> None:
    """Generate every target configured in [tool.sdkgen].

    Targets whose inputs and output are unchanged are skipped; targets sharing a spec share one analysis of it, and
    the targets to make are emitted and written in parallel (SDKGEN_JOBS=N caps the worker processes).
    """
    with _guarded():
        started = time.monotonic()
        path = config or find_config(Path.cwd())
        if path is None:
            _fail(EXIT_INVALID, "no sdkgen.toml or pyproject.toml with [tool.sdkgen] found here or above")
        cfg = load_config(path)
        targets = [t for t in cfg.targets if not target or t.label in target or t.out in target]
        if not targets:
            _fail(EXIT_INVALID, "no targets configured" if not target else f"no target named {', '.join(target)}")
        outs = [cfg.out_path(t).resolve() for t in targets]
        if len(set(outs)) != len(outs):
            twice = sorted({t.label for t, out in zip(targets, outs, strict=True) if outs.count(out) > 1})
            _fail(EXIT_INVALID, f"targets {', '.join(twice)} have the same out directory")
        # --check always regenerates and compares: the hash shortcut is for speed, CI wants proof
        todo = targets if check_only or force else [t for t in targets if not _up_to_date(cfg, t)]
        if not todo:
            return
        from sdkgen.pipeline import Job

        jobs = [Job(t.label, t.kind, cfg.spec_path(t), cfg.out_path(t), t.package, t.options) for t in todo]
        specs = sorted({t.spec for t in todo if t.kind != "wrapper"})
        with _status(f"analysing {', '.join(specs)}") if specs else _nothing():
            analyses = _analyse([job.spec for job in jobs if job.kind != "wrapper"])
        with _status(f"{jobs[0].label}: generating {jobs[0].kind}") if len(jobs) == 1 else _nothing():
            results = _produce(jobs, analyses, check=check_only, force=force)
        code, stale = 0, False
        for job, result in zip(jobs, results, strict=True):
            if isinstance(result, Failure):
                code = code or _report(result, job.label)
            elif result.difference is not None:
                stale |= _print_difference(job, result.difference)
            else:
                _progress(f"{job.label}: wrote {result.files} files in {result.seconds:.2f}s")
        if code:
            if len(jobs) > 1:
                _summary(jobs, results, "checked" if check_only else "written", started)
            raise typer.Exit(code)
        if check_only and stale:
            err.print("generated output is stale: run `sdkgen build` and commit the result")
            raise typer.Exit(EXIT_LINT)


def _up_to_date(cfg: Config, target: Target) -> bool:
    from sdkgen.fingerprint import target_up_to_date

    started = time.monotonic()
    fresh = target_up_to_date(cfg.spec_path(target), target.kind, target.package, target.options, cfg.out_path(target))
    if fresh:
        _progress(f"{target.label}: up to date ({time.monotonic() - started:.2f}s)")
    return fresh


def _print_difference(job: Job, diff: Difference) -> bool:
    from sdkgen.load.source import display_path

    for label, paths in (("stale", diff.stale), ("missing", diff.missing), ("not generated", diff.extra)):
        for p in paths:
            err.print(f"  {label}: {_escape(display_path(job.out / p))}")
    if diff.clean:
        _progress(f"{job.label}: up to date")
    return not diff.clean


@app.command()
def publish(
    repository_url: Annotated[
        str | None,
        typer.Option(
            help="PyPI-compatible upload URL; credentials from TWINE_USERNAME (default __token__) and TWINE_PASSWORD."
        ),
    ] = None,
    index_url: Annotated[
        str | None,
        typer.Option(
            help="The index's PEP 503 simple URL, to find existing versions (default: beside the upload URL)."
        ),
    ] = None,
    npm_registry: Annotated[str | None, typer.Option(help="npm registry URL; token from NPM_TOKEN.")] = None,
    version: Annotated[
        str | None,
        typer.Option("--version", help="Publish this version (regenerates); default: the spec's or config's."),
    ] = None,
    dist: Annotated[
        Path | None, typer.Option(help="Where the packages are built (default: dist/ beside the config).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Build and check; upload nothing.")] = False,
    config: Annotated[Path | None, typer.Option(help="pyproject.toml or sdkgen.toml (default: found upwards).")] = None,
    target: Annotated[
        list[str] | None, typer.Option(help="Only these targets (default: every python and typescript).")
    ] = None,
) -> None:
    """Build the Python and TypeScript SDKs (sdist + wheel, npm pack), check them and upload them.

    A version the index or registry already has is refused (exit 2), as is any failed step.

    Credentials come from the environment and never appear in the output.
    """
    from sdkgen.load.source import display_path
    from sdkgen.publish import PublishError, PublishOptions, publishable_targets
    from sdkgen.publish import publish as run

    with _guarded():
        path = config or find_config(Path.cwd())
        if path is None:
            _fail(EXIT_INVALID, "no sdkgen.toml or pyproject.toml with [tool.sdkgen] found here or above")
        cfg = load_config(path)
        options = PublishOptions(
            dist=dist or cfg.root / "dist",
            version=version,
            repository_url=repository_url,
            index_url=index_url,
            npm_registry=npm_registry,
            dry_run=dry_run,
        )
        started = time.monotonic()
        try:
            packages = run(cfg, publishable_targets(cfg, target), options, lambda line: _progress(_escape(line)))
        except PublishError as exc:
            _fail(EXIT_INVALID, str(exc))
        for package in packages:
            files = ", ".join(display_path(a) for a in package.artifacts)
            where = f"published to {package.uploaded_to}" if package.uploaded_to else "built and checked (dry run)"
            _progress(_escape(f"{package.target.label}: {package.name} {package.version} {where}: {files}"))
        _progress(f"done in {time.monotonic() - started:.1f}s" + ("; nothing was uploaded" if dry_run else ""))


@contextmanager
def _status(message: str) -> Iterator[None]:
    if state.quiet or not err.is_terminal:
        yield
        return
    with err.status(message):
        yield


def main() -> None:
    """The `sdkgen` command. Outside a command's own guard, typer.Exit is just an exception: exit here."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except BaseException as exc:  # a failure outside a command's guard (typer, a new command): still our bug
        _report_internal(f"{type(exc).__name__}: {exc}", None, _trace(exc))
        sys.exit(EXIT_INTERNAL)


def run() -> NoReturn:
    """The `sdkgen` console script: `main`, then leave at once instead of tearing the interpreter down.

    After a big spec the process holds hundreds of megabytes of objects (the loaded document, the IR);
    freeing them one by one on the way out took 0.1-0.15 s of a 3.5 s run on GitHub's spec, and buys
    nothing. Output is flushed first; sdkgen registers no exit handlers (mypy's fast exit does the same).
    """
    state.fast_exit = True
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):  # sys.exit("message"), as the interpreter would print it
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`sdkgen ... | head`): nothing to say there
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


if __name__ == "__main__":  # pragma: no cover
    run()
