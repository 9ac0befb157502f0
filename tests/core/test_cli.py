"""The command line: build, build --check, generate, check, global options, help, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sdkgen import __version__
from sdkgen.write import MANIFEST

from .conftest import BROKEN, SPECS, Cli, run_sdkgen, tree, write

SDKGEN_TOML = """
[[targets]]
name = "pets"
kind = "python"
spec = "specs/petstore.yaml"
out = "generated/pets"
package = "pets"
"""

PYPROJECT_TOML = """
[project]
name = "someone-elses-project"
version = "1.0.0"

[[tool.sdkgen.targets]]
kind = "python"
spec = "specs/petstore.yaml"
out = "generated/pets"
package = "pets"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with sdkgen.toml and one spec, as the working directory."""
    (tmp_path / "specs").mkdir()
    shutil.copy(SPECS / "petstore-30.yaml", tmp_path / "specs" / "petstore.yaml")
    write(tmp_path / "sdkgen.toml", SDKGEN_TOML)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------------------- global options and help


def test_version_prints_the_package_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"sdkgen {__version__}"


def test_version_of_the_installed_command() -> None:
    result = run_sdkgen("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"sdkgen {__version__}")


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ([], "OpenAPI 3.0/3.1"),
        (["build"], "Generate every target configured in [tool.sdkgen]."),  # brackets are no markup
        (["generate"], "Generate one target from any spec"),
        (["check"], "Validate and lint specs"),
        (["publish"], "A version the index or registry already has is refused"),
    ],
)
def test_every_command_has_help(cli: Cli, command: list[str], says: str) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert says in result.stdout
    assert "--help" in result.stdout


def test_help_paragraphs_are_rewrapped_not_cut_where_the_docstring_wraps(cli: Cli) -> None:
    text = " ".join(cli("build", "--help").stdout.split())
    assert "share one analysis of it, and the targets to make are emitted" in text
    assert not any(line.rstrip().endswith(", and") for line in cli("build", "--help").stdout.splitlines())


def test_help_lists_the_global_options_and_commands(cli: Cli) -> None:
    text = cli("--help").stdout
    for word in ("--quiet", "--debug", "--version", "build", "generate", "check"):
        assert word in text


def test_quiet_before_the_command_hides_warnings_but_keeps_the_exit_code(cli: Cli) -> None:
    loud = cli("check", SPECS / "unrepresentable.yaml")
    quiet = cli("--quiet", "check", SPECS / "unrepresentable.yaml")
    assert loud.exit_code == quiet.exit_code == 1
    assert "warning[" in loud.stderr
    assert "warning[" not in quiet.output
    assert "ok (" not in quiet.output


def test_quiet_still_prints_errors(cli: Cli) -> None:
    result = cli("-q", "check", BROKEN / "unresolved-internal-ref.yaml")
    assert result.exit_code == 2
    assert "error[unresolved-ref]" in result.stderr


# ---------------------------------------------------------------------------- check


def test_check_of_a_clean_spec_exits_0_and_says_what_it_found(cli: Cli) -> None:
    result = cli("check", SPECS / "petstore-30.yaml")
    assert result.exit_code == 0, result
    assert "ok (3 operations, 3 models)" in result.stdout
    assert result.stderr == ""


def test_check_with_warnings_only_exits_1(cli: Cli) -> None:
    result = cli("check", SPECS / "unrepresentable.yaml")
    assert result.exit_code == 1
    assert "unrepresentable.yaml:" in result.stderr
    assert "error[" not in result.stderr


def test_check_of_an_invalid_spec_exits_2(cli: Cli) -> None:
    assert cli("check", BROKEN / "missing-info.yaml").exit_code == 2


def test_check_of_several_specs_exits_with_the_worst_and_reports_each(cli: Cli) -> None:
    result = cli("check", SPECS / "petstore-30.yaml", BROKEN / "openapi-4.yaml", SPECS / "unrepresentable.yaml")
    assert result.exit_code == 2
    assert "petstore-30.yaml: ok" in result.stdout
    assert "error[unsupported-version]" in result.stderr
    assert "warning[" in result.stderr


def test_check_exit_codes_of_the_real_process() -> None:
    clean = run_sdkgen("check", SPECS / "petstore-30.yaml")
    lint = run_sdkgen("check", SPECS / "unrepresentable.yaml")
    invalid = run_sdkgen("check", BROKEN / "does-not-exist.yaml")
    assert (clean.returncode, lint.returncode, invalid.returncode) == (0, 1, 2)
    for result in (clean, lint, invalid):
        assert "Traceback" not in result.stdout + result.stderr


def test_patterns_python_would_warn_about_print_no_warning(tmp_path: Path) -> None:
    """`[[:alpha:]]` (a POSIX class, which specs write) made Python's regex parser print a FutureWarning that
    showed sdkgen's own source lines among the command's output."""
    spec = tmp_path / "patterns.yaml"
    spec.write_text(
        """
