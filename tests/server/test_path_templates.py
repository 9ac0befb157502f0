"""Path templates Starlette cannot compile as written are still served, and documented as the spec writes them:
a parameter name that is no identifier (`{user-id}`), and a name the template repeats (`/{id}/copy/{id}`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: Paths, version: "1"}
paths:
  /users/{user-id}/items/{id}/copy/{id}:
    get:
      operationId: copyItem
      tags: [items]
      parameters:
        - {name: user-id, in: path, required: true, schema: {type: string}}
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_odd_and_repeated_path_names_are_served_and_documented(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    _, server = server_from_text(SPEC, "paths_server")

    class Items(server.ItemsServiceBase):
        async def copy(self, context: Any, user_id: str, id: int) -> Any:
            return {"user": user_id, "id": id}

    app = server.create_app(items=Items())
    assert list(app.openapi()["paths"]) == ["/users/{user-id}/items/{id}/copy/{id}"]
    response = TestClient(app).get("/users/u-1/items/7/copy/7")
    assert response.status_code == 200, response.text
    assert response.json() == {"user": "u-1", "id": 7}


NAMES_SPEC = """
openapi: 3.0.3
info: {title: Names, version: "1"}
paths:
  /files/{body}:
    put:
      operationId: putFile
      tags: [files]
      parameters:
        - {name: body, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {size: {type: integer}}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /items/{id}:
    get:
      operationId: getItem
      tags: [items]
      parameters:
        - {name: id, in: query, schema: {type: string}}
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_path_names_another_parameter_takes_in_python_are_served(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """`{body}` beside a request body and `{id}` beside a query `id`: the Python names differ from the placeholders
    (`body_`; the query's `id` is `id_2`), which FastAPI must not read as the other parameter (the app did not
    start)."""
    _, server = server_from_text(NAMES_SPEC, "names_server")

    class Files(server.FilesServiceBase):
        async def put(self, context: Any, **kwargs: Any) -> Any:
            return {
                key: value if isinstance(value, str | int | None) else value.to_dict() for key, value in kwargs.items()
            }

    class Items(server.ItemsServiceBase):
        async def get(self, context: Any, **kwargs: Any) -> Any:
            return kwargs

    client = TestClient(server.create_app(files=Files(), items=Items()))
    response = client.put("/files/report.pdf", json={"size": 3})
    assert response.status_code == 200, response.text
    assert response.json() == {"body_": "report.pdf", "body": {"size": 3}}
    response = client.get("/items/7", params={"id": "q"})
    assert response.status_code == 200, response.text
    assert sorted(response.json().items()) == [("id", 7), ("id_2", "q")]


SHARED_SPEC = """
openapi: 3.0.3
info: {title: Shared, version: "1"}
paths:
  "/#X-Amz-Target=Svc.Start":
    post:
      operationId: start
      tags: [svc]
      parameters:
        - {name: X-Amz-Target, in: header, required: true, schema: {type: string, enum: [Svc.Start]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  "/#X-Amz-Target=Svc.Stop":
    post:
      operationId: stop
      tags: [svc]
      parameters:
        - {name: X-Amz-Target, in: header, required: true, schema: {type: string, enum: [Svc.Stop]}}
        - name: Check  # sent as its properties (form, exploded): not looked for by name
          in: query
          required: true
          schema: {type: object, required: [target], properties: {target: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /tags/{arn}:
    get:
      operationId: listTags
      tags: [tags]
      parameters:
        - {name: arn, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /tags/{arn}#tagKeys:
    delete:
      operationId: untag
      tags: [tags]
      parameters:
        - {name: arn, in: path, required: true, schema: {type: string}}
        - {name: tagKeys, in: query, required: true, schema: {type: array, items: {type: string}}}
      responses:
        "204": {description: done, content: {application/json: {schema: {type: object}}}}
"""


def test_operations_a_fragment_tells_apart_are_served_and_documented(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """AWS tells operations of one path apart with a fragment (`/#X-Amz-Target=Svc.Start`, `/tags/{arn}#tagKeys`),
    which no request carries: the server routes by the path before it, and operations sharing a method and path
    by their required parameters' values (the header naming the action). A 204 sends no content though the spec
    declares some. All of these answered 404 or 405."""
    _, server = server_from_text(SHARED_SPEC, "shared_server")
    calls: list[str] = []

    class Svc(server.SvcServiceBase):
        async def start(self, context: Any, **kwargs: Any) -> Any:
            return {"action": "start"}

        async def stop(self, context: Any, **kwargs: Any) -> Any:
            return {"action": "stop"}

    class Tags(server.TagsServiceBase):
        async def list(self, context: Any, arn: str) -> Any:
            return {"arn": arn}

        async def untag(self, context: Any, arn: str, tag_keys: list[str]) -> Any:
            calls.append(f"untag {arn} {tag_keys}")
            return None

    app = server.create_app(svc=Svc(), tags=Tags())
    assert sorted(app.openapi()["paths"]) == sorted(
        ["/#X-Amz-Target=Svc.Start", "/#X-Amz-Target=Svc.Stop", "/tags/{arn}", "/tags/{arn}#tagKeys"]
    )
    client = TestClient(app)
    for action in ("Start", "Stop"):
        response = client.post("/", headers={"X-Amz-Target": f"Svc.{action}"}, params={"target": "t"})
        assert response.status_code == 200, response.text
        assert response.json() == {"action": action.lower()}
    response = client.post("/")  # no operation is selected: the last one's validation answers
    assert response.status_code == 422
    assert client.get("/tags/a1").json() == {"arn": "a1"}
    response = client.delete("/tags/a1", params={"tagKeys": ["k1", "k2"]})
    assert response.status_code == 204 and response.content == b""
    assert calls == ["untag a1 ['k1', 'k2']"]


SLASH_SPEC = """
openapi: 3.0.3
info: {title: Slashes, version: "1"}
paths:
  /refs/{ref}:
    get:
      operationId: getRef
      tags: [refs]
      parameters:
        - {name: ref, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /refs/{owner}/{name}:
    get:
      operationId: getOwned
      tags: [refs]
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_an_encoded_slash_stays_inside_its_path_parameter(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """Clients send a `/` inside a path parameter as `%2F` (a git ref `heads/main`, an AWS ARN); the ASGI server
    decodes the path before routing, where `/refs/heads%2Fmain` became `/refs/heads/main`: the two-parameter route
    answered (or 404). The encoded slash is matched as data; other escapes are decoded as before."""
    _, server = server_from_text(SLASH_SPEC, "slash_server")

    class Refs(server.RefsServiceBase):
        async def get(self, context: Any, ref: str) -> Any:
            return {"ref": ref}

        async def get_owned(self, context: Any, owner: str, name: str) -> Any:
            return {"owner": owner, "name": name}

    client = TestClient(server.create_app(refs=Refs()))
    assert client.get("/refs/heads%2Fmain").json() == {"ref": "heads/main"}
    assert client.get("/refs/arn:aws:s3%2fb%20c%2F%25").json() == {"ref": "arn:aws:s3/b c/%"}
    assert client.get("/refs/heads/main").json() == {"owner": "heads", "name": "main"}
    assert client.get("/refs/a%2Fb/c%2Fd").json() == {"owner": "a/b", "name": "c/d"}
    assert client.get("/refs/a%20b").json() == {"ref": "a b"}


MEDIA_SPEC = """
openapi: 3.0.3
info: {title: Overloads, version: "1"}
paths:
  /detect:
    post:
      operationId: detectWithUrl
      tags: [faces]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, required: [url], properties: {url: {type: string}}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /detect#overload=stream:
    post:
      operationId: detectWithStream
      tags: [faces]
      requestBody:
        required: true
        content: {application/octet-stream: {schema: {type: string, format: binary}}, image/*: {}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_operations_a_fragment_tells_apart_by_their_bodies_media_type_are_served(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """Azure overloads a path by the body's media type (`/detect` with a JSON body, `/detect#overload=stream` with
    the image's bytes): the JSON route answered 422 to every upload. The request's Content-Type selects."""
    _, server = server_from_text(MEDIA_SPEC, "overloads_server")

    class Faces(server.FacesServiceBase):
        async def detect_with_url(self, context: Any, *, body: Any) -> Any:
            return {"url": body.url}

        async def detect_with_stream(self, context: Any, *, body: bytes) -> Any:
            return {"size": len(body)}

    client = TestClient(server.create_app(faces=Faces()))
    assert client.post("/detect", json={"url": "u"}).json() == {"url": "u"}
    streamed = client.post("/detect", content=b"abc", headers={"Content-Type": "application/octet-stream"})
    assert streamed.json() == {"size": 3}
    assert client.post("/detect", content=b"abcd", headers={"Content-Type": "image/png"}).json() == {"size": 4}


ADJACENT_SPEC = """
openapi: 3.0.3
info: {title: Adjacent, version: "1"}
paths:
  /blog/{pageName}{ext}:
    get:
      operationId: getPage
      tags: [blog]
      parameters:
        - {name: ext, in: path, required: true, schema: {type: string, enum: [.json, .xml, .j]}}
        - {name: pageName, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_touching_path_parameters_split_at_the_listed_values(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """`/blog/{pageName}{ext}` (healthcare.gov): Starlette's `[^/]+` for both gave `ext` one character (a 422 for
    every call); a parameter whose values the spec lists matches one of them."""
    _, server = server_from_text(ADJACENT_SPEC, "adjacent_server")

    class Blog(server.BlogServiceBase):
        async def get_page(self, context: Any, **kwargs: Any) -> Any:
            return {key: getattr(value, "value", value) for key, value in kwargs.items()}

    client = TestClient(server.create_app(blog=Blog()))
    assert client.get("/blog/my.post.json").json() == {"page_name": "my.post", "ext": ".json"}
    assert client.get("/blog/notes.xml").json() == {"page_name": "notes", "ext": ".xml"}
    assert client.get("/blog/notes.txt").status_code == 404


DOUBLE_SLASH_SPEC = """
openapi: 3.0.3
info: {title: Slashes, version: "1"}
paths:
  //openapi:
    get:
      operationId: getDocument
      tags: [docs]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  //openapi.{type}:
    get:
      operationId: getDocumentAs
      tags: [docs]
      parameters:
        - {name: type, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_a_path_beginning_with_two_slashes_is_sent_and_served_as_written(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]], python_sdk: Callable[[str, str], ModuleType]
) -> None:
    """clever-cloud's `//openapi`: the Python SDK took every leading slash off the path before joining it to the
    base URL (`/openapi`: 404), where the server and the TypeScript SDK keep the spec's `//openapi`."""
    _, server = server_from_text(DOUBLE_SLASH_SPEC, "double_slash_server")

    class Docs(server.DocsServiceBase):
        async def get_document(self, context: Any) -> Any:
            return {"path": context.request.url.path}

        async def get_document_as(self, context: Any, type: str) -> Any:
            return {"path": context.request.url.path, "type": type}

    app = server.create_app(docs=Docs())
    sdk = python_sdk(DOUBLE_SLASH_SPEC, "double_slash_sdk")
    client = sdk.Client(base_url="http://testserver/", http_client=TestClient(app))
    assert client.docs.get_document() == {"path": "//openapi"}
    assert client.docs.get_document_as("json") == {"path": "//openapi.json", "type": "json"}


TYPED_SPEC = """
openapi: 3.0.3
info: {title: Payslips, version: "1"}
paths:
  /payslips/{runId}:
    get:
      operationId: getByRun
      tags: [payslips]
      parameters:
        - {name: runId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /payslips/{year}:
    get:
      operationId: getByYear
      tags: [payslips]
      parameters:
        - {name: year, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /payslips/{period}:
    get:
      operationId: getByPeriod
      tags: [payslips]
      parameters:
        - {name: period, in: path, required: true, schema: {type: string, enum: [current, previous]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_paths_alike_but_for_a_parameters_type_are_told_apart_by_it(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """loket.nl's `/payslips/{payrollrunId}` (a UUID) beside `/payslips/{year}` (an integer): one route took every
    request and answered the other's values 422. The route whose parameter a value cannot be (an integer, a UUID, a
    listed value) lets the next one try; the last keeps its own validation (a 422, not a 404)."""
    _, server = server_from_text(TYPED_SPEC, "typed_paths_server")

    class Payslips(server.PayslipsServiceBase):
        async def get_by_run(self, context: Any, run_id: Any) -> Any:
            return {"by": "run", "value": str(run_id)}

        async def get_by_year(self, context: Any, year: int) -> Any:
            return {"by": "year", "value": year}

        async def get_by_period(self, context: Any, period: Any) -> Any:
            return {"by": "period", "value": str(period.value)}

    client = TestClient(server.create_app(payslips=Payslips()))
    run = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert client.get(f"/payslips/{run}").json() == {"by": "run", "value": run}
    assert client.get("/payslips/2024").json() == {"by": "year", "value": 2024}
    assert client.get("/payslips/previous").json() == {"by": "period", "value": "previous"}
    assert client.get("/payslips/someday").status_code == 422


OVERLAP_SPEC = """
openapi: 3.0.3
info: {title: Zones, version: "1"}
paths:
  /sites/{site}/zones/{zoneId}:
    get:
      operationId: getZone
      tags: [zones]
      parameters:
        - {name: site, in: path, required: true, schema: {type: string}}
        - {name: zoneId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /sites/{site}/{zoneType}/count:
    get:
      operationId: countZones
      tags: [zones]
      parameters:
        - {name: site, in: path, required: true, schema: {type: string}}
        - {name: zoneType, in: path, required: true, schema: {type: string, enum: [zones, rssizones]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /tiles/{y}.{format}:
    get:
      operationId: getRaster
      tags: [tiles]
      parameters:
        - {name: y, in: path, required: true, schema: {type: integer}}
        - {name: format, in: path, required: true, schema: {type: string, enum: [jpg, png]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /tiles/{y}.pbf:
    get:
      operationId: getVector
      tags: [tiles]
      parameters:
        - {name: y, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /users/me:
    get:
      operationId: getMe
      tags: [users]
      parameters:
        - {name: fields, in: query, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /users/{id}:
    get:
      operationId: getUser
      tags: [users]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_routes_of_different_shapes_one_request_can_match_are_told_apart_by_parameter_types(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """mist's `/zones/{zoneId}` (a UUID) took `/zones/count`, tomtom's `{y}.{format}` (jpg or png) took `1.pbf`: a
    route tried before another that can match the same request lets a value its parameter cannot be go on. A literal
    route keeps what it matches (`/users/me` without its required query is its own 422, not a user `me`)."""
    _, server = server_from_text(OVERLAP_SPEC, "overlap_server")

    class Zones(server.ZonesServiceBase):
        async def get(self, context: Any, site: str, zone_id: Any) -> Any:
            return {"op": "zone"}

        async def count(self, context: Any, site: str, zone_type: Any) -> Any:
            return {"op": "count"}

    class Tiles(server.TilesServiceBase):
        async def get_raster(self, context: Any, y: int, format: Any) -> Any:
            return {"op": "raster"}

        async def get_vector(self, context: Any, y: int) -> Any:
            return {"op": "vector"}

    class Users(server.UsersServiceBase):
        async def get_me(self, context: Any, fields: str) -> Any:
            return {"op": "me"}

        async def get(self, context: Any, id: int) -> Any:
            return {"op": "user"}

    client = TestClient(server.create_app(zones=Zones(), tiles=Tiles(), users=Users()))
    zone = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert client.get(f"/sites/s1/zones/{zone}").json() == {"op": "zone"}
    assert client.get("/sites/s1/zones/count").json() == {"op": "count"}
    assert client.get("/tiles/1.png").json() == {"op": "raster"}
    assert client.get("/tiles/1.pbf").json() == {"op": "vector"}
    assert client.get("/users/7").json() == {"op": "user"}
    assert client.get("/users/me", params={"fields": "a"}).json() == {"op": "me"}
    assert client.get("/users/me").status_code == 422


DOCS_SPEC = """
openapi: 3.0.3
info: {title: Search, version: "1"}
paths:
  /docs:
    get:
      operationId: searchDocuments
      tags: [documents]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_a_spec_path_the_app_documents_itself_at_is_the_specs(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """Azure Search's `GET /docs` answered FastAPI's Swagger page: the app's own documentation routes are tried after
    the spec's paths (the document itself stays at /openapi.json where the spec has no such path)."""
    _, server = server_from_text(DOCS_SPEC, "docs_path_server")

    class Documents(server.DocumentsServiceBase):
        async def search(self, context: Any) -> Any:
            return {"value": []}

    client = TestClient(server.create_app(documents=Documents()))
    assert client.get("/docs").json() == {"value": []}
    assert list(client.get("/openapi.json").json()["paths"]) == ["/docs"]


OPTIONAL_BODY_SPEC = """
openapi: 3.0.3
info: {title: Files, version: "1"}
paths:
  /files/{path}#op=CREATE:
    put:
      operationId: create
      tags: [files]
      parameters:
        - {name: path, in: path, required: true, schema: {type: string}}
        - {name: op, in: query, required: true, schema: {type: string, enum: [CREATE]}}
      requestBody:
        content: {application/octet-stream: {schema: {type: string, format: binary}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /files/{path}#op=MKDIRS:
    put:
      operationId: mkdirs
      tags: [files]
      parameters:
        - {name: path, in: path, required: true, schema: {type: string}}
        - {name: op, in: query, required: true, schema: {type: string, enum: [MKDIRS]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_an_optional_body_does_not_select_by_its_media_type(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """Azure Data Lake's `PUT ...#op=CREATE` may leave its file out (an empty file): selecting it by the body's
    Content-Type sent such a call to `#op=MKDIRS`, which refused `op=CREATE`. Its `op` value selects it."""
    _, server = server_from_text(OPTIONAL_BODY_SPEC, "optional_body_server")

    class Files(server.FilesServiceBase):
        async def create(self, context: Any, path: str, op: Any, *, body: bytes | None = None) -> Any:
            return {"op": "create", "size": len(body or b"")}

        async def mkdirs(self, context: Any, path: str, op: Any) -> Any:
            return {"op": "mkdirs"}

    client = TestClient(server.create_app(files=Files()))
    assert client.put("/files/a", params={"op": "CREATE"}).json() == {"op": "create", "size": 0}
    created = client.put(
        "/files/a", params={"op": "CREATE"}, content=b"xy", headers={"Content-Type": "application/octet-stream"}
    )
    assert created.json() == {"op": "create", "size": 2}
    assert client.put("/files/a", params={"op": "MKDIRS"}).json() == {"op": "mkdirs"}


LENGTHS_SPEC = """
openapi: 3.0.3
info: {title: Countries, version: "1"}
paths:
  /countries/{code2}:
    get:
      operationId: getByCode2
      tags: [countries]
      parameters:
        - {name: code2, in: path, required: true, schema: {type: string, minLength: 2, maxLength: 2}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /countries/{code3}:
    get:
      operationId: getByCode3
      tags: [countries]
      parameters:
        - {name: code3, in: path, required: true, schema: {type: string, minLength: 3, maxLength: 3}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /countries/{number}:
    get:
      operationId: getByNumber
      tags: [countries]
      parameters:
        - {name: number, in: path, required: true, schema: {type: string, pattern: "^N-[0-9]+$"}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /countries/{name}:
    get:
      operationId: getByName
      tags: [countries]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_paths_alike_but_for_a_strings_lengths_or_pattern_are_told_apart_by_them(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """visma's `/countries/{code2}` (two characters) beside `/countries/{code3}` and `/countries/{countryName}`:
    the first route took every request and answered 422 to any value but a two-letter one."""
    _, server = server_from_text(LENGTHS_SPEC, "string_paths_server")

    class Countries(server.CountriesServiceBase):
        async def get_by_code2(self, context: Any, code2: str) -> Any:
            return {"by": "code2"}

        async def get_by_code3(self, context: Any, code3: str) -> Any:
            return {"by": "code3"}

        async def get_by_number(self, context: Any, number: str) -> Any:
            return {"by": "number"}

        async def get_by_name(self, context: Any, name: str) -> Any:
            return {"by": "name", "value": name}

    client = TestClient(server.create_app(countries=Countries()))
    assert client.get("/countries/NL").json() == {"by": "code2"}
    assert client.get("/countries/NLD").json() == {"by": "code3"}
    assert client.get("/countries/N-528").json() == {"by": "number"}
    assert client.get("/countries/Netherlands").json() == {"by": "name", "value": "Netherlands"}


SELECTIVITY_SPEC = """
openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /accounts/{accountId}/users/{userId}:
    post:
      operationId: updateUser
      tags: [users]
      parameters:
        - {name: accountId, in: path, required: true, schema: {type: string, pattern: '.*\\S.*'}}
        - {name: userId, in: path, required: true, schema: {type: string, pattern: '.*\\S.*'}}
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, required: [name], properties: {name: {type: string}}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /accounts/{accountId}/users/{userId}#operation=associate:
    post:
      operationId: associateUser
      tags: [users]
      parameters:
        - {name: accountId, in: path, required: true, schema: {type: string}}
        - {name: userId, in: path, required: true, schema: {type: string}}
        - {name: operation, in: query, required: true, schema: {type: string, enum: [associate]}}
      requestBody:
        required: true
        content: {application/json: {schema: {type: object}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /accounts/{accountId}/users/{userId}#operation=logout:
    post:
      operationId: logoutUser
      tags: [users]
      parameters:
        - {name: accountId, in: path, required: true, schema: {type: string}}
        - {name: userId, in: path, required: true, schema: {type: string}}
        - {name: operation, in: query, required: true, schema: {type: string, enum: [logout]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


def test_a_query_selector_is_tried_before_path_patterns_most_values_meet(
    server_from_text: Callable[[str, str], tuple[Path, ModuleType]],
) -> None:
    """Chime's `UpdateUser` (ids patterned `.*\\S.*`, a JSON body as another operation's) beside `#operation=logout`
    (a required query value, plain ids): counted alike, the two path patterns put `UpdateUser` first, and it took
    the logout with a 422."""
    _, server = server_from_text(SELECTIVITY_SPEC, "selectivity_server")

    class Users(server.UsersServiceBase):
        async def update(self, context: Any, account_id: str, user_id: str, body: Any) -> Any:
            return {"by": "update"}

        async def logout(self, context: Any, account_id: str, user_id: str, operation: Any) -> Any:
            return {"by": "logout"}

        async def associate(self, context: Any, account_id: str, user_id: str, operation: Any, body: Any) -> Any:
            return {"by": "associate"}

    client = TestClient(server.create_app(users=Users()))
    assert client.post("/accounts/a/users/u?operation=logout").json() == {"by": "logout"}
    assert client.post("/accounts/a/users/u", json={"name": "n"}).json() == {"by": "update"}
    assert client.post("/accounts/a/users/u?operation=associate", json={}).json() == {"by": "associate"}
