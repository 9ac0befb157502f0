"""The TypeScript fetch mock plugs into a generated TypeScript SDK (compiled with the project's pinned tsc)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
TSC = REPO / "node_modules" / ".bin" / "tsc"

CONSUMER = """
import { Client, NotFoundError } from "./sdk/src/index.js";
import { createMock } from "./mock/ts/mock.js";

const mock = createMock();
const client = new Client({ baseUrl: mock.baseUrl, bearerToken: "k", fetch: mock.fetch, maxRetries: 0 });
const room = await client.rooms.create({ name: "n", maxDurationSeconds: 600 });
mock.fail("getRoom", { status: 404 });
let notFound = false;
try {
  await client.rooms.get(room.roomId);
} catch (error) {
  notFound = error instanceof NotFoundError;
}
mock.respond("getRoom", { json: { ...room, status: "ended" } });
const again = await client.rooms.get(room.roomId);
console.log(JSON.stringify({
  roomId: room.roomId,
  notFound,
  status: again.status,
  sent: await mock.calls("createRoom")[0].json(),
  auth: mock.calls("createRoom")[0].headers.get("authorization"),
}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_fetch_mock_drives_the_generated_typescript_sdk(tmp_path: Path) -> None:
    if not TSC.exists():
        pytest.fail("the pinned typescript is missing: run `make test` (it runs npm ci) first")
    spec = REPO / "specs" / "third_party" / "vidiconnect.yaml"
    sdk, _ = generate(spec, "typescript", "vidi-sdk")
    write_tree(sdk, tmp_path / "sdk")
    mock, _ = generate(spec, "mocks", "vidi_mock")
    write_tree(mock, tmp_path / "mock")
    (tmp_path / "main.ts").write_text(CONSUMER, "utf-8")
    (tmp_path / "package.json").write_text('{"type": "module"}', "utf-8")
    compile_args = ["--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext"]
    compile_args += ["--lib", "es2022,dom", "--outDir", "out", "--skipLibCheck", "main.ts"]
    compiled = subprocess.run([str(TSC), *compile_args], cwd=tmp_path, capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    run = subprocess.run(["node", "out/main.js"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["roomId"].startswith("rm_")
    assert result["notFound"] is True
    assert result["status"] == "ended"
    assert result["sent"] == {"name": "n", "maxDurationSeconds": 600}
    assert result["auth"] == "Bearer k"