openapi: 3.0.3
info: {title: Patterns, version: "1"}
paths:
  /words:
    get:
      operationId: listWords
      parameters:
        - {name: q, in: query, schema: {type: string, pattern: "^[[:alpha:]]+$", maxLength: 3}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string, pattern: "[[a-z]"}}}}
"""
    )
    checked = run_sdkgen("check", spec)
    outs = [f"--out={kind}={tmp_path / kind}" for kind in ("python", "server", "mocks")]
    generated = run_sdkgen("generate", "python", "server", "mocks", spec, *outs, "-p", "words")
    assert (checked.returncode, generated.returncode) == (0, 0), generated.stderr
    for result in (checked, generated):
        assert "Warning" not in result.stdout + result.stderr, result.stderr


# ---------------------------------------------------------------------------- generate


def test_generate_python_writes_a_package_and_its_manifest(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    result = cli("generate", "python", SPECS / "petstore-30.yaml", "--out", out, "--package", "pets")
    assert result.exit_code == 0, result
    assert (out / MANIFEST).is_file()
    assert (out / "pets" / "__init__.py").is_file()
    assert f"wrote {len(tree(out)) - 1} files" in result.stderr


def test_generate_with_a_bad_package_name_exits_2_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    result = cli("generate", "python", SPECS / "petstore-30.yaml", "--out", out, "--package", "9 lives")
    assert result.exit_code == 2
    assert "not a valid" in result.stderr
    assert not out.exists()


def test_generate_refuses_a_non_empty_directory_it_did_not_create(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handwritten"
    write(out / "notes.txt", "my notes")
    result = cli("generate", "python", SPECS / "petstore-30.yaml", "--out", out, "--package", "pets")
    assert result.exit_code == 2
    assert "was not generated by sdkgen" in result.stderr
    assert "--force" in result.stderr
    assert tree(out) == {"notes.txt": b"my notes"}


def test_generate_with_force_replaces_a_directory_it_did_not_create(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handwritten"
    write(out / "notes.txt", "my notes")
    result = cli("generate", "python", SPECS / "petstore-30.yaml", "--out", out, "--package", "pets", "--force")
    assert result.exit_code == 0, result
    assert not (out / "notes.txt").exists()
    assert (out / MANIFEST).is_file()


def test_generate_into_an_empty_directory_is_allowed(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert cli("generate", "python", SPECS / "petstore-30.yaml", "--out", out, "--package", "pets").exit_code == 0


def test_generate_where_a_file_blocks_the_path_is_a_clean_error(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "blocker", "a file, not a directory")
    result = cli("generate", "python", SPECS / "petstore-30.yaml", "--out", tmp_path / "blocker" / "sdk", "-p", "pets")
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert "internal error" not in result.stderr


# ---------------------------------------------------------------------------- build


def test_build_generates_every_target_of_sdkgen_toml(cli: Cli, project: Path) -> None:
    result = cli("build")
    assert result.exit_code == 0, result
    assert (project / "generated" / "pets" / "pets" / "__init__.py").is_file()
    assert "pets: wrote" in result.stderr


def test_build_reads_targets_from_pyproject_tool_sdkgen(cli: Cli, project: Path) -> None:
    (project / "sdkgen.toml").unlink()
    write(project / "pyproject.toml", PYPROJECT_TOML)
    result = cli("build")
    assert result.exit_code == 0, result
    assert (project / "generated" / "pets" / MANIFEST).is_file()


def test_build_finds_the_config_from_a_subdirectory(cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "specs" / "deeper").mkdir()
    monkeypatch.chdir(project / "specs" / "deeper")
    assert cli("build").exit_code == 0
    assert (project / "generated" / "pets" / MANIFEST).is_file()


def test_a_second_build_with_unchanged_inputs_is_up_to_date_and_changes_nothing(cli: Cli, project: Path) -> None:
    assert cli("build").exit_code == 0
    before = tree(project / "generated")
    result = cli("build")
    assert result.exit_code == 0
    assert "up to date" in result.stderr
    assert tree(project / "generated") == before


def test_build_check_after_build_exits_0(cli: Cli, project: Path) -> None:
    assert cli("build").exit_code == 0
    result = cli("build", "--check")
    assert result.exit_code == 0, result
    assert "stale" not in result.stderr


def test_build_check_before_any_build_exits_1_listing_missing_files_and_writes_nothing(cli: Cli, project: Path) -> None:
    result = cli("build", "--check")
    assert result.exit_code == 1
    assert f"missing: {Path('generated/pets/pets/__init__.py')}" in result.stderr
    assert "generated output is stale" in result.stderr
    assert not (project / "generated").exists()


def test_build_check_lists_stale_missing_and_extra_files_and_changes_nothing(cli: Cli, project: Path) -> None:
    assert cli("build").exit_code == 0
    out = project / "generated" / "pets"
    edited = out / "pets" / "__init__.py"
    edited.write_text(edited.read_text() + "# edited by hand\n")
    removed = next(p for p in sorted((out / "pets").rglob("*.py")) if p != edited)
    removed.unlink()
    write(out / "pets" / "stray.py", "x = 1\n")
    before = tree(out)
    result = cli("build", "--check")
    assert result.exit_code == 1
    assert f"stale: {Path('generated/pets/pets/__init__.py')}" in result.stderr
    assert f"missing: {removed.relative_to(project)}" in result.stderr
    assert f"not generated: {Path('generated/pets/pets/stray.py')}" in result.stderr
    assert tree(out) == before


def test_build_check_notices_a_changed_spec(cli: Cli, project: Path) -> None:
    assert cli("build").exit_code == 0
    spec = project / "specs" / "petstore.yaml"
    spec.write_text(spec.read_text().replace("title: Petstore", "title: Pet shop"))
    result = cli("build", "--check")
    assert result.exit_code == 1
    assert "stale:" in result.stderr


def test_build_check_exit_1_in_a_real_process(project: Path) -> None:
    result = run_sdkgen("build", "--check", cwd=project)
    assert result.returncode == 1
    assert "missing:" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_of_an_unknown_target_exits_2(cli: Cli, project: Path) -> None:
    result = cli("build", "--target", "nope")
    assert result.exit_code == 2
    assert "no target named nope" in result.stderr


def test_build_without_a_config_exits_2(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("build", "--config", tmp_path / "missing.toml")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_build_with_an_invalid_config_names_the_problem(cli: Cli, project: Path) -> None:
    write(project / "sdkgen.toml", SDKGEN_TOML.replace('kind = "python"', 'kind = "cobol"'))
    result = cli("build")
    assert result.exit_code == 2
    assert "sdkgen.toml" in result.stderr
    assert "targets.0.kind" in result.stderr


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("pyproject.toml", b'tool = "x"\n[tool.sdkgen\n', "invalid TOML"),
        ("pyproject.toml", b'tool = "sdkgen"\n# [tool.sdkgen]\n', "has no [tool.sdkgen] section"),
        ("pyproject.toml", b"[tool.sdkgen]\nname = '\xff'\n", "is not UTF-8 text"),
        (
            "sdkgen.toml",
            b'[[targets]]\nkind = "python"\nspec = "a.yaml"\nout = "o"\npackage = "p"\n'
            b'options = { version = 5, colour = "red" }\n',
            "options.version: Input should be a valid string",
        ),
        (
            "sdkgen.toml",
            b'[[targets]]\nkind = "python"\nspec = "a.yaml"\nout = "o"\npackage = "p"\noptions = { colour = "red" }\n',
            "options.colour: Unknown option",
        ),
        ("sdkgen.toml", b"[[targets]\n", "sdkgen.toml:1:"),
    ],
)
def test_a_broken_config_exits_2_with_a_message_never_a_traceback(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: bytes, expected: str
) -> None:
    (tmp_path / name).write_bytes(text)
    monkeypatch.chdir(tmp_path)
    result = cli("build", "--config", tmp_path / name)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr


def test_a_spec_behind_a_symlink_loop_is_an_unreadable_file_not_a_crash(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    result = cli("check", tmp_path / "a.yaml")
    assert result.exit_code == 2
    assert "error[unreadable-file]" in result.stderr


def test_build_with_a_broken_spec_exits_2_and_keeps_the_previous_output(cli: Cli, project: Path) -> None:
    assert cli("build").exit_code == 0
    before = tree(project / "generated")
    shutil.copy(BROKEN / "duplicate-key.yaml", project / "specs" / "petstore.yaml")
    result = cli("build")
    assert result.exit_code == 2
    assert "specs/petstore.yaml:11:5: error[duplicate-key]" in result.stderr
    assert tree(project / "generated") == before


# ---------------------------------------------------------------------------- internal errors


BUGGY_COMMAND = """
import sys

