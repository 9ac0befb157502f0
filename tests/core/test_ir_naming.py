"""Names per target language: valid identifiers, reserved words, collisions, inline names, determinism."""

from __future__ import annotations

import keyword
import re
from functools import cache
from pathlib import Path

from sdkgen.ir.model import Api, Model, Operation
from sdkgen.pipeline import analyse

from .conftest import SPECS, analyse_text

_TS_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


@cache
def api() -> Api:
    return analyse(SPECS / "naming.yaml").api


def model(name: str) -> Model:
    return api().models[f"/components/schemas/{name}"]


def operation(key: str) -> Operation:
    return next(o for o in api().operations if o.key == key)


def test_every_generated_name_is_a_valid_non_reserved_identifier() -> None:
    names: list[tuple[str, str]] = []
    for m in api().models.values():
        names.append((m.name.py, m.name.ts))
        names += [(p.name.py, p.name.ts) for p in m.properties if p.name.ts.isidentifier()]
    for op in api().operations:
        names.append((op.name.py, op.name.ts))
        names += [(p.name.py, p.name.ts) for p in op.parameters]
    for resource in api().resources:
        names += [(resource.name.py, resource.name.ts), (resource.class_name.py, resource.class_name.ts)]
    for py, ts in names:
        assert py.isidentifier() and not keyword.iskeyword(py), py
        assert _TS_IDENTIFIER.match(ts), ts


def test_python_keywords_and_builtins_used_by_generated_code_are_escaped() -> None:
    names = {p.wire: p.name.py for p in model("class").properties}
    assert names["from"] == "from_"
    assert names["self"] == "self_"
    assert names["model_config"] == "model_config_"  # would shadow pydantic
    assert operation("listUsers").parameter("class").name.py == "class_"  # type: ignore[union-attr]
    assert operation("listUsers").parameter("timeout").name.py == "timeout_"  # type: ignore[union-attr]


def test_names_that_collide_after_conversion_get_distinct_identifiers() -> None:
    props = {p.wire: p.name.py for p in model("class").properties}
    # the property spelled `user_name` on the wire keeps that name (see the test on wire names below)
    assert (props["user-name"], props["user_name"]) == ("user_name_2", "user_name")
    params = {p.wire: (p.name.py, p.name.ts) for p in operation("listUsers").parameters}
    assert params["user-name"] != params["user_name"]
    assert params["user-name"][0] == "user_name"


def test_names_starting_with_a_digit_become_identifiers() -> None:
    props = {p.wire: p.name.py for p in model("class").properties}
    assert props["2nd"].isidentifier()
    params = {p.wire: p.name for p in operation("listUsers").parameters}
    assert params["2fa"].py.isidentifier() and params["2fa"].ts.isidentifier()


def test_model_names_that_differ_only_in_case_or_clash_with_imports_are_made_distinct() -> None:
    assert model("class").name.py == "Class"
    assert model("Class").name.py == "Class2"
    assert model("BaseModel").name.py not in ("BaseModel",)  # the generated models import pydantic's BaseModel
    assert model("my-thing.v2").name.py == "MyThingV2"
    python_names = [m.name.py for m in api().models.values()]
    assert len(python_names) == len(set(python_names))


def test_inline_schemas_are_named_from_operation_and_position() -> None:
    names = {m.key: m.name.py for m in api().models.values()}
    response = "/paths/~1v1~1users/get/responses/200/content/application~1json/schema"
    assert names[response] == "ListUsersResponse"
    assert names[response + "/properties/items/items"] == "ListUsersResponseItemsItem"
    request = "/paths/~1v1~1users~1{id}~1avatar/put/requestBody/content/application~1json/schema"
    assert names[request].endswith("Request")


def test_method_names_drop_the_resource_name_and_derive_from_path_without_id() -> None:
    assert operation("listUsers").name.py == "list"
    assert operation("put /v1/users/{id}/avatar").name.py == "update_avatar"
    assert operation("get /v1/invoices/{id}").name.py == "retrieve"
    assert operation("get /v1/receipts").name.py == "list_receipts"


