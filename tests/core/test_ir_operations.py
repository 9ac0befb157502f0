"""Operations, resources, servers and security in the IR, through `sdkgen.pipeline.analyse`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sdkgen.ir.model import (
    BodyKind,
    ModelKind,
    ModelRef,
    Operation,
    ParameterLocation,
    Primitive,
    PrimitiveKind,
    SecurityKind,
    SecurityRequirement,
    Server,
    ServerVariable,
)
from sdkgen.pipeline import Analysis, analyse

from .conftest import SPECS, analyse_text, write


@cache
def analysed(name: str) -> Analysis:
    return analyse(SPECS / name)


def op(key: str, spec: str = "operations.yaml") -> Operation:
    return next(o for o in analysed(spec).api.operations if o.key == key)


def test_operation_keeps_id_method_path_summary_and_deprecation() -> None:
    get = op("getOrder")
    assert (get.method, get.path, get.summary, get.deprecated) == ("get", "/orders/{orderId}", "Get an order.", False)
    assert op("deleteOrder").deprecated


def test_operation_without_id_gets_a_key_from_method_and_path() -> None:
    health = op("get /health")
    assert (health.method, health.path) == ("get", "/health")
    assert health.name.py.isidentifier()


def test_parameters_are_grouped_by_location_with_path_level_ones_first() -> None:
    get = op("getOrder")
    assert [(p.wire, p.location) for p in get.parameters] == [
        ("orderId", ParameterLocation.PATH),
        ("expand", ParameterLocation.QUERY),
        ("X-Trace-Id", ParameterLocation.HEADER),
        ("session", ParameterLocation.COOKIE),
        ("filter", ParameterLocation.QUERY),
    ]
    assert [p.wire for p in get.parameters_in(ParameterLocation.QUERY)] == ["expand", "filter"]
    assert get.parameter("orderId") is not None and get.parameter("orderId").required  # type: ignore[union-attr]


def test_parameter_style_and_explode_are_explicit_or_defaulted_per_location() -> None:
    get = op("getOrder")
    styles = {p.wire: (p.style, p.explode) for p in get.parameters}
    assert styles == {
        "orderId": ("simple", False),
        "expand": ("form", False),
        "X-Trace-Id": ("simple", False),
        "session": ("form", True),
        "filter": ("deepObject", True),
    }


def test_request_body_lists_every_media_type_json_first() -> None:
    body = op("replaceOrder").request_body
    assert body is not None and body.required
    assert [(c.media_type, c.kind) for c in body.contents] == [
        ("application/json", BodyKind.JSON),
        ("multipart/form-data", BodyKind.MULTIPART),
        ("application/x-www-form-urlencoded", BodyKind.FORM),
        ("application/octet-stream", BodyKind.BINARY),
        ("text/plain", BodyKind.TEXT),
    ]
    assert body.preferred.type == ModelRef("/components/schemas/Order")
    assert body.contents[3].type == Primitive(PrimitiveKind.STRING, "binary")


def test_responses_include_errors_and_default_with_headers() -> None:
    get = op("getOrder")
    assert [r.status for r in get.responses] == ["200", "404", "default"]
    assert get.success is not None and get.success.status == "200"
    assert get.success.preferred is not None
    assert get.success.preferred.type == ModelRef("/components/schemas/Order")
    assert [r.status for r in get.errors] == ["404", "default"]
    (rate_limit,) = get.success.headers
    assert (rate_limit.wire, rate_limit.required) == ("X-Rate-Limit", True)
    assert rate_limit.type == Primitive(PrimitiveKind.INTEGER)


def test_a_success_without_body_is_the_success_response() -> None:
    replace = op("replaceOrder")
    assert replace.success is not None and replace.success.status == "204"
    assert replace.success.contents == []


def test_a_204_205_or_304_has_no_content_whatever_the_spec_declares(tmp_path: Path) -> None:
    """AWS declares an empty-object body on its 204s: an SDK read a model where no body comes, the server failed
    sending one. The other statuses keep theirs."""
    api = analyse_text(
        tmp_path,
        """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /tags:
    post:
      operationId: tag
      responses:
        "204": {description: done, content: {application/json: {schema: {type: object}}}}
        "304": {description: same, content: {application/json: {schema: {type: object}}}}
        "400": {description: bad, content: {application/json: {schema: {type: object}}}}