from sdkgen.cli import app, main


@app.command()
def boom() -> None:
    \"\"\"A command with a bug in it, to see how sdkgen reports its own bugs.\"\"\"
    raise KeyError("no such thing")


sys.argv[0] = "sdkgen"
main()
"""


def test_an_internal_error_asks_for_a_report_and_exits_3_without_a_traceback(tmp_path: Path) -> None:
    script = write(tmp_path / "buggy.py", textwrap.dedent(BUGGY_COMMAND))
    result = run_sdkgen_script(script, "boom")
    assert result.returncode == 3
    assert "internal error" in result.stderr
    assert "please report" in result.stderr
    assert "--debug" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback_of_an_internal_error(tmp_path: Path) -> None:
    script = write(tmp_path / "buggy.py", textwrap.dedent(BUGGY_COMMAND))
    result = run_sdkgen_script(script, "--debug", "boom")
    assert result.returncode == 3
    assert "Traceback" in result.stderr
    assert "KeyError" in result.stderr


def run_sdkgen_script(script: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_the_console_script_ends_at_once_but_only_after_all_its_output(tmp_path: Path, cli: Cli) -> None:
    """`sdkgen` leaves with os._exit (no teardown of a big IR): what it printed must all have arrived."""
    schemas = {f"Thing{n}": {"type": "object", "properties": {"odd": {"type": f"kind{n}"}}} for n in range(400)}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    path = tmp_path / "many-warnings.json"
    path.write_text(json.dumps(spec))
    buffered = {"PYTHONUNBUFFERED": ""}  # as for most users: output to a pipe waits in a buffer until flushed
    real = run_sdkgen("check", path, env=buffered)
    assert real.returncode == 1
    in_process = cli("check", path)
    assert real.stderr.count("warning[invalid-schema]") == 400
    assert real.stderr == in_process.stderr
    assert run_sdkgen("--help", env=buffered).stdout == cli("--help").stdout


def test_the_console_script_exits_with_the_code_and_message_of_a_system_exit(tmp_path: Path) -> None:
    script = write(
        tmp_path / "exits.py",
        textwrap.dedent(
            """
            import sys
            import sdkgen.cli as cli

            def leave() -> None:
                print("said before leaving")
                raise SystemExit(sys.argv[1] if not sys.argv[1].isdigit() else int(sys.argv[1]))

            cli.main = leave
            cli.run()
            """
        ),
    )
    for argument, code in (("0", 0), ("2", 2), ("stopped: a message", 1)):
        result = run_sdkgen_script(script, argument, env={"PYTHONUNBUFFERED": ""})
        assert result.returncode == code
        assert result.stdout == "said before leaving\n"
    assert result.stderr == "stopped: a message\n"
