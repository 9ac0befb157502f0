"""Every kind of broken spec gives one clean, located diagnostic and exit code 2 (table: fixtures/broken)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from sdkgen.diagnostics import Diagnostic, SpecError
from sdkgen.pipeline import analyse

from .conftest import BROKEN, Cli, run_sdkgen

CASES: list[dict[str, Any]] = tomllib.loads((BROKEN / "expectations.toml").read_text("utf-8"))["case"]
_RENDERED = re.compile(
    r"^(?P<file>[^:]+)(:(?P<line>\d+)(:(?P<column>\d+))?)?: error\[(?P<code>[^\]]+)\]: (?P<rest>.*)$"
)


def _errors_of(spec: str) -> list[Diagnostic]:
    with pytest.raises(SpecError) as raised:
        analyse(Path(spec))
    return [d for d in raised.value.diagnostics if d.is_error]


def test_the_table_covers_at_least_fifteen_kinds_of_broken_spec() -> None:
    assert len({case["code"] for case in CASES}) >= 10
    assert len(CASES) >= 15
    listed = {case["file"] for case in CASES}
    on_disk = {p.name for p in BROKEN.iterdir() if p.name not in ("parts", "expectations.toml")}
    assert on_disk <= listed, f"fixtures without an expectation: {sorted(on_disk - listed)}"


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_broken_spec_reports_one_located_error(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    errors = _errors_of(case["file"])
    matching = [d for d in errors if d.code == case["code"]]
    assert len(matching) == 1, f"expected one {case['code']} error, got {[d.render() for d in errors]}"
    found = matching[0]
    assert found.location is not None
    assert found.location.file == case.get("where", case["file"])
    assert found.location.line == case.get("line"), found.render()
    if "pointer" in case:
        assert case["pointer"] in found.location.pointer, found.render()
    assert case["message"] in found.message
    assert len(errors) <= 2, "one problem, one message (plus the $ref that led to a broken file)"


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_check_prints_the_located_error_and_exits_2(
    case: dict[str, Any], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BROKEN)
    result = cli("check", case["file"])
    assert result.exit_code == 2, result
    assert "Traceback" not in result.output
    rendered = [m for m in map(_RENDERED.match, result.stderr.splitlines()) if m and m["code"] == case["code"]]
    assert len(rendered) == 1, result.stderr
    line = rendered[0]
    assert line["file"] == case.get("where", case["file"])
    assert line["line"] == (str(case["line"]) if "line" in case else None)
    if "pointer" in case:
        assert f"(at #{case['pointer']}" in line["rest"] or case["pointer"] in line["rest"]


def test_every_broken_spec_in_one_real_process_exits_2_without_a_traceback() -> None:
    result = run_sdkgen("check", *[case["file"] for case in CASES], cwd=BROKEN)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr
    for case in CASES:
        where = case.get("where", case["file"])
        expected = f"{where}:{case['line']}:" if "line" in case else f"{where}: error[{case['code']}]"
        assert expected in result.stderr, f"{case['file']}: {expected!r} not printed"


def test_generate_from_a_broken_spec_exits_2_and_writes_nothing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BROKEN)
    out = tmp_path / "out"
    result = cli("generate", "python", "duplicate-key.yaml", "--out", out, "--package", "pets")
    assert result.exit_code == 2
    assert "duplicate-key.yaml:11:5: error[duplicate-key]" in result.stderr
    assert "nothing was generated" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