""",
    )
    (operation,) = api.operations
    assert [(r.status, len(r.contents)) for r in operation.responses] == [("204", 0), ("304", 0), ("400", 1)]
    assert operation.success is not None and operation.success.status == "204"


def test_a_multipart_or_form_answer_is_raw_bytes(tmp_path: Path) -> None:
    """No SDK decodes a multipart or form-encoded response (xtrf declares downloads as `multipart/form-data`
    without a schema): the SDKs parsed them as JSON and failed on every call. They are binary answers; a request
    body of those media types keeps its kind."""
    api = analyse_text(
        tmp_path,
        """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /download:
    post:
      operationId: download
      requestBody:
        content: {multipart/form-data: {schema: {type: object, properties: {a: {type: string}}}}}
      responses:
        "200":
          description: ok
          content:
            multipart/form-data: {}
            application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}
""",
    )
    (operation,) = api.operations
    assert operation.request_body is not None and operation.request_body.preferred.kind is BodyKind.MULTIPART
    assert operation.success is not None
    assert [(c.media_type, c.kind, c.type) for c in operation.success.contents] == [
        ("multipart/form-data", BodyKind.BINARY, Primitive(PrimitiveKind.STRING, "binary")),
        ("application/x-www-form-urlencoded", BodyKind.BINARY, Primitive(PrimitiveKind.STRING, "binary")),
    ]


def test_security_is_inherited_overridden_or_switched_off_per_operation() -> None:
    api = analysed("operations.yaml").api
    assert api.security == [SecurityRequirement((("bearerAuth", ()),))]
    assert op("getOrder").security is None  # inherits the API's
    assert op("replaceOrder").security == [
        SecurityRequirement((("apiKey", ()),)),
        SecurityRequirement((("bearerAuth", ("orders:write",)),)),
    ]
    assert op("deleteOrder").security == []  # explicitly public


def test_security_schemes_become_named_credentials() -> None:
    schemes = {s.key: s for s in analysed("operations.yaml").api.security_schemes}
    assert schemes["bearerAuth"].kind is SecurityKind.HTTP_BEARER
    assert [c.py for c in schemes["bearerAuth"].credentials] == ["bearer_token"]
    api_key = schemes["apiKey"]
    assert (api_key.kind, api_key.location, api_key.parameter_name) == (
        SecurityKind.API_KEY,
        ParameterLocation.HEADER,
        "X-Api-Key",
    )
    assert [(c.py, c.ts) for c in api_key.credentials] == [("api_key", "apiKey")]


def test_servers_keep_their_variables_and_operations_their_own_servers() -> None:
    api = analysed("operations.yaml").api
    (server,) = api.servers
    assert server.variables == (
        ServerVariable("region", "eu", ("eu", "us")),
        ServerVariable("version", "v2"),
    )
    assert server.default_url() == "https://eu.api.example/v2"
    assert op("replaceOrder").servers == [Server("https://uploads.api.example")]
    assert op("getOrder").servers == []


def test_vendor_extensions_are_kept_on_the_api_and_the_operation() -> None:
    assert analysed("operations.yaml").api.extensions == {"x-api-owner": "platform-team"}
    assert op("getOrder").extensions == {"x-internal-note": "kept as an extension"}


def test_idempotency_follows_the_http_method() -> None:
    assert op("getOrder").idempotent and op("replaceOrder").idempotent and op("deleteOrder").idempotent
    assert not op("createThing", "types.yaml").idempotent


# ---------------------------------------------------------------------------- resources


def test_operations_are_grouped_by_first_tag_else_first_path_segment() -> None:
    resources = {r.key: [o.key for o in r.operations] for r in analysed("operations.yaml").api.resources}
    assert resources == {"orders": ["getOrder", "replaceOrder", "deleteOrder"], "health": ["get /health"]}


def test_a_resource_from_a_tag_takes_the_tag_description() -> None:
    orders = next(r for r in analysed("operations.yaml").api.resources if r.key == "orders")
    assert orders.description == "Orders placed by customers."
    assert (orders.name.py, orders.class_name.py) == ("orders", "Orders")


def test_a_common_version_prefix_is_not_a_resource() -> None:
    resources = {r.key: [o.path for o in r.operations] for r in analysed("naming.yaml").api.resources}
    assert resources == {
        "users": ["/v1/users", "/v1/users/{id}/avatar"],
        "billing": ["/v1/invoices/{id}", "/v1/receipts"],
    }


def test_operations_of_every_file_of_a_multi_file_spec_are_present() -> None:
    analysis = analysed("multi/openapi.yaml")
    assert analysis.diagnostics == []
    assert sorted(o.key for o in analysis.api.operations) == ["getExpert", "getLocal", "getPrice", "listExperts"]
    listing = next(o for o in analysis.api.operations if o.key == "listExperts")
    (limit,) = listing.parameters
    assert isinstance(limit.type, Primitive) and limit.type.kind is PrimitiveKind.INTEGER
    assert (limit.type.constraints.minimum, limit.type.constraints.maximum) == (1, 100)
    expert = analysis.api.models["/components/schemas/expert"]
    assert expert.name.py == "Expert"
    assert next(p for p in expert.properties if p.wire == "mentor").type == ModelRef(expert.key)


IDEMPOTENCY_SPEC = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /payments:
    post:
      operationId: createPayment
      parameters:
        - name: Idempotency-Key
          in: header
          required: true
          description: Repeats with the same key are done once.
          schema: {type: string, maxLength: 64}
      responses:
        "204": {description: done}
  /refunds:
    post:
      operationId: createRefund
      parameters:
        - {name: idempotency-key, in: header, schema: {type: string}}
      responses:
        "204": {description: done}
  /plain:
    post:
      operationId: plain
      responses:
        "204": {description: done}
"""


