"""Parameters FastAPI cannot read (in the query objects, maps, arrays of objects; in the path arrays), read as the
SDKs send them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

SPEC = Path(__file__).parent / "fixtures" / "structured_query.yaml"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("sq_sdk")
    files, _ = generate(SPEC, "python", "sq_sdk")
    write_tree(files, out)
    sys.path.insert(0, str(out))
    import sq_sdk

    yield sq_sdk
    sys.path.remove(str(out))


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return value


def test_objects_and_arrays_of_objects_in_the_query_reach_the_service_typed(
    generate_server: Callable[[Path, str], tuple[Path, ModuleType]], sdk: ModuleType
) -> None:
    _, server = generate_server(SPEC, "sq_server")
    from sq_sdk import models
    from sq_server import models as server_models

    received: dict[str, Any] = {}

    class Records(server.RecordsServiceBase):
        async def list(self, context: Any, **arguments: Any) -> Any:
            received.update(arguments)
            return {"echo": {k: _plain(v) for k, v in arguments.items() if v is not None}}

    http = TestClient(server.create_app(records=Records()), base_url="http://test")
    client = sdk.Client(base_url="http://test", http_client=http)
    page = client.records.list(
        filters=[
            models.ListRecordsFiltersItem(name="a", value="1", comparator="="),
            models.ListRecordsFiltersItem(name="b"),
        ],
        filter=models.ListRecordsFilter(status="open", owner=models.ListRecordsFilterOwner(id=7), ids=[1, 2]),
        window=models.Window(
            size=3, unit="week", span=models.WindowSpan(start="mon", days=[1, 2]), labels=["x"], note="[1]"
        ),
        range=models.ListRecordsRange.model_validate({"from": 1, "to": 5}),
        tags=["red", "123", {"k": 1}],
        limit=10,
    )
    assert page.echo == {
        "filters": [{"name": "a", "value": "1", "comparator": "="}, {"name": "b"}],  # each item JSON
        "filter": {"status": "open", "owner": {"id": 7}, "ids": [1, 2]},  # deepObject, nested and repeated keys
        # form, exploded: its properties as parameters; an object or array among them as JSON (AWS's query APIs
        # nest objects there: cloudsearch's Suggester.DocumentSuggesterOptions), a string as itself
        "window": {"size": 3, "unit": "week", "span": {"start": "mon", "days": [1, 2]}, "labels": ["x"], "note": "[1]"},
        "range": {"from": 1, "to": 5},  # form, not exploded: range=from,1,to,5
        "tags": ["red", "123", {"k": 1}],  # untyped items: text stays text, an object is JSON
        "limit": 10,
    }
    assert isinstance(received["filters"][0], server_models.ListRecordsFiltersItem)
    assert isinstance(received["filter"].owner, server_models.ListRecordsFilterOwner)
    assert isinstance(received["window"], server_models.Window) and received["window"].size == 3
    assert isinstance(received["window"].span, server_models.WindowSpan)

    missing = http.get("/records")
    assert missing.status_code == 422 and missing.json()["errors"] == [{"field": "window", "message": "Field required"}]
    invalid = http.get("/records", params={"size": "x"})
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "window.size"
    bad_item = http.get("/records", params={"size": "1", "filters": '{"value": "no name"}'})
    assert bad_item.status_code == 422 and bad_item.json()["errors"][0]["field"] == "filters.0.name"


def test_the_app_documents_them_as_the_spec_does(
    generate_server: Callable[[Path, str], tuple[Path, ModuleType]],
) -> None:
    _, server = generate_server(SPEC, "sq_server")
    document = server.create_app().openapi()
    parameters = {p["name"]: p for p in document["paths"]["/records"]["get"]["parameters"]}
    assert parameters["filters"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/ListRecordsFiltersItem"},
    }
    assert parameters["filter"]["style"] == "deepObject" and parameters["filter"]["explode"] is True
    assert parameters["window"] == {
        "name": "window",
        "in": "query",
        "required": True,
        "schema": {"$ref": "#/components/schemas/Window"},
    }
    assert (parameters["range"]["style"], parameters["range"]["explode"]) == ("form", False)
    assert {"ListRecordsFiltersItem", "ListRecordsFilter", "Window", "ListRecordsRange"} <= set(
        document["components"]["schemas"]
    )


def test_arrays_in_the_path_reach_the_service_typed_and_are_documented(
    generate_server: Callable[[Path, str], tuple[Path, ModuleType]], sdk: ModuleType
) -> None:
    _, server = generate_server(SPEC, "sq_server")

    class Lines(server.LinesServiceBase):
        async def status(self, context: Any, modes: list[str], ids: list[int]) -> Any:
            return {"modes": modes, "ids": ids}

    http = TestClient(server.create_app(lines=Lines()), base_url="http://test")
    client = sdk.Client(base_url="http://test", http_client=http)
    assert client.lines.status(["tube", "dlr, night"], [1, 22]) == {"modes": ["tube", "dlr", " night"], "ids": [1, 22]}
    invalid = http.get("/lines/tube/status/1,x")
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "ids.1"
    document = server.create_app().openapi()
    parameters = document["paths"]["/lines/{modes}/status/{ids}"]["get"]["parameters"]
    assert parameters == [
        {
            "name": "modes",
            "in": "path",
            "required": True,
            "description": "Transport modes.",
            "schema": {"type": "array", "items": {"type": "string"}},
        },
        {"name": "ids", "in": "path", "required": True, "schema": {"type": "array", "items": {"type": "integer"}}},
    ]
