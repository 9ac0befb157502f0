"""`sdkgen build` with nothing changed: decided from the manifest by hashing bytes, without parsing any spec.

Every input that decides the output must still be noticed: a spec file reached only through an
external $ref, a file newly referenced, a setting, sdkgen's own code, and a hand edit of the output.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sdkgen import fingerprint
from sdkgen.write import MANIFEST

from .conftest import SPECS, Cli, run_sdkgen, tree, write

CONFIG = """
[[targets]]
name = "multi"
kind = "python"
spec = "specs/multi/openapi.yaml"
out = "generated/multi"
package = "multi_sdk"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose spec is split over several files (external $refs, nested directories)."""
    shutil.copytree(SPECS / "multi", tmp_path / "specs" / "multi")
    write(tmp_path / "sdkgen.toml", CONFIG)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def built(cli: Cli, *args: str) -> bool:
    """Build; True when the target was regenerated, False when it was found up to date."""
    result = cli("build", *args)
    assert result.exit_code == 0, result
    assert ("multi: wrote" in result.stderr) != ("multi: up to date" in result.stderr), result.stderr
    return "multi: wrote" in result.stderr


def manifest(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / "generated" / "multi" / MANIFEST).read_text())
    return data


def test_the_manifest_records_every_input_file_relative_to_the_spec_with_its_hash(cli: Cli, project: Path) -> None:
    assert built(cli)
    sources = manifest(project)["sources"]
    assert sorted(sources) == [
        "common.yaml",
        "openapi.yaml",
        "paths/experts.yaml",
        "schemas/expert.yaml",
        "schemas/nested/address.yaml",
    ]
    spec_dir = project / "specs" / "multi"
    assert all(fingerprint.file_digest(spec_dir / name) == digest for name, digest in sources.items())


def test_a_build_with_nothing_changed_regenerates_nothing(cli: Cli, project: Path) -> None:
    assert built(cli)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (project / "generated").rglob("*") if p.is_file()}
    assert not built(cli)
    assert not built(cli)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (project / "generated").rglob("*") if p.is_file()}
    assert after == before


def test_a_changed_file_reached_only_through_an_external_ref_regenerates(cli: Cli, project: Path) -> None:
    assert built(cli)
    address = project / "specs" / "multi" / "schemas" / "nested" / "address.yaml"
    address.write_text(address.read_text() + "  postcode:\n    type: string\n")
    assert built(cli)
    assert "postcode" in "".join(p.read_text() for p in (project / "generated" / "multi").rglob("*.py"))
    assert not built(cli)


def test_a_newly_referenced_file_is_an_input_from_then_on(cli: Cli, project: Path) -> None:
    assert built(cli)
    spec_dir = project / "specs" / "multi"
    write(spec_dir / "schemas" / "extra.yaml", "type: object\nproperties:\n  note: {type: string}\n")
    assert not built(cli)  # not referenced yet: not an input
    root = spec_dir / "openapi.yaml"
    root.write_text(root.read_text() + "    Extra:\n      $ref: 'schemas/extra.yaml'\n")
    assert built(cli)
    assert "schemas/extra.yaml" in manifest(project)["sources"]
    write(spec_dir / "schemas" / "extra.yaml", "type: object\nproperties:\n  remark: {type: string}\n")
    assert built(cli)


def test_a_deleted_input_file_regenerates_and_reports_the_broken_ref(cli: Cli, project: Path) -> None:
    assert built(cli)
    (project / "specs" / "multi" / "schemas" / "nested" / "address.yaml").unlink()
    result = cli("build")
    assert result.exit_code == 2
    assert "address.yaml" in result.stderr


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda text: text.replace('package = "multi_sdk"', 'package = "other_sdk"'), id="package"),
        pytest.param(lambda text: text + 'options = { version = "2.0.0" }\n', id="options"),
    ],
)
def test_a_changed_setting_regenerates(cli: Cli, project: Path, edit: Any) -> None:
    assert built(cli)
    config = project / "sdkgen.toml"
    config.write_text(edit(config.read_text()))
    assert built(cli)
    assert not built(cli)


def test_a_change_to_sdkgen_itself_regenerates(cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert built(cli)
    monkeypatch.setattr(fingerprint, "code_hash", lambda: "a different sdkgen")
    assert built(cli)
    assert not built(cli)


def test_a_hand_edited_generated_file_is_regenerated(cli: Cli, project: Path) -> None:
    assert built(cli)
    out = project / "generated" / "multi"
    before = tree(out)
    edited = out / "multi_sdk" / "__init__.py"
    edited.write_bytes(edited.read_bytes() + b"# edited by hand\n")
    assert built(cli)
    assert tree(out) == before


def test_a_deleted_generated_file_is_regenerated(cli: Cli, project: Path) -> None:
    assert built(cli)
    out = project / "generated" / "multi"
    before = tree(out)
    next(p for p in sorted(out.rglob("*.py"))).unlink()
    assert built(cli)
    assert tree(out) == before


def test_a_manifest_of_an_older_sdkgen_regenerates(cli: Cli, project: Path) -> None:
    assert built(cli)
    path = project / "generated" / "multi" / MANIFEST
    data = json.loads(path.read_text())
    del data["sources"], data["generator"]
    path.write_text(json.dumps(data))
    assert built(cli)


def test_a_file_with_a_byte_order_mark_hashes_as_the_loader_reads_it(tmp_path: Path) -> None:
    text = "openapi: 3.0.3\ninfo: {title: Ü, version: '1'}\n"
    path = tmp_path / "spec.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert fingerprint.file_digest(path) == fingerprint.text_digest(text)


NO_HEAVY_IMPORTS = """
import sys
from sdkgen.cli import main

sys.argv = ["sdkgen", "--quiet", "build"]
try:
    main()
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
heavy = sorted(
    name for name in sys.modules
    if name.split(".")[0] in ("jinja2", "openapi_pydantic", "httpx", "yaml")
    or name.startswith(("sdkgen.load", "sdkgen.ir", "sdkgen.emit", "sdkgen.pipeline"))
)
print(" ".join(heavy))
"""


def test_a_no_change_build_imports_no_loader_emitter_or_template_engine(project: Path) -> None:
    assert run_sdkgen("build", cwd=project).returncode == 0  # a fresh process: sdkgen's code as it is now
    script = write(project / "probe.py", textwrap.dedent(NO_HEAVY_IMPORTS))
    result = subprocess.run([sys.executable, str(script)], cwd=project, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_a_no_change_build_in_a_real_process_says_up_to_date(project: Path) -> None:
    assert run_sdkgen("build", cwd=project).returncode == 0
    result = run_sdkgen("build", cwd=project)
    assert result.returncode == 0
    assert "multi: up to date" in result.stderr