def test_the_idempotency_key_header_is_kept_out_of_the_parameters_with_its_required_flag(tmp_path: Path) -> None:
    ops = {o.key: o for o in analyse_text(tmp_path, IDEMPOTENCY_SPEC).operations}
    payment, refund, plain = ops["createPayment"], ops["createRefund"], ops["plain"]
    assert payment.parameters == [] and refund.parameters == []
    assert payment.sends_idempotency_key and refund.sends_idempotency_key and not plain.sends_idempotency_key
    assert payment.idempotency_key_required and not refund.idempotency_key_required
    assert not plain.idempotency_key_required and plain.idempotency_key is None
    header = payment.idempotency_key
    assert header is not None
    assert (header.wire, header.location, header.description) == (
        "Idempotency-Key",
        ParameterLocation.HEADER,
        "Repeats with the same key are done once.",
    )
    assert isinstance(header.type, Primitive) and header.type.constraints.max_length == 64
    assert refund.idempotency_key is not None and refund.idempotency_key.wire == "idempotency-key"


ALIASED_BODIES = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /by-ref:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/RefAlias"}
      responses: {"204": {description: done}}
  /by-allof:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/AllOfAlias"}
      responses: {"204": {description: done}}
  /nullable:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NullableAlias"}
      responses: {"204": {description: done}}
components:
  schemas:
    PetBase:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: string}
    RefAlias: {$ref: "#/components/schemas/PetBase"}
    AllOfAlias:
      description: A pet, as the form sends it.
      allOf: [{$ref: "#/components/schemas/PetBase"}]
    NullableAlias:
      nullable: true
      allOf: [{$ref: "#/components/schemas/PetBase"}]
