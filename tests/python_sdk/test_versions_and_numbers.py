"""What spec text becomes in packaging metadata and annotations: valid for pip, clean for ruff."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from sdkgen.emit import EmitError
from sdkgen.emit.python import pep440
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

SPEC = """
openapi: 3.0.3
info: {title: Numbers, version: "V 1.0.0"}
paths:
  /near:
    get:
      operationId: near
      tags: [places]
      parameters:
        - {name: lat, in: query, required: true, schema: {oneOf: [{type: number}, {type: integer}]}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  distance: {anyOf: [{type: integer}, {type: number}]}
"""


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1.0.0", "1.0.0"),
        ("V 1.0.0", "1.0.0"),
        ("v2", "2"),
        ("2021-06-01", "2021.6.1"),
        ("1.0.0-rc.1", "1.0.0rc1"),
        ("4.0.0 (beta)", "4.0.0"),
        ("latest", "0.0.0"),
    ],
)
def test_spec_versions_become_pep_440_versions(given: str, expected: str) -> None:
    assert pep440(given) == expected


def test_the_generated_package_is_installable_metadata_and_ruff_clean(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    for kind in ("python", "server"):
        files, _ = generate(spec, kind, "numbers")
        write_tree(files, tmp_path / kind)
        assert tomllib.loads((tmp_path / kind / "pyproject.toml").read_text())["project"]["version"] == "1.0.0"
    resource = (tmp_path / "python" / "numbers" / "resources" / "places.py").read_text()
    assert "lat: float," in resource  # int | float is float (PEP 484's numeric tower; ruff PYI041)
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=tmp_path / "python",
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    with pytest.raises(EmitError, match="not a PEP 440 version"):
        generate(spec, "python", "numbers", {"version": "one"})
