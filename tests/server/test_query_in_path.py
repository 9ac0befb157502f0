"""Paths that write out a query (`/current?city={city}&country={country}`), which OpenAPI paths cannot hold yet specs
write (weatherbit, icons8, clicksend): the variables are query parameters; operations sharing the path before `?` are
told apart by the parameters they require. The Python SDK sends them, the server routes and reads them, and the
server's document keeps the spec's paths."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: Weather, version: "1"}
paths:
  /current?city={city}&country={country}:
    get:
      tags: [current]
      parameters:
        - {name: city, in: path, required: true, schema: {type: string}}
        - {name: country, in: path, required: true, schema: {type: string}}
        - {name: units, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Reading"}}}}
  /current?lat={lat}&lon={lon}:
    get:
      tags: [current]
      parameters:
        - {name: lat, in: path, required: true, schema: {type: number}}
        - {name: lon, in: path, required: true, schema: {type: number}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Reading"}}}}
  /users/{id}/pic?key={APIKEY}&size=large:
    get:
      operationId: getPicture
      tags: [users]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: APIKEY, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Reading"}}}}
  /templates/{id}:
    get:
      operationId: getTemplate
      tags: [templates]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Reading"}}}}
  /templates/{id}?full=true:
    get:
      operationId: getFullTemplate
      tags: [templates]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Reading"}}}}
components:
  schemas:
    Reading:
      type: object
      properties:
        by: {type: string}
        query: {type: object, additionalProperties: {type: string}}
"""


@pytest.fixture(scope="module")
def app(server_from_text: Any) -> Any:
    package = server_from_text(SPEC, "query_in_path_server")

    class Current(package[1].CurrentServiceBase):
        async def list_city_country(self, context: Any, **kwargs: Any) -> Any:
            return {"by": "city", "query": dict(context.request.query_params)}

        async def list_lat_lon(self, context: Any, **kwargs: Any) -> Any:
            assert isinstance(kwargs["lat"], float)
            return {"by": "position", "query": dict(context.request.query_params)}

    class Users(package[1].UsersServiceBase):
        async def get_picture(self, context: Any, *, id: int, key: str) -> Any:
            return {"by": f"user {id} {key}", "query": dict(context.request.query_params)}

    class Templates(package[1].TemplatesServiceBase):
        async def get(self, context: Any, *, id: str) -> Any:
            return {"by": f"template {id}", "query": dict(context.request.query_params)}

        async def get_full(self, context: Any, *, id: str) -> Any:
            return {"by": f"full template {id}", "query": dict(context.request.query_params)}

    return package[1].create_app(current=Current(), users=Users(), templates=Templates())


def test_query_variables_are_query_parameters_and_select_their_operation(app: Any, python_sdk: Any) -> None:
    sdk = python_sdk(SPEC, "query_in_path_sdk")
    client = sdk.Client(base_url="http://testserver", http_client=TestClient(app))
    by_city = client.current.list_city_country(city="Oslo", country="NO", units="M")
    assert (by_city.by, by_city.query) == ("city", {"city": "Oslo", "country": "NO", "units": "M"})
    by_position = client.current.list_lat_lon(lat=59.9, lon=10.75)
    assert (by_position.by, by_position.query) == ("position", {"lat": "59.9", "lon": "10.75"})
    picture = client.users.get_picture(7, key="k-1")  # `key={APIKEY}`: sent under the path's key
    assert (picture.by, picture.query) == ("user 7 k-1", {"size": "large", "key": "k-1"})


def test_a_fixed_pair_after_the_path_selects_its_operation(app: Any, python_sdk: Any) -> None:
    """formapi's `/templates/{id}?full=true` beside `/templates/{id}`: both reached, each by its own requests."""
    sdk = python_sdk(SPEC, "query_in_path_sdk")
    client = sdk.Client(base_url="http://testserver", http_client=TestClient(app))
    assert client.templates.get_full("t1").by == "full template t1"
    assert client.templates.get("t1").by == "template t1"
    assert TestClient(app).get("/templates/t2?full=false").json()["by"] == "template t2"


def test_the_server_documents_the_spec_paths_with_query_parameters(app: Any) -> None:
    paths = TestClient(app).get("/openapi.json").json()["paths"]
    assert sorted(paths) == [
        "/current?city={city}&country={country}",
        "/current?lat={lat}&lon={lon}",
        "/templates/{id}",
        "/templates/{id}?full=true",
        "/users/{id}/pic?key={APIKEY}&size=large",
    ]
    parameters = paths["/current?lat={lat}&lon={lon}"]["get"]["parameters"]
    assert [(p["name"], p["in"], p["required"]) for p in parameters] == [("lat", "query", True), ("lon", "query", True)]
