"""The generated TypeScript SDK runs one journey against a running server (uvicorn on 127.0.0.1).

The SDK source and ts_journey.ts are compiled with the pinned tsc and run with node; the script pauses after
scheduling the consultation so the test can move the server's clock into the start window.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from marketplace.app import build
from reference_support import ADMIN_EMAIL, ADMIN_PASSWORD, SettableClock, running_uvicorn, settings_for

REPO = Path(__file__).resolve().parents[2]
SDK_SOURCE = REPO / "generated" / "typescript" / "src"
JOURNEY = Path(__file__).resolve().parent / "ts_journey.ts"
TSC = REPO / "node_modules" / ".bin" / "tsc"
TSC_FLAGS = [
    "--strict",
    "--target",
    "es2022",
    "--module",
    "nodenext",
    "--moduleResolution",
    "nodenext",
    "--lib",
    "es2022,dom",
    "--skipLibCheck",
    "--outDir",
    "out",
]


def _compile(workdir: Path) -> None:
    shutil.copytree(SDK_SOURCE, workdir / "sdk" / "src")
    shutil.copy(JOURNEY, workdir / "ts_journey.ts")
    (workdir / "package.json").write_text(json.dumps({"type": "module"}))
    result = subprocess.run(
        [str(TSC), *TSC_FLAGS, "ts_journey.ts"], cwd=workdir, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"tsc failed:\n{result.stdout}\n{result.stderr}"


def test_typescript_sdk_runs_the_journey(tmp_path: Path, database_url: str, clock: SettableClock) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the TypeScript SDK journey needs it")
    assert TSC.exists(), f"the pinned tsc is missing at {TSC} (run npm ci in the repository root)"
    _compile(tmp_path)

    server = build(settings_for(database_url, admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD), clock=clock)
    with running_uvicorn(server.app) as base_url:
        env = {**os.environ, "BASE_URL": base_url, "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD}
        env.pop("PLATFORM_SDK_BEARER_TOKEN", None)
        process = subprocess.Popen(
            [node, "out/ts_journey.js"],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        seen: list[str] = []
        try:
            # Until the script has scheduled the consultation (an hour ahead), then into the start window.
            for line in process.stdout:
                seen.append(line)
                if line.strip() == "SCHEDULED":
                    clock.advance(minutes=50)
                    break
            rest, _ = process.communicate(input="go\n", timeout=120)
        except BaseException:
            process.kill()
            process.wait()
            raise
    output = "".join(seen) + rest
    assert process.returncode == 0, f"the TypeScript journey failed:\n{output}"
    lines = [line for line in output.splitlines() if line.strip()]
    assert json.loads(lines[-1]) == {"consultation_status": "completed", "review_rating": 5}, output
