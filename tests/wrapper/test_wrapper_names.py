"""Names in a wrapper that would clash if the adapters bound models by name.

The unified models and a vendor's models share every name here (`Booking`, `BookingRequest`, `Status`,
`BookingProvider`); unified models are named like the interface (`BookingProvider`) and like an adapter
class (`AcmeProvider`); a vendor is named like the wrapper (its adapter cannot be `BookingProvider`); an
operation is named `models` (a method that would hide the models module from the class's annotations).
The generated package must pass mypy --strict, ruff and tsc --strict, and answer with the right models.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import respx
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "booking"

VENDOR_SPEC = """\
openapi: 3.0.3
info: {title: Acme, version: "1"}
servers: [{url: "https://api.acme.test"}]
paths:
  /bookings:
    post:
      operationId: createBooking
      tags: [Bookings]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/BookingRequest"}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Booking"}}}}
  /providers/{name}:
    get:
      operationId: getProvider
      tags: [Providers]
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/BookingProvider"}}}
components:
  schemas:
    Status: {type: string, enum: [OPEN, CLOSED]}
    BookingRequest:
      type: object
      required: [title]
      properties:
        title: {type: string}
        status: {$ref: "#/components/schemas/Status"}
    Booking:
      type: object
      required: [id, state]
      properties:
        id: {type: string}
        state: {$ref: "#/components/schemas/Status"}
        title: {type: string}
    BookingProvider:
      type: object
      required: [name]
      properties: {name: {type: string}, rating: {type: integer}}
"""

BINDING = """\
    spec: acme.yaml
    operations:
      book:
        call: createBooking
        request:
          title: input.title
          status: {from: input.status, map: {open: OPEN, closed: CLOSED}}
        response:
          id: id
          status: {from: state, map: {OPEN: open, CLOSED: closed}}
          title: title
      models:
        call: getProvider
        request:
          name: input.name
        response:
          name: name
          rating: rating
    webhooks:
      - schema: Booking
        when: {kind: booking}
        response:
          id: id
          status: {from: state, map: {OPEN: open, CLOSED: closed}}
"""

WRAPPER = f"""\
name: booking
description: Bookings, whichever vendor takes them.
models:
  Status: {{type: string, enum: [open, closed]}}
  BookingRequest:
    type: object
    required: [title]
    properties:
      title: {{type: string}}
      status: {{$ref: "#/models/Status"}}
  Booking:
    type: object
    required: [id, status]
    properties:
      id: {{type: string}}
      status: {{$ref: "#/models/Status"}}
      title: {{type: string}}
  BookingProvider:
    type: object
    required: [name]
    properties: {{name: {{type: string}}}}
  AcmeProvider:
    type: object
    required: [name]
    properties: {{name: {{type: string}}, rating: {{type: integer}}}}
operations:
  book: {{input: BookingRequest, output: Booking}}
  models: {{input: BookingProvider, output: AcmeProvider}}
webhook: {{output: Booking}}
vendors:
  acme:
{BINDING}  booking:
{BINDING}"""

TS_MAIN = """\
import { createProvider, AcmeProvider, BookingProvider2 } from "./wrapper/ts/src/index.js";
import type { BookingProvider, models } from "./wrapper/ts/src/index.js";

