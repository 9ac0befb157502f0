"""SDK models named like builtins (`Warning`, `Exception`) are the models, wherever the module defines them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sdkgen.pipeline import generate
from sdkgen.write import write_tree

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "specs" / "builtin_names.yaml"


def test_a_model_named_like_a_builtin_is_the_model_not_the_builtin(tmp_path: Path) -> None:
    files, _ = generate(SPEC, "python", "builtins_sdk")
    write_tree(files, tmp_path / "out")
    code = """
from builtins_sdk.models import Check, Exception as ModelException, Warning as ModelWarning
check = Check.model_validate({"warnings": [{"code": "w1"}], "error": {"message": "m"}})
assert type(check.warnings[0]) is ModelWarning and check.warnings[0].code == "w1"
assert type(check.error) is ModelException and check.error.message == "m"
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "out", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