"""


def test_a_component_that_is_allof_one_model_keeps_its_name_as_an_alias(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, ALIASED_BODIES)
    alias = api.models["/components/schemas/AllOfAlias"]
    assert (alias.kind, alias.name.py, alias.target) == (
        ModelKind.ALIAS,
        "AllOfAlias",
        ModelRef("/components/schemas/PetBase"),
    )
    assert alias.description == "A pet, as the form sends it."
    body = next(o for o in api.operations if o.path == "/by-allof").request_body
    assert body is not None and body.preferred.type == ModelRef("/components/schemas/AllOfAlias")


def test_a_body_naming_an_object_through_aliases_is_sent_as_keyword_fields(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, ALIASED_BODIES)
    for path in ("/by-ref", "/by-allof"):
        body = next(o for o in api.operations if o.path == path).request_body
        assert body is not None and body.fields is not None, path
        assert [(f.name.py, f.property.required) for f in body.fields] == [("name", True), ("tag", False)], path
    # a nullable alias may be sent as null: it stays one `body` argument
    body = next(o for o in api.operations if o.path == "/nullable").request_body
    assert body is not None and body.fields is None


def test_an_operation_without_2xx_succeeds_with_its_default_response(tmp_path: Path) -> None:
    api = analyse_text(
        tmp_path,
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /thing:
    get:
      responses:
        default:
          description: the thing
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
    post:
      responses:
        "201": {description: created}
        default:
          description: a problem
          content: {application/json: {schema: {type: object, properties: {detail: {type: string}}}}}
components:
  schemas:
    Thing: {type: object, properties: {a: {type: string}}}
""",
    )
    get, post = api.operations
    assert get.success is not None and get.success.status == "default"
    assert get.success.preferred is not None and get.success.preferred.type == ModelRef("/components/schemas/Thing")
    assert post.success is not None and post.success.status == "201"
    assert [r.status for r in post.errors] == ["default"]


def test_success_bodies_that_differ_by_status_are_alternatives_and_all_are_accepted(tmp_path: Path) -> None:
    api = analyse_text(
        tmp_path,
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /export:
    post:
      responses:
        "202":
          description: a job
          content: {application/json: {schema: {$ref: "#/components/schemas/Job"}}}
        "200":
          description: the file
          content: {text/csv: {schema: {type: string}}}
        "201":
          description: the same file again
          content: {text/csv: {schema: {type: string}}}
        "204": {description: nothing to export}
  /thing:
    get:
      responses:
        "200":
          description: the thing
          content: {application/json: {schema: {$ref: "#/components/schemas/Job"}}}
        "203":
          description: the thing, from a cache
          content: {application/json: {schema: {$ref: "#/components/schemas/Job"}}}
components:
  schemas:
    Job: {type: object, properties: {id: {type: string}}}
""",
    )
    export, thing = api.operations
    assert export.success is not None and export.success.status == "200"
    assert [r.status for r in export.success_alternatives] == ["202"]  # 201's body is the same as 200's
    assert [r.status for r in export.successes] == ["200", "202"]
    assert export.success_optional
    assert export.accept == "text/csv, application/json"
    assert thing.success_alternatives == [] and thing.accept == "application/json"


def test_a_parameter_declared_with_json_content_is_sent_as_json_text(tmp_path: Path) -> None:
    api = analyse_text(
        tmp_path,
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      parameters:
        - {name: where, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: note, in: header, content: {text/plain: {schema: {type: string}}}}
      responses:
        "204": {description: ok}
""",
    )
    where, note = api.operations[0].parameters
    assert (where.style, where.explode, where.media_type, where.styled) == ("json", False, "application/json", True)
    assert (note.style, note.media_type, note.styled) == ("simple", "text/plain", False)  # text travels as itself


