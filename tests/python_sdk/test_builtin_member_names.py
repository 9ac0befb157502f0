"""Every Python builtin (and module the generated code imports) as the name of a resource, a method, a credential,
a parameter and a property: the SDK and the server pass ruff and `mypy --strict`, start, and send what the spec
says. A method named `str` hid the `str` of the per-call options' annotations after it, a credential named `dict`
or `type` the builtins the client's `__init__` and `with_options` call, one named `os` the `os.environ` read; a
path parameter `{body}` beside a request body stopped the server from starting."""

from __future__ import annotations

import builtins
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import respx
from fastapi.testclient import TestClient
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
NAMES = [
    *sorted(name for name in dir(builtins) if name[:1].islower()),
    *("os", "typing", "httpx", "pydantic", "datetime", "uuid", "json", "enum", "re", "time", "asyncio", "logging"),
    *("builtins", "dataclasses", "functools", "cached_property", "body", "context"),
]
BASE = "https://api.builtins.test"


def _spec() -> dict[str, Any]:
    thing = {"$ref": "#/components/schemas/Thing"}
    paths: dict[str, Any] = {}
    for i, name in enumerate(NAMES):
        ok = {"200": {"description": "ok", "content": {"application/json": {"schema": thing}}}}
        paths[f"/things/{i}"] = {  # one resource, a method and a query parameter per name
            "get": {
                "operationId": name,
                "tags": ["things"],
                "parameters": [{"name": name, "in": "query", "schema": {"type": "string"}}],
                "responses": ok,
            }
        }
        paths[f"/by/{i}/{{{name}}}"] = {  # a resource per name, with a path parameter of that name and a body
            "post": {
                "operationId": f"make{i}",
                "tags": [name],
                "parameters": [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": thing}}},
                "responses": ok,
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Builtins", "version": "1"},
        "servers": [{"url": BASE}],
        "security": [{name: []} for name in NAMES],  # any one credential will do
        "paths": paths,
        "components": {
            "securitySchemes": {
                name: {"type": "apiKey", "in": "header", "name": f"X-Key-{i}"} for i, name in enumerate(NAMES)
            },
            "schemas": {
                "Thing": {"type": "object", "required": ["abs"], "properties": {n: {"type": "string"} for n in NAMES}}
            },
        },
    }


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("builtins")
    spec = root / "builtins.json"
    spec.write_text(json.dumps(_spec()))
    for kind, package in (("python", "member_names_sdk"), ("server", "member_names_server")):
        files, diagnostics = generate(spec, kind, package)
        assert not [d for d in diagnostics if d.severity.value == "error"]
        write_tree(files, root / package)
        sys.path.insert(0, str(root / package))
    yield root
    for package in ("member_names_sdk", "member_names_server"):
        sys.path.remove(str(root / package))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def sdk(root: Path) -> ModuleType:
    return importlib.import_module("member_names_sdk")


def test_builtin_names_pass_ruff_and_mypy(root: Path) -> None:
    for package in ("member_names_sdk", "member_names_server"):
        ruff = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
            cwd=root / package,
            capture_output=True,
            text=True,
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(REPO / ".mypy_cache")),
            *(
                str(root / "member_names_sdk" / "member_names_sdk"),
                str(root / "member_names_server" / "member_names_server"),
            ),
        ],
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:] + mypy.stderr


def test_credentials_named_like_builtins_are_read_from_the_environment_and_sent(
    sdk: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEMBER_NAMES_SDK_OS", "from-env")
    dict_key = f"X-Key-{NAMES.index('dict')}"
    os_key = f"X-Key-{NAMES.index('os')}"
    with respx.mock(base_url=BASE) as mock, sdk.Client(dict_="d-key") as client:
        route = mock.get(f"/things/{NAMES.index('str')}").respond(json={n: "v" for n in NAMES[:5]})
        client.things.str_(str_="text")
        sent = route.calls.last.request
        assert sent.url.params["str"] == "text"
        assert sent.headers[dict_key] == "d-key"  # the first alternative with its credential given
        copy = client.with_options(type_="t-key")  # `with_options` calls `type(self)` and `str(...)`
        copy.things.str_()
        assert route.calls.last.request.headers[dict_key] == "d-key"
    with respx.mock(base_url=BASE) as mock, sdk.Client() as client:
        route = mock.get(f"/things/{NAMES.index('float')}").respond(json={n: "v" for n in NAMES[:5]})
        assert client.things.float_().abs == "v"
        assert route.calls.last.request.headers[os_key] == "from-env"


def test_the_server_serves_a_path_parameter_named_like_its_body(root: Path) -> None:
    server = importlib.import_module("member_names_server")
    i = NAMES.index("body")

    class Body(server.BodyModelServiceBase):  # type: ignore[misc, name-defined]
        async def _make(self, context: Any, **kwargs: Any) -> Any:
            return {"abs": kwargs["body_"], "all": kwargs["body"].abs}

    setattr(Body, f"make{i}", Body._make)

    client = TestClient(server.create_app(body=Body()))
    response = client.post(f"/by/{i}/in-path", json={n: "in-body" for n in NAMES[:5]}, headers={"X-Key-0": "k"})
    assert response.status_code == 200, response.text
    assert response.json() == {"abs": "in-path", "all": "in-body"}
