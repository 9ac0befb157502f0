"""An operation answering with more than one success body (200 with the report, 202 with a job): a service returns
`Result(job, status_code=202)`, typed by the generated base class, and the server serialises it as the 202's type
(FastAPI knows only the main `response_model`); the Python SDK parses each status as the type it declares."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

SPEC = Path(__file__).parent / "fixtures" / "successes.yaml"


@pytest.fixture(scope="module")
def package(generate_server: Callable[[Path, str], tuple[Path, ModuleType]]) -> ModuleType:
    return generate_server(SPEC, "successes_server")[1]


@pytest.fixture(scope="module")
def app(package: ModuleType) -> Any:
    models, Result = package.models, package.Result

    class Reports(package.ReportsServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            if body.wait:
                return models.Report(id="r1", name=body.name)
            if body.name == "broken":
                return Result({"job_id": "j1", "state": "lost"}, status_code=202)  # not a Job: the server's fault
            return Result(models.Job(job_id="j1", state="queued"), status_code=202)

        async def export(self, context: Any, id: str) -> Any:
            if id == "ready":
                return "id,name\nr1,x\n"
            return Result({"job_id": "j2", "state": "running"}, status_code=202, headers={"Retry-After": "5"})

    return package.create_app(reports=Reports())


def test_the_service_signature_offers_a_result_of_each_success_body(package: ModuleType) -> None:
    source = inspect.getsource(package.ReportsServiceBase)
    assert "-> Report | _runtime.Result[Report] | _runtime.Result[Job] | fastapi.Response:" in source
    assert "-> str | _runtime.Result[str] | _runtime.Result[Job] | fastapi.Response:" in source


def test_a_result_with_an_alternative_status_is_serialised_as_its_type(app: Any) -> None:
    client = TestClient(app)
    made = client.post("/reports", json={"name": "x", "wait": True})
    assert (made.status_code, made.json()) == (200, {"id": "r1", "name": "x"})
    queued = client.post("/reports", json={"name": "x"})
    assert (queued.status_code, queued.json()) == (202, {"job_id": "j1", "state": "queued"})  # unset eta left out
    assert queued.headers["content-type"] == "application/json"


def test_a_raw_main_body_and_a_json_alternative_with_headers(app: Any) -> None:
    client = TestClient(app)
    ready = client.get("/reports/ready/export")
    assert (ready.status_code, ready.text) == (200, "id,name\nr1,x\n")
    assert ready.headers["content-type"].startswith("text/csv")
    pending = client.get("/reports/later/export")
    assert (pending.status_code, pending.json(), pending.headers["retry-after"]) == (
        202,
        {"job_id": "j2", "state": "running"},
        "5",
    )


def test_an_alternative_body_that_is_not_its_type_is_a_server_error(app: Any) -> None:
    response = TestClient(app, raise_server_exceptions=False).post("/reports", json={"name": "broken"})
    assert response.status_code == 500


def test_the_python_sdk_reads_each_status_as_its_declared_type(app: Any, python_sdk: Any) -> None:
    sdk = python_sdk(SPEC, "successes_sdk")
    client = sdk.Client(base_url="http://testserver", http_client=TestClient(app), max_retries=0)
    assert type(client.reports.create(name="x", wait=True)).__name__ == "Report"
    job = client.reports.create(name="x")
    assert (type(job).__name__, job.job_id, job.state) == ("Job", "j1", "queued")
    assert client.reports.export("ready") == "id,name\nr1,x\n"
    assert type(client.reports.export("later")).__name__ == "Job"


def test_the_documented_responses_keep_every_success(app: Any) -> None:
    document = app.openapi()
    responses = document["paths"]["/reports"]["post"]["responses"]
    assert responses["202"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Job"}
    assert responses["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Report"}
