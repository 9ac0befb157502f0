"""Path parameters in every OpenAPI style (simple, label, matrix; exploded or not) and header objects: the
generated Python SDK writes them as the specification's style tables do, the generated server reads them back,
and the server's document keeps each parameter's style."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

FIXTURES = Path(__file__).parent / "fixtures"

SPEC = FIXTURES / "styles.yaml"
RGB = {"R": 100, "G": 200, "B": 150}
COLORS = ["blue", "black", "brown"]


@pytest.fixture(scope="module")
def app(styles: ModuleType) -> Any:
    class Styles(styles.StylesServiceBase):
        async def _echo(self, **values: Any) -> dict[str, Any]:
            return {k: v.model_dump(by_alias=True) if hasattr(v, "model_dump") else v for k, v in values.items()}

        async def simple_flat(self, context: Any, prim: Any, arr: Any, obj: Any) -> Any:
            return await self._echo(prim=prim, arr=arr, obj=obj)

        simple_exploded = label_flat = label_exploded = matrix_flat = matrix_exploded = simple_flat

        async def headers(self, context: Any, **values: Any) -> Any:
            return await self._echo(**values)

        query = json_content = headers

    return styles.create_app(styles=Styles())


@pytest.fixture(scope="module")
def styles(generate_server: Any) -> ModuleType:
    return generate_server(SPEC, "styles_server")[1]


@pytest.fixture(scope="module")
def sdk(python_sdk: Any) -> ModuleType:
    module: ModuleType = python_sdk(SPEC, "styles_sdk")
    return module


@pytest.fixture(scope="module")
def client(sdk: ModuleType, app: Any) -> Any:
    return sdk.Client(base_url="http://testserver", http_client=TestClient(app))


# the style tables of the OpenAPI specification, for prim=5, arr=COLORS, obj=RGB
PATHS = {
    "simple_flat": "/simple/5/blue,black,brown/R,100,G,200,B,150",
    "simple_exploded": "/simple-exploded/5/blue,black,brown/R=100,G=200,B=150",
    "label_flat": "/label/.5/.blue,black,brown/.R,100,G,200,B,150",
    "label_exploded": "/label-exploded/.5/.blue.black.brown/.R=100.G=200.B=150",
    "matrix_flat": "/matrix/;prim=5/;arr=blue,black,brown/;obj=R,100,G,200,B,150",
    "matrix_exploded": "/matrix-exploded/;prim=5/;arr=blue;arr=black;arr=brown/;R=100;G=200;B=150",
}


@pytest.mark.parametrize("method", sorted(PATHS))
def test_each_path_style_is_sent_as_the_specification_writes_it_and_read_back(client: Any, method: str) -> None:
    raw = getattr(client.with_raw_response.styles, method)(5, COLORS, RGB)
    assert raw.http_request.url.raw_path.decode() == PATHS[method]
    assert raw.parse() == {"prim": 5, "arr": COLORS, "obj": RGB}


def test_header_objects_are_sent_and_read_in_the_simple_style(client: Any) -> None:
    raw = client.with_raw_response.styles.headers(
        x_colors=["a", "b"], x_rgb=RGB, x_rgb_exploded={"R": 1, "G": 2, "B": 3}, x_tags={"env": "prod"}
    )
    sent = raw.http_request.headers
    assert (sent["x-rgb"], sent["x-rgb-exploded"], sent["x-tags"]) == ("R,100,G,200,B,150", "R=1,G=2,B=3", "env=prod")
    assert raw.parse() == {
        "x_colors": ["a", "b"],
        "x_rgb": RGB,
        "x_rgb_exploded": {"R": 1, "G": 2, "B": 3},
        "x_tags": {"env": "prod"},
    }
    assert client.styles.headers(x_rgb=RGB) == {"x_colors": None, "x_rgb": RGB, "x_rgb_exploded": None, "x_tags": None}


def test_unexploded_query_arrays_keep_an_items_own_comma(client: Any) -> None:
    raw = client.with_raw_response.styles.query(ids=[1, 2], names=["a,b", "c"], piped=["x|y", "z"])
    assert raw.http_request.url.query == b"ids=1,2&names=a%2Cb,c&piped=x%7Cy%7Cz"
    assert raw.parse() == {"ids": [1, 2], "names": ["a,b", "c"], "piped": ["x", "y", "z"]}


def test_parameters_declared_with_json_content_travel_as_json_text_in_every_location(client: Any) -> None:
    meta = {"note": 'caf\u00e9, "quoted"'}
    raw = client.with_raw_response.styles.json_content(
        RGB, filter={"R": 1, "G": 2, "B": 3}, tags=["a,b", "c"], x_meta=meta, pref=[1, 2]
    )
    sent = raw.http_request
    assert sent.url.raw_path.decode().startswith("/json/%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D?")
    assert sent.url.params["filter"] == '{"R":1,"G":2,"B":3}' and sent.url.params["tags"] == '["a,b","c"]'
    assert sent.headers["x-meta"] == '{"note":"caf\\u00e9, \\"quoted\\""}'
    assert raw.parse() == {
        "sel": RGB,
        "filter": {"R": 1, "G": 2, "B": 3},
        "tags": ["a,b", "c"],
        "x_meta": meta,
        "pref": [1, 2],
    }
    assert client.styles.json_content(RGB) == {"sel": RGB, "filter": None, "tags": None, "x_meta": None, "pref": None}


@pytest.mark.parametrize(
    ("query", "where"),
    [("filter=%7B%22R%22%3A1", "filter"), ("filter=%7B%22R%22%3A1%7D", "filter"), ("tags=%5B1%5D", "tags")],
)
def test_a_json_parameter_that_is_not_json_or_not_its_type_is_a_422(app: Any, query: str, where: str) -> None:
    sel = "%7B%22R%22%3A1%2C%22G%22%3A2%2C%22B%22%3A3%7D"
    response = TestClient(app).get(f"/json/{sel}?{query}")
    assert response.status_code == 422, response.text
    assert where in response.text


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/label/5/.a/.R,1,G,2,B,3", "prim"),  # no leading dot
        ("/matrix/;other=5/;arr=a/;obj=R,1,G,2,B,3", "prim"),  # another parameter's name
        ("/matrix/;prim=5/;arr=a/;obj=R,1,G,2", "obj"),  # B missing
        ("/simple/5/a/R,1,G", "obj"),  # an odd number of items
        ("/label/.x/.a/.R,1,G,2,B,3", "prim"),  # not an integer
    ],
)
def test_a_value_not_in_its_style_is_a_422_problem_located_at_the_parameter(app: Any, path: str, where: str) -> None:
    response = TestClient(app).get(path)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert where in response.text


def test_a_required_header_object_that_is_missing_is_a_422(app: Any) -> None:
    response = TestClient(app).get("/headers")
    assert response.status_code == 422 and "X-Rgb" in response.text


def test_the_document_keeps_each_parameters_style_and_schema(app: Any) -> None:
    document = TestClient(app).get("/openapi.json").json()
    params = {p["name"]: p for p in document["paths"]["/matrix-exploded/{prim}/{arr}/{obj}"]["get"]["parameters"]}
    assert params["prim"]["style"] == "matrix" and params["prim"]["explode"] is True
    assert params["obj"]["schema"] == {"$ref": "#/components/schemas/Rgb"}
    headers = {p["name"]: p for p in document["paths"]["/headers"]["get"]["parameters"]}
    assert headers["X-Rgb"]["required"] is True and headers["X-Rgb-Exploded"]["explode"] is True
    json_params = {p["name"]: p for p in document["paths"]["/json/{sel}"]["get"]["parameters"]}
    assert json_params["filter"]["content"] == {"application/json": {"schema": {"$ref": "#/components/schemas/Rgb"}}}
    assert json_params["pref"]["in"] == "cookie" and "schema" not in json_params["pref"]


MAP_BESIDE_DEEP_OBJECT = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      tags: [items]
      parameters:
        - name: filter
          in: query
          style: deepObject
          schema: {type: object, properties: {a: {type: string}}}
        - {name: extra, in: query, schema: {type: object, additionalProperties: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, additionalProperties: true}}}}
"""