def test_names_are_the_same_on_every_run() -> None:
    def names(a: Api) -> list[str]:
        result = [f"{m.key}={m.name}" for m in a.models.values()]
        result += [f"{o.key}={o.name}:{[p.name for p in o.parameters]}" for o in a.operations]
        return result

    first = analyse(SPECS / "naming.yaml").api
    second = analyse(SPECS / "naming.yaml").api
    assert names(first) == names(second)
    assert list(first.models) == list(second.models)


def test_resource_modules_are_importable_capped_and_distinct(tmp_path: Path) -> None:
    long = "t" * 300
    api = analyse_text(
        tmp_path,
        f"""
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /a: {{get: {{tags: [import], responses: {{"204": {{description: ok}}}}}}}}
  /b: {{get: {{tags: [con], responses: {{"204": {{description: ok}}}}}}}}
  /c: {{get: {{tags: [{long}], responses: {{"204": {{description: ok}}}}}}}}
""",
    )
    modules = {r.key: r.module for r in api.resources}
    assert modules["import"].py == "import_"  # a keyword is no module name
    assert modules["con"].ts.lower() != "con"  # Windows reserves con.ts
    assert len(modules[long].py) <= 100 and len(modules[long].ts) <= 100


def test_resources_named_like_client_members_get_other_attributes(tmp_path: Path) -> None:
    """A resource is an attribute of the client: it must not hide a client method or option."""
    members = ["with options", "copy", "close", "with_raw_response", "request", "options", "base_url"]
    paths = "".join(
        f'  /r{n}: {{get: {{tags: ["{tag}"], responses: {{"204": {{description: ok}}}}}}}}\n'
        for n, tag in enumerate(members)
    )
    api = analyse_text(tmp_path, f'openapi: 3.0.3\ninfo: {{title: t, version: "1"}}\npaths:\n{paths}')
    py = {r.name.py for r in api.resources}
    ts = {r.name.ts for r in api.resources}
    assert len(py) == len(ts) == len(members)
    assert not py & {"with_options", "copy", "close", "with_raw_response", "request", "base_url"}
    assert not ts & {"withOptions", "request", "options", "baseUrl"}


def test_no_property_is_named_in_python_after_another_propertys_wire_name(tmp_path: Path) -> None:
    """Models read a key by its wire name and by its Python name (construction by attribute): `_type` named `type`
    beside a wire `type` took the other's value whenever its own key was absent. The property whose Python name is
    its wire name keeps it; the other is renamed."""
    api = analyse_text(
        tmp_path,
        """
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Parameter:
      type: object
      required: [name, type]
      properties:
        _type: {type: string, enum: [String, HereString]}
        name: {type: string}
    Node:
      type: object
      properties:
        "@id": {type: string}
        id: {type: string}
        "@type": {type: string}
""",
    )
    names = {
        m.name.py: [(p.wire, p.name.py) for p in m.properties]
        for m in api.models.values()
        if m.name.py in ("Parameter", "Node")
    }
    assert names == {
        "Parameter": [("_type", "type_2"), ("name", "name"), ("type", "type")],
        "Node": [("@id", "id_2"), ("id", "id"), ("@type", "type")],
    }


def test_digits_stay_with_the_letters_before_them() -> None:
    """`ipv4Address` is `ipv4_address`, not `ipv_4_address`, and `userIDs` is `user_ids`, not `user_i_ds`: names are
    split as people write them."""
    from sdkgen.ir import naming

    cases = {
        "ipv4Address": ("ipv4_address", "ipv4Address", "Ipv4Address"),
        "getV2Users": ("get_v2_users", "getV2Users", "GetV2Users"),
        "AWS4Auth": ("aws4_auth", "aws4Auth", "Aws4Auth"),
        "ec2_instance": ("ec2_instance", "ec2Instance", "Ec2Instance"),
        "last4": ("last4", "last4", "Last4"),
        "HTTPServer": ("http_server", "httpServer", "HttpServer"),
        "LIST_EXPERTS": ("list_experts", "listExperts", "ListExperts"),
        "userIDs": ("user_ids", "userIds", "UserIds"),  # an acronym's plural is one word
        "listAPIs": ("list_apis", "listApis", "ListApis"),
    }
    for text, (py, ts, cls) in cases.items():
        assert (naming.py_identifier(text), naming.ts_identifier(text), naming.py_class_name(text)) == (py, ts, cls)
    assert naming.enum_member_name("mp4") == "MP4"
    assert naming.py_identifier("2fa") == "n_2fa"