def test_mismatched_path_templates_and_duplicate_operation_ids_are_mended_with_warnings(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getThing
      responses: {"204": {description: ok}}
  /a/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: other, in: path, required: true, schema: {type: string}}
      responses: {"204": {description: ok}}
  c/{Id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {"204": {description: ok}}
"""
    )
    analysis = analyse(spec)
    first, second, relative = analysis.api.operations
    assert (first.key, second.key) == ("getThing", "getThing_2")  # the key is unique; the first keeps its id
    assert (first.name.py, second.name.py) == ("get_thing", "get_thing_2")
    assert [p.wire for p in second.parameters] == ["id"]  # `other` is in no template: no method could send it
    assert relative.path == "/c/{Id}" and [p.wire for p in relative.parameters] == ["Id"]
    found = {(d.code, d.location.pointer if d.location else None) for d in analysis.diagnostics}
    assert found == {
        ("duplicate-operation-id", "/paths/~1a~1{id}/get/operationId"),
        ("unused-path-parameter", "/paths/~1a~1{id}/get/parameters/1"),
        ("relative-path", "/paths/c~1{Id}"),
        ("path-parameter-case", "/paths/c~1{Id}/get/parameters/0"),
    }


def test_a_query_the_path_writes_out_becomes_query_parameters(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "spec.yaml",
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /current?city={city}&country={country}:
    get:
      parameters:
        - {name: city, in: path, required: true, schema: {type: string}}
        - {name: country, in: query, schema: {type: string}}
      responses: {"204": {description: ok}}
  /search?Action=Find&q={query}&page={page}:
    get:
      operationId: find
      parameters:
        - {name: query, in: path, required: true, schema: {type: integer}}
      responses: {"204": {description: ok}}
  /items/{id}?copy={id}:
    get:
      operationId: copyItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {"204": {description: ok}}
""",
    )
    analysis = analyse(spec)
    current, find, copy = analysis.api.operations
    assert (current.key, current.path, current.spec_path) == (
        "get /current?city={city}&country={country}",
        "/current",
        "/current?city={city}&country={country}",
    )
    assert current.name.py == "list_city_country"
    # a path parameter moves to the query; a query parameter the path names keeps its declaration (optional here)
    assert [(p.wire, p.location, p.required, p.style, p.explode) for p in current.parameters] == [
        ("city", ParameterLocation.QUERY, True, "form", True),
        ("country", ParameterLocation.QUERY, False, "form", True),
    ]
    # fixed pairs stay in the path; a variable is sent under the path's key; one nothing declares is a string
    assert (find.path, find.spec_path) == ("/search?Action=Find", "/search?Action=Find&q={query}&page={page}")
    assert [(p.wire, p.location, p.type, p.required) for p in find.parameters] == [
        ("q", ParameterLocation.QUERY, Primitive(PrimitiveKind.INTEGER), True),
        ("page", ParameterLocation.QUERY, Primitive(PrimitiveKind.STRING), True),
    ]
    assert find.operation_id == "find" and current.operation_id is None
    # a variable the path proper names too stays where it is
    assert (copy.path, copy.spec_path) == ("/items/{id}?copy={id}", None)
    found = sorted((d.code, d.location.pointer if d.location else None) for d in analysis.diagnostics)
    assert found == [
        ("query-in-path", "/paths/~1current?city={city}&country={country}/get"),
        ("query-in-path", "/paths/~1search?Action=Find&q={query}&page={page}/get"),
    ]


