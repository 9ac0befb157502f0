"""The `sdkgen` command line: build, generate, check. Diagnostics in, exit codes out.

Exit codes: 0 success; 1 lint findings only (check) or stale output (build --check);
2 the input is invalid or unreadable; 3 an internal error in sdkgen (please report).
"""

from __future__ import annotations

import enum
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from sdkgen import __version__
from sdkgen.config import Config, Target, find_config, load_config
from sdkgen.diagnostics import Diagnostic, SpecError
from sdkgen.emit import EmitError
from sdkgen.ir import InternalError
from sdkgen.load.source import display_path
from sdkgen.write import WriteError, compare, up_to_date, write_tree

app = typer.Typer(
    name="sdkgen",
    help="OpenAPI 3.0/3.1 → typed Python and TypeScript SDKs and FastAPI server stubs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_LINT = 1
EXIT_INVALID = 2
EXIT_INTERNAL = 3


class State:
    quiet: bool = False
    debug: bool = False


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


@contextmanager
def _guarded() -> Iterator[None]:
    """Turn every failure into a message and an exit code; tracebacks only with --debug."""
    try:
        yield
    except typer.Exit:
        raise
    except SpecError as exc:
        print_diagnostics(exc.diagnostics)
        count = sum(1 for d in exc.diagnostics if d.is_error)
        err.print(f"[bold red]{count} error(s)[/]; nothing was generated")
        raise typer.Exit(EXIT_INVALID) from None
    except (EmitError, WriteError) as exc:
        _fail(EXIT_INVALID, str(exc))
    except KeyboardInterrupt:
        err.print("interrupted; previous output left untouched")
        raise typer.Exit(130) from None
    except InternalError as exc:
        _internal(exc.cause, exc.location)
    except Exception as exc:
        _internal(exc, None)


def _internal(exc: BaseException, location: str | None) -> NoReturn:
    _report_internal(exc, location)
    raise typer.Exit(EXIT_INTERNAL)


def _report_internal(exc: BaseException, location: str | None) -> None:
    if state.debug:
        traceback.print_exception(exc)
    where = f" while processing {location}" if location else ""
    err.print(
        f"[bold red]internal error[/]{_escape(where)}: {type(exc).__name__}: {_escape(str(exc))}\n"
        "This is a bug in sdkgen; please report it with the spec (or the part of it named above)."
        + ("" if state.debug else " Run with --debug for the traceback.")
    )


def _progress(message: str) -> None:
    if not state.quiet:
        err.print(message)


@app.command()
def generate(
    kind: Annotated[
        GenerateKind,
        typer.Argument(help="What to generate: python, typescript, server, mocks, or wrapper (SPEC: a wrapper file)."),
    ],
    spec: Annotated[Path, typer.Argument(help="The OpenAPI spec (JSON or YAML).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output directory (replaced atomically).")],
    package: Annotated[str, typer.Option("--package", "-p", help="Package name of the generated code.")],
    force: Annotated[bool, typer.Option(help="Replace --out even if sdkgen did not create it.")] = False,
) -> None:
    """Generate one target from any spec, into --out."""
    from sdkgen.pipeline import generate as run

    with _guarded():
        started = time.monotonic()
        with _status(f"generating {kind.value} from {spec}"):
            files, diagnostics = run(spec, kind.value, package)
        print_diagnostics(diagnostics)
        write_tree(files, out_dir, force=force)
        _progress(f"wrote {len(files.files)} files to {out_dir} in {time.monotonic() - started:.2f}s")


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
    """Generate every target configured in [tool.sdkgen]."""
    with _guarded():
        path = config or find_config(Path.cwd())
        if path is None:
            _fail(EXIT_INVALID, "no sdkgen.toml or pyproject.toml with [tool.sdkgen] found here or above")
        cfg = load_config(path)
        targets = [t for t in cfg.targets if not target or t.label in target or t.out in target]
        if not targets:
            _fail(EXIT_INVALID, "no targets configured" if not target else f"no target named {', '.join(target)}")
        stale = False
        for t in targets:
            stale |= _build_target(cfg, t, check_only, force)
        if check_only and stale:
            err.print("generated output is stale: run `sdkgen build` and commit the result")
            raise typer.Exit(EXIT_LINT)


def _build_target(cfg: Config, target: Target, check_only: bool, force: bool) -> bool:
    from sdkgen.pipeline import generate as run
    from sdkgen.pipeline import inputs_hash

    spec = cfg.spec_path(target)
    out_dir = cfg.out_path(target)
    started = time.monotonic()
    # --check always regenerates and compares: the hash shortcut is for speed, CI wants proof
    if (
        not force
        and not check_only
        and up_to_date(inputs_hash(spec, target.kind, target.package, target.options), out_dir)
    ):
        _progress(f"{target.label}: up to date ({time.monotonic() - started:.2f}s)")
        return False
    with _status(f"{target.label}: generating {target.kind} from {target.spec}"):
        files, diagnostics = run(spec, target.kind, target.package, target.options)
    print_diagnostics(diagnostics)
    if check_only:
        diff = compare(files, out_dir)
        for label, paths in (("stale", diff.stale), ("missing", diff.missing), ("not generated", diff.extra)):
            for p in paths:
                err.print(f"  {label}: {_escape(display_path(out_dir / p))}")
        if diff.clean:
            _progress(f"{target.label}: up to date")
        return not diff.clean
    write_tree(files, out_dir, force=force)
    _progress(f"{target.label}: wrote {len(files.files)} files in {time.monotonic() - started:.2f}s")
    return False


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
        _report_internal(exc, None)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    main()
