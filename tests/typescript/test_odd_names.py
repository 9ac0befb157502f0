"""Wire names that are members of every JavaScript object (`__proto__`, `constructor`, `toString`, ...).

A tiny inline spec per case: the SDK must compile under `--strict`, send exactly what the caller
gave (never an inherited member), and keep `__proto__` a plain key instead of a prototype.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from ts_support import NODE, generate_sdk, requires_node, tsc

pytestmark = requires_node

OBJECT_MEMBERS = """\
openapi: 3.0.3
info: {title: Object members, version: "1"}
servers: [{url: "http://127.0.0.1:9"}]
security:
  - __proto__: []
  - toString: []
paths:
  "/a/{__proto__}/{models}":
    get:
      operationId: getThing
      parameters:
        - {name: __proto__, in: path, required: true, schema: {type: string}}
        - {name: models, in: path, required: true, schema: {type: string}}
        - {name: constructor, in: query, schema: {type: string}}
        - {name: toString, in: query, schema: {type: string}}
        - {name: __proto__, in: query, schema: {type: string}}
        - {name: hasOwnProperty, in: header, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
  "/b":
    post:
      operationId: postThing
      security: [{toString: []}]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                __proto__: {type: string}
                constructor: {type: string}
                valueOf: {type: integer}
      responses:
        "204": {description: none}
  "/c":
    get:
      operationId: listThings
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/Thing"}}
                  constructor: {type: string, description: the next cursor}
      x-sdkgen-pagination: {style: cursor, items: data, cursor_param: cursor, next_cursor: constructor}
components:
  securitySchemes:
    __proto__: {type: apiKey, in: header, name: X-Proto}
    toString: {type: http, scheme: bearer}
  schemas:
    Thing:
      type: object
      properties:
        __proto__: {type: string}
        constructor: {type: string}
"""

PROBE = """\
const sdk = await import("./sdk/dist/index.js");
const seen = [];
const answers = [];
const fetch = async (url, init) => {
  seen.push({ url, headers: init.headers, body: init.body ?? null });
  return new Response(JSON.stringify(answers.shift() ?? {}), { status: 200 });
};
const client = new sdk.Client({ apiKey: "k", bearerToken: "t", fetch, maxRetries: 0 });
await client.a.getThing("P", "M");
await client.a.getThing("P", "M", JSON.parse('{"__proto__": "q", "constructor": "c"}'));
await client.b.postThing(JSON.parse('{"__proto__": "x", "valueOf": 3}'));
await client.b.postThing();
answers.push({ data: [{ id: 1 }], constructor: "n" }, { data: [{ id: 2 }] });
const items = [];
for await (const item of client.c.listThings()) items.push(item);
console.log(JSON.stringify({ seen, items }));
"""


@pytest.fixture(scope="module")
def requests(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    root = tmp_path_factory.mktemp("ts-object-members")
    spec = root / "spec.yaml"
    spec.write_text(OBJECT_MEMBERS)
    out = generate_sdk(spec, root / "sdk", "object-members")
    result = tsc("-p", "tsconfig.json", "--pretty", "false", cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert NODE is not None
    (root / "probe.mjs").write_text(PROBE)
    run = subprocess.run([NODE, "probe.mjs"], cwd=root, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["items"] == [{"id": 1}, {"id": 2}]
    seen: list[dict[str, object]] = report["seen"]
    return seen


def test_inherited_members_are_never_sent(requests: list[dict[str, object]]) -> None:
    first = requests[0]
    assert first["url"] == "http://127.0.0.1:9/a/P/M"  # no `constructor=function Object()...`
    assert first["headers"] == {
        "Accept": "application/json",
        "User-Agent": first["headers"]["User-Agent"],  # type: ignore[index]
        "X-Sdkgen-Retry-Count": "0",
        "X-Proto": "k",  # the `__proto__` scheme's credential
    }


def test_a_proto_key_is_a_plain_key(requests: list[dict[str, object]]) -> None:
    assert requests[1]["url"] == "http://127.0.0.1:9/a/P/M?constructor=c&__proto__=q"
    assert json.loads(str(requests[2]["body"])) == {"__proto__": "x", "valueOf": 3}
    # no field given, none inherited (`constructor` is every object's): the optional body is left out
    assert requests[3]["body"] is None


def test_a_scheme_named_to_string_authenticates(requests: list[dict[str, object]]) -> None:
    headers = requests[2]["headers"]
    assert isinstance(headers, dict)
    assert headers["Authorization"] == "Bearer t"
    assert "X-Proto" not in headers


def test_pagination_reads_only_own_fields(requests: list[dict[str, object]]) -> None:
    # the second page has no cursor of its own: the list ends there (not at an inherited `constructor`)
    assert [r["url"] for r in requests[4:]] == ["http://127.0.0.1:9/c", "http://127.0.0.1:9/c?cursor=n"]