def test_accept_content_type_and_framing_header_parameters_are_ignored_with_a_warning(tmp_path: Path) -> None:
    """OpenAPI: a header parameter named Accept, Content-Type or Authorization SHALL be ignored. The SDKs set the
    first two from the operation's contents (a declared `Content-Type: string` was sent as the body's media type:
    vtex's JSON bodies were unreadable); `Authorization` stays, the only way specs without a security scheme say
    how credentials are sent."""
    spec = write(
        tmp_path / "spec.yaml",
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /accounts:
    put:
      operationId: putAccount
      parameters:
        - {name: Accept, in: header, required: true, schema: {type: string, example: application/json}}
        - {name: content-type, in: header, required: true, schema: {type: string}}
        - {name: Authorization, in: header, required: true, schema: {type: string}}
        - {name: Accept, in: query, schema: {type: string}}
        - {name: Transfer-Encoding, in: header, required: true, schema: {type: string, enum: [chunked]}}
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses: {"204": {description: ok}}
""",
    )
    analysis = analyse(spec)
    (put,) = analysis.api.operations
    assert [(p.wire, p.location) for p in put.parameters] == [
        ("Authorization", ParameterLocation.HEADER),
        ("Accept", ParameterLocation.QUERY),
    ]
    found = sorted((d.code, d.location.pointer if d.location else None) for d in analysis.diagnostics)
    assert found == [
        ("ignored-header-parameter", "/paths/~1accounts/put/parameters/0"),
        ("ignored-header-parameter", "/paths/~1accounts/put/parameters/1"),
        ("ignored-header-parameter", "/paths/~1accounts/put/parameters/4"),  # the HTTP client frames the request
    ]


def test_a_header_parameter_a_security_scheme_sends_is_left_out(tmp_path: Path) -> None:
    """here.com declares an `authorization` parameter (its OAuth 1.0 header) beside an `oauth` HTTP scheme: the SDK
    sent both, in two spellings, and the server read the parameter's. OpenAPI ignores an Authorization parameter;
    one a scheme the operation may use sends (an API key's header too) is left out. Without such a scheme it stays
    (specs that declare their credentials only so)."""
    spec = write(
        tmp_path / "spec.yaml",
        """
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{key: []}]
paths:
  /token:
    post:
      operationId: postToken
      security: [{signed: []}]
      parameters:
        - {name: authorization, in: header, required: true, schema: {type: string}}
        - {name: X-Key, in: header, schema: {type: string}}
      responses: {"204": {description: ok}}
  /items:
    get:
      operationId: getItems
      parameters:
        - {name: Authorization, in: header, schema: {type: string}}
        - {name: x-key, in: header, required: true, schema: {type: string}}
      responses: {"204": {description: ok}}
  /public:
    get:
      operationId: getPublic
      security: []
      parameters:
        - {name: Authorization, in: header, schema: {type: string}}
      responses: {"204": {description: ok}}
components:
  securitySchemes:
    signed: {type: http, scheme: oauth}
    key: {type: apiKey, in: header, name: X-Key}
""",
    )
    analysis = analyse(spec)
    ops = {op.key: [p.wire for p in op.parameters] for op in analysis.api.operations}
    assert ops == {"postToken": ["X-Key"], "getItems": ["Authorization"], "getPublic": ["Authorization"]}
    found = sorted((d.code, d.location.pointer if d.location else None) for d in analysis.diagnostics)
    assert found == [
        ("ignored-header-parameter", "/paths/~1items/get/parameters/1"),
        ("ignored-header-parameter", "/paths/~1token/post/parameters/0"),
    ]


def test_query_parameters_that_send_the_same_key_are_warned_about(tmp_path: Path) -> None:
    """sinao's `movements`, an object exploded into its properties (`type`, `id`, `amount`), beside the parameters
    `type` and `id`: the query carries `type` twice and a server reads one value for both (422 in the round
    trip). Nothing can tell them apart; the spec's author is told. A deepObject's keys are its own."""
    spec = write(
        tmp_path / "spec.yaml",
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /reconcile:
    post:
      operationId: reconcile
      parameters:
        - {name: type, in: query, required: true, schema: {type: string}}
        - {name: id, in: query, required: true, schema: {type: integer}}
        - name: movements
          in: query
          schema: {$ref: "#/components/schemas/Movement"}
        - {name: filter, in: query, style: deepObject, schema: {$ref: "#/components/schemas/Movement"}}
        - {name: amount, in: query, explode: false, schema: {$ref: "#/components/schemas/Movement"}}
      responses: {"204": {description: ok}}
components:
  schemas:
    Movement:
      type: object
      properties: {type: {type: string}, id: {type: integer}, amount: {type: integer}}
""",
    )
    analysis = analyse(spec)
    found = [(d.code, d.message) for d in analysis.diagnostics]
    assert found == [
        (
            "query-key-clash",
            "query parameters 'type' and 'movements' both send 'type': a server reads one value for both",
        ),
        ("query-key-clash", "query parameters 'id' and 'movements' both send 'id': a server reads one value for both"),
        (
            "query-key-clash",
            "query parameters 'movements' and 'amount' both send 'amount': a server reads one value for both",
        ),
    ]


