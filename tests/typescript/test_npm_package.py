"""The platform SDK as a consumer gets it: `npm run build`, `npm pack`, install the tarball, compile and run."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from ts_support import NODE, ROOT, generate_sdk, node_env, requires_node, tsc, write_json

pytestmark = requires_node

CONSUMER = """\
import { APIError, Client, NotFoundError, Page, type ExpertsListParams, type models } from "@platform/sdk";

const expert = { id: "e1", display_name: "Dr. Kim", category: "lawyer" };
const client = new Client({
  bearerToken: "token",
  maxRetries: 0,
  fetch: async (url: string, init: RequestInit) => {
    const authorized = new Headers(init.headers).get("authorization") === "Bearer token";
    if (!authorized && !url.includes("/experts?")) {
      return new Response(JSON.stringify({ title: "Unauthorized" }), { status: 401 });
    }
    if (url.endsWith("/experts/missing")) {
      return new Response(JSON.stringify({ title: "Not Found" }), { status: 404 });
    }
    if (url.includes("/experts?")) {
      return new Response(JSON.stringify({ data: [expert], next_cursor: null }), { status: 200 });
    }
    return new Response(JSON.stringify(expert), { status: 200, headers: { "x-request-id": "req_1" } });
  },
});

const found: models.Expert = await client.experts.get("e1");
const { data, response } = await client.experts.get("e1").withResponse();
const params: ExpertsListParams = { limit: 10 };
const page: Page<models.Expert, models.ExpertPage> = await client.experts.list(params);
const names: string[] = [];
for await (const item of client.experts.list(params)) {
  names.push(item.display_name);
}
let status = 0;
try {
  await client.experts.get("missing");
} catch (error) {
  if (error instanceof NotFoundError && error instanceof APIError) {
    status = error.status;
  }
}
const requestId = response.headers.get("x-request-id");
console.log(JSON.stringify([found.id, data.id, requestId, page.items.length, names, status]));
"""


def _run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=node_env(), timeout=600)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_packed_sdk_installs_compiles_and_runs_in_an_empty_project(tmp_path: Path) -> None:
    npm = shutil.which("npm")
    assert npm is not None and NODE is not None
    sdk = generate_sdk(ROOT / "specs" / "platform" / "openapi.yaml", tmp_path / "sdk", "@platform/sdk")
    _run([npm, "run", "build"], sdk)
    assert (sdk / "dist" / "index.js").is_file() and (sdk / "dist" / "index.d.ts").is_file()
    packed = json.loads(_run([npm, "pack", "--json", "--ignore-scripts", "--pack-destination", str(tmp_path)], sdk))
    tarball = tmp_path / packed[0]["filename"]
    shipped = {f["path"] for f in packed[0]["files"]}
    assert {"package.json", "README.md", "dist/index.js", "dist/index.d.ts", "dist/models.d.ts"} <= shipped

    consumer = tmp_path / "consumer"
    consumer.mkdir()
    write_json(consumer / "package.json", {"name": "consumer", "private": True, "type": "module"})
    _run([npm, "install", "--offline", "--no-package-lock", str(tarball)], consumer)
    installed = json.loads((consumer / "node_modules" / "@platform" / "sdk" / "package.json").read_text())
    assert installed.get("dependencies") is None
    (consumer / "main.ts").write_text(CONSUMER)
    result = tsc(
        *("--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022"),
        *("--lib", "es2022,dom,dom.iterable", "main.ts"),
        cwd=consumer,
    )
    assert result.returncode == 0, result.stdout
    output = _run([NODE, "main.js"], consumer)
    assert json.loads(output) == ["e1", "e1", "req_1", 1, ["Dr. Kim"], 404]