const replies: unknown[] = [
  { id: "b1", state: "OPEN", title: "t" },
  { name: "acme", rating: 5 },
];
const sent: unknown[] = [];
const fetch = async (url: string, init: RequestInit): Promise<Response> => {
  sent.push({ url, body: init.body ?? null });
  const headers = { "content-type": "application/json" };
  return new Response(JSON.stringify(replies.shift()), { status: 200, headers });
};
const acme: BookingProvider = createProvider("acme", { baseUrl: "http://127.0.0.1:9", fetch, maxRetries: 0 });
const request: models.BookingRequest = { title: "t", status: "closed" };
const booking: models.Booking = await acme.book(request);
const provider: models.AcmeProvider = await acme.models({ name: "acme" } satisfies models.BookingProvider);
const other = createProvider("booking");
const event: models.Booking = other.parseWebhook({ kind: "booking", id: "b2", state: "CLOSED" });
console.log(JSON.stringify({
  booking,
  provider,
  event,
  sent,
  classes: [acme instanceof AcmeProvider, other instanceof BookingProvider2],
}));
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("wrapper-names")
    (root / "acme.yaml").write_text(VENDOR_SPEC, "utf-8")
    (root / "booking.wrapper.yaml").write_text(WRAPPER, "utf-8")
    files, diagnostics = generate(root / "booking.wrapper.yaml", "wrapper", PACKAGE)
    assert not [d for d in diagnostics if d.severity.value == "error"]
    write_tree(files, root / "wrapper")
    sys.path.insert(0, str(root / "wrapper"))
    yield root
    sys.path.remove(str(root / "wrapper"))
    for name in [m for m in sys.modules if m.partition(".")[0] in (PACKAGE, "acme_sdk", "booking_sdk")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def booking(generated: Path) -> ModuleType:
    return importlib.import_module(PACKAGE)


def test_adapters_bind_no_model_by_name(generated: Path) -> None:
    adapter = (generated / "wrapper" / PACKAGE / "vendors" / "acme.py").read_text("utf-8")
    assert "from ..models import" not in adapter and "acme_sdk.models import" not in adapter
    assert "from .. import models as models_2" in adapter  # the method `models` takes the plain name
    assert "acme_sdk.models.Status(" in adapter and "models_2.Status(" in adapter
    assert "acme_sdk.models.Booking.model_validate(" in adapter
    interface = (generated / "wrapper" / PACKAGE / "_interface.py").read_text("utf-8")
    assert "class BookingProvider(Protocol):" in interface
    assert "def models(self, request: models_2.BookingProvider) -> models_2.AcmeProvider: ..." in interface


def test_generated_wrapper_passes_mypy_strict_and_ruff(generated: Path) -> None:
    package = generated / "wrapper"
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            PACKAGE,
        ],
        cwd=package,
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--extend-select", "I,F401,RUF022", "."],
        cwd=package,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_adapter_classes_never_take_the_interface_name(booking: ModuleType) -> None:
    acme = booking.create_provider("acme")
    other = booking.create_provider("booking")
    assert type(acme).__name__ == "AcmeProvider"
    assert type(other).__name__ == "BookingProvider2"  # `BookingProvider` is the interface
    assert type(booking.create_async_provider("booking")).__name__ == "AsyncBookingProvider2"
    assert booking.BookingProvider.__name__ == "BookingProvider" and "BookingProvider" in booking.__all__
    for provider in (acme, other):  # the interface's methods are there (mypy checked their types)
        assert callable(provider.book) and callable(provider.models) and callable(provider.parse_webhook)


def test_a_call_translates_between_models_of_the_same_name(booking: ModuleType) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    with respx.mock(base_url="https://api.acme.test") as mock:
        create = mock.post("/bookings").respond(201, json={"id": "b1", "state": "OPEN", "title": "t"})
        mock.get("/providers/acme").respond(json={"name": "acme", "rating": 5})
        provider = booking.create_provider("acme")
        result = provider.book(models.BookingRequest(title="t", status=models.Status.CLOSED))
        found = provider.models(models.BookingProvider(name="acme"))

        async def run() -> object:
            return await booking.create_async_provider("booking").book(models.BookingRequest(title="u"))

        later = asyncio.run(run())
    assert json.loads(create.calls[0].request.content) == {"title": "t", "status": "CLOSED"}
    assert json.loads(create.calls[1].request.content) == {"title": "u"}
    assert result == models.Booking(id="b1", status=models.Status.OPEN, title="t")
    assert later == result
    assert found == models.AcmeProvider(name="acme", rating=5)
    event = booking.create_provider("booking").parse_webhook({"kind": "booking", "id": "b2", "state": "CLOSED"})
    assert event == models.Booking(id="b2", status=models.Status.CLOSED)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_typescript_adapters_compile_strict_and_answer_with_unified_models(generated: Path) -> None:
    tsc = REPO / "node_modules" / ".bin" / "tsc"
    if not tsc.exists():
        pytest.fail("the pinned typescript is missing: run `make test` (it runs npm ci) first")
    strict = subprocess.run(
        [str(tsc), "-p", "wrapper/ts/tsconfig.json", "--noEmit"], cwd=generated, capture_output=True, text=True
    )
    assert strict.returncode == 0, strict.stdout
    index = (generated / "wrapper" / "ts" / "src" / "index.ts").read_text("utf-8")
    assert "export { BookingProvider2 } from" in index and "export type { BookingProvider } from" in index
    (generated / "main.ts").write_text(TS_MAIN, "utf-8")
    (generated / "package.json").write_text('{"type": "module"}', "utf-8")
    args = ["--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext"]
    args += ["--lib", "es2022,dom", "--outDir", "out", "--skipLibCheck", "main.ts"]
    built = subprocess.run([str(tsc), *args], cwd=generated, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout
    run = subprocess.run(["node", "out/main.js"], cwd=generated, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert results["booking"] == {"id": "b1", "status": "open", "title": "t"}
    assert results["provider"] == {"name": "acme", "rating": 5}
    assert results["event"] == {"id": "b2", "status": "closed"}
    assert json.loads(results["sent"][0]["body"]) == {"title": "t", "status": "CLOSED"}
    assert results["sent"][1]["url"] == "http://127.0.0.1:9/providers/acme"
    assert results["classes"] == [True, True]