def test_an_exploded_map_takes_no_key_of_a_deep_object_beside_it(server_from_text: Any) -> None:
    package = server_from_text(MAP_BESIDE_DEEP_OBJECT, "map_beside_deep_server")[1]

    class Items(package.ItemsServiceBase):
        async def list(self, context: Any, *, filter: Any = None, extra: Any = None) -> Any:
            return {"filter": filter.model_dump() if filter else None, "extra": extra}

    response = TestClient(package.create_app(items=Items())).get("/items?filter[a]=x&k=v")
    assert response.status_code == 200, response.text
    assert response.json() == {"filter": {"a": "x"}, "extra": {"k": "v"}}


MAP_OF_OBJECTS = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /messages:
    get:
      operationId: sendMessage
      tags: [messages]
      parameters:
        - {name: text, in: query, required: true, schema: {type: string}}
        - name: attributes
          in: query
          required: true
          schema:
            type: object
            additionalProperties: {type: object, properties: {type: {type: string}, value: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, additionalProperties: true}}}}
"""


def test_an_exploded_map_of_objects_reads_each_value_from_json_text(server_from_text: Any, python_sdk: Any) -> None:
    """AWS SQS's MessageAttribute: a map of objects exploded into query parameters, each value sent as JSON text
    by the SDKs, which the server validated as text (422)."""
    package = server_from_text(MAP_OF_OBJECTS, "map_of_objects_server")[1]

    class Messages(package.MessagesServiceBase):
        async def send(self, context: Any, *, text: str, attributes: Any) -> Any:
            return {"text": text, "attributes": {k: v.model_dump(exclude_unset=True) for k, v in attributes.items()}}

    sdk = python_sdk(MAP_OF_OBJECTS, "map_of_objects_sdk")
    client = sdk.Client(base_url="http://testserver", http_client=TestClient(package.create_app(messages=Messages())))
    answer = client.messages.send(text="hi", attributes={"trace": {"type": "String", "value": "t-1"}})
    assert answer == {"text": "hi", "attributes": {"trace": {"type": "String", "value": "t-1"}}}


COOKIES = """
openapi: 3.0.3
info: {title: Cookies, version: "1"}
paths:
  /cookies:
    get:
      operationId: getCookies
      tags: [cookies]
      parameters:
        - {name: plain, in: cookie, schema: {type: string}}
        - {name: ids, in: cookie, schema: {type: array, items: {type: integer}}}
        - {name: names, in: cookie, style: form, explode: false, schema: {type: array, items: {type: string}}}
        - name: rgb
          in: cookie
          required: true
          schema: {type: object, required: [R], properties: {R: {type: integer}, G: {type: integer}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_cookie_arrays_and_objects_are_read_as_the_sdks_write_them(server_from_text: Any, python_sdk: Any) -> None:
    """FastAPI reads a cookie as one string: an array cookie was a 422 ("Input should be a valid list", readme's
    parameters-style, both SDKs) and an object cookie reached the service as its text."""
    server = server_from_text(COOKIES, "cookies_server")[1]

    class Cookies(server.CookiesServiceBase):
        async def get(self, context: Any, **values: Any) -> Any:
            return {k: v.model_dump(by_alias=True) if hasattr(v, "model_dump") else v for k, v in values.items()}

    app = server.create_app(cookies=Cookies())
    sdk = python_sdk(COOKIES, "cookies_sdk")
    client = sdk.Client(base_url="http://testserver", http_client=TestClient(app))
    got = client.cookies.get(plain="p", ids=[1, 2], names=["a", "b"], rgb={"R": 1, "G": 2})
    assert got == {"plain": "p", "ids": [1, 2], "names": ["a", "b"], "rgb": {"R": 1, "G": 2}}
    assert client.cookies.get(rgb={"R": 3}) == {"plain": None, "ids": None, "names": None, "rgb": {"R": 3}}
    http = TestClient(app)
    refused = http.get("/cookies", headers={"Cookie": "ids=1,x; rgb=R,1"})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["ids.1"]
    assert http.get("/cookies").status_code == 422  # rgb is required