def test_header_and_cookie_parameters_whose_names_are_not_tokens_are_left_out(tmp_path: Path) -> None:
    """notion's `{name: "", in: header}`: fetch refuses an empty header name (every call of the TypeScript SDK
    failed, a connection error); no HTTP stack can send it, nor a name with spaces or a colon. A query key may be
    anything (it is percent-encoded)."""
    spec = write(
        tmp_path / "spec.yaml",
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pages:
    get:
      operationId: getPages
      parameters:
        - {name: "", in: header, schema: {type: string, example: ""}}
        - {name: "X Trace", in: header, schema: {type: string}}
        - {name: "a:b", in: cookie, schema: {type: string}}
        - {name: Notion-Version, in: header, schema: {type: string}}
        - {name: "sort by", in: query, schema: {type: string}}
      responses: {"204": {description: ok}}
""",
    )
    analysis = analyse(spec)
    (get,) = analysis.api.operations
    assert [p.wire for p in get.parameters] == ["Notion-Version", "sort by"]
    found = sorted((d.code, d.location.pointer if d.location else None) for d in analysis.diagnostics)
    assert found == [("invalid-parameter-name", f"/paths/~1pages/get/parameters/{i}") for i in range(3)]


def test_an_api_key_scheme_whose_header_name_is_not_a_token_is_left_out(tmp_path: Path) -> None:
    """rapidapi's dynamicdocs declares API keys sent in headers named `ADVICEment API Key`: fetch throws on such a
    name (the TypeScript SDK's call failed, a connection error), no server could receive it. The scheme is left
    out, and so are the alternatives naming it (an operation left with none needs no credentials)."""
    spec = write(
        tmp_path / "spec.yaml",
        """
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{spaced: []}, {fine: []}]
paths:
  /a:
    get:
      operationId: getA
      responses: {"204": {description: ok}}
  /b:
    get:
      operationId: getB
      security: [{spaced: []}]
      responses: {"204": {description: ok}}
components:
  securitySchemes:
    spaced: {type: apiKey, in: header, name: "ADVICEment API Key"}
    fine: {type: apiKey, in: header, name: X-Key}
""",
    )
    analysis = analyse(spec)
    api = analysis.api
    assert [s.key for s in api.security_schemes] == ["fine"]
    assert [r.schemes for r in api.security] == [(("fine", ()),)]
    assert {op.key: op.security for op in api.operations}["getB"] == []
    found = [(d.code, d.location.pointer if d.location else None) for d in analysis.diagnostics]
    assert found == [("invalid-parameter-name", "/components/securitySchemes/spaced")]


def test_an_alternative_naming_an_undeclared_security_scheme_is_left_out(tmp_path: Path) -> None:
    """`security: [{api_key: []}]` with no `api_key` scheme: nothing can be sent for it, and the server could
    never be satisfied (every call answered 401); the alternative is dropped with a warning at it."""
    spec = write(
        tmp_path / "spec.yaml",
        """
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      security: [{api_key: []}]
      responses: {"204": {description: ok}}
  /b:
    get:
      operationId: getB
      security: [{api_key: []}, {bearer: []}]
      responses: {"204": {description: ok}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
""",
    )
    analysis = analyse(spec)
    ops = {o.key: o for o in analysis.api.operations}
    assert ops["getA"].security == []
    assert ops["getB"].security == [SecurityRequirement((("bearer", ()),))]
    warned = [d for d in analysis.diagnostics if d.code == "unknown-security-scheme"]
    assert [d.location.pointer for d in warned if d.location] == [
        "/paths/~1a/get/security/0",
        "/paths/~1b/get/security/0",
    ]


def test_schemes_required_together_that_need_one_header_are_read_as_alternatives(tmp_path: Path) -> None:
    """Azure Container Registry requires basic auth *and* an API key in `Authorization` together: whichever the
    SDK wrote last replaced the other, and the server refused every call. One of each clashing group is sent, each
    choice an alternative; schemes in other headers stay required beside it."""
    spec = write(
        tmp_path / "spec.yaml",
        """
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{basic: [], token: [], key: []}]
paths:
  /a: {get: {operationId: getA, responses: {"204": {description: ok}}}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    token: {type: apiKey, in: header, name: authorization}
    key: {type: apiKey, in: header, name: X-Key}
""",
    )
    analysis = analyse(spec)
    assert analysis.api.security == [
        SecurityRequirement((("basic", ()), ("key", ()))),
        SecurityRequirement((("token", ()), ("key", ()))),
    ]
    warned = [d for d in analysis.diagnostics if d.code == "security-header-clash"]
    assert len(warned) == 1 and warned[0].location is not None and warned[0].location.pointer == "/security/0"


def test_a_broken_security_scheme_reference_is_reported_once(tmp_path: Path) -> None:
    """A scheme whose `$ref` leads to a schema is left out with one warning, not one per place that reads it."""
    spec = write(
        tmp_path / "spec.yaml",
        """
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{a: []}]
paths:
  /a: {get: {operationId: getA, security: [{a: []}], responses: {"204": {description: ok}}}}
components:
  schemas:
    X: {type: object}
  securitySchemes:
    a: {$ref: "#/components/schemas/X"}
""",
    )
    analysis = analyse(spec)
    assert [d.code for d in analysis.diagnostics].count("wrong-ref-target") == 1
