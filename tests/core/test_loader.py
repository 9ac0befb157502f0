"""The loader: JSON and YAML, 3.0 and 3.1, `$ref`s across files, cycles, and where each part came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_pydantic.v3 import v3_0, v3_1
from sdkgen.diagnostics import SpecError
from sdkgen.load import load_spec

from .conftest import SPECS, write

MINIMAL = """openapi: {version}
info:
  title: Minimal
  version: "1"
paths: {{}}
"""


def test_yaml_and_json_forms_of_a_spec_load_to_the_same_document() -> None:
    from_yaml = load_spec(SPECS / "petstore-30.yaml")
    from_json = load_spec(SPECS / "petstore-30.json")
    assert from_yaml.data == from_json.data
    assert isinstance(from_yaml.model, v3_0.OpenAPI)
    assert isinstance(from_json.model, v3_0.OpenAPI)
    assert from_yaml.diagnostics == from_json.diagnostics == []


def test_openapi_31_is_parsed_into_the_31_model() -> None:
    spec = load_spec(SPECS / "openapi-31.yaml")
    assert isinstance(spec.model, v3_1.OpenAPI)
    assert spec.is_31
    assert spec.version == "3.1.0"


@pytest.mark.parametrize("version", ["3.0.0", "3.0.1", "3.0.2", "3.0.3", "3.0.4", "3.1.0", "3.1.1"])
def test_every_30x_and_31x_patch_version_is_accepted(version: str, tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path / "spec.yaml", MINIMAL.format(version=version)))
    assert spec.version == version
    assert isinstance(spec.model, v3_1.OpenAPI if version.startswith("3.1") else v3_0.OpenAPI)


def test_swagger_2_is_refused_with_a_message_saying_so(tmp_path: Path) -> None:
    path = write(tmp_path / "swagger.json", json.dumps({"swagger": "2.0", "info": {}, "paths": {}}))
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    (problem,) = raised.value.diagnostics
    assert problem.code == "swagger-2"
    assert "Swagger 2.0 is not supported" in problem.message
    assert "OpenAPI 3" in problem.message


def test_unquoted_yaml_dates_stay_strings(tmp_path: Path) -> None:
    text = MINIMAL.format(version="3.0.3").replace('version: "1"', "version: 2024-01-31")
    spec = load_spec(write(tmp_path / "spec.yaml", text))
    assert spec.model.info.version == "2024-01-31"


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.format(version="3.0.3").encode())
    assert load_spec(path).model.info.title == "Minimal"


# ---------------------------------------------------------------------------- multi-file specs


def test_external_refs_are_bundled_into_one_document() -> None:
    spec = load_spec(SPECS / "multi" / "openapi.yaml")
    schemas = spec.data["components"]["schemas"]
    assert {"Local", "Money", "Currency", "expert", "address", "CountryCode", "Problem"} <= set(schemas)
    # a schema keeps its identity: every reference to it is a local `$ref` to the hoisted copy
    assert schemas["Local"]["properties"]["price"] == {"$ref": "#/components/schemas/Money"}
    assert schemas["expert"]["properties"]["fee"] == {"$ref": "#/components/schemas/Money"}
    assert schemas["expert"]["properties"]["address"] == {"$ref": "#/components/schemas/address"}
    # nested across three files: openapi.yaml → expert.yaml → nested/address.yaml → common.yaml
    assert schemas["address"]["properties"]["country"] == {"$ref": "#/components/schemas/CountryCode"}
    assert schemas["Money"]["properties"]["currency"] == {"$ref": "#/components/schemas/Currency"}


def test_external_path_items_parameters_and_responses_are_inlined() -> None:
    spec = load_spec(SPECS / "multi" / "openapi.yaml")
    paths = spec.data["paths"]
    listing = paths["/experts"]["get"]
    assert listing["operationId"] == "listExperts"
    assert listing["parameters"][0]["name"] == "limit"
    assert paths["/experts/{expertId}"]["get"]["responses"]["404"]["description"] == "Not found."
    assert paths["/experts/{expertId}"]["parameters"][0]["name"] == "expertId"


def test_a_schema_referring_to_its_own_file_is_recursive() -> None:
    spec = load_spec(SPECS / "multi" / "openapi.yaml")
    assert spec.data["components"]["schemas"]["expert"]["properties"]["mentor"] == {
        "$ref": "#/components/schemas/expert"
    }


def test_every_file_of_a_multi_file_spec_is_listed() -> None:
    spec = load_spec(SPECS / "multi" / "openapi.yaml")
    names = sorted(f.path.relative_to((SPECS / "multi").resolve()).as_posix() for f in spec.files)
    assert names == [
        "common.yaml",
        "openapi.yaml",
        "paths/experts.yaml",
        "schemas/expert.yaml",
        "schemas/nested/address.yaml",
    ]


def test_a_bundled_pointer_is_located_in_the_file_and_line_it_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SPECS / "multi")
    spec = load_spec(Path("openapi.yaml"))
    name = spec.locate("/components/schemas/expert/properties/name")
    assert (name.file, name.line) == ("schemas/expert.yaml", 6)
    limit = spec.locate("/paths/~1experts/get/parameters/0/schema/maximum")
    assert (limit.file, limit.line) == ("common.yaml", 29)
    local = spec.locate("/components/schemas/Local/properties/price")
    assert (local.file, local.line) == ("openapi.yaml", 37)
    # the pointer is the one inside the file named, so the reader can find it there
    assert name.pointer == "/properties/name"
    assert limit.pointer == "/components/parameters/Limit/schema/maximum"


def test_an_external_schema_whose_name_is_taken_gets_a_new_one(tmp_path: Path) -> None:
    write(tmp_path / "other.yaml", "Money:\n  type: object\n  properties:\n    cents: {type: integer}\n")
    root = write(
        tmp_path / "openapi.yaml",
        """openapi: 3.0.3
info: {title: Collision, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  mine: {$ref: "#/components/schemas/Money"}
                  theirs: {$ref: "other.yaml#/Money"}
components:
  schemas:
    Money:
      type: object
      properties:
        amount: {type: number}
""",
    )
    schemas = load_spec(root).data["components"]["schemas"]
    assert set(schemas["Money"]["properties"]) == {"amount"}
    assert set(schemas["Money2"]["properties"]) == {"cents"}


def test_a_ref_inside_an_example_is_data_and_not_followed(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        """openapi: 3.0.3
info: {title: Examples, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object}
              example:
                $ref: "nowhere.yaml#/Thing"
""",
    )
    spec = load_spec(root)
    example = spec.data["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert example == {"$ref": "nowhere.yaml#/Thing"}
    assert spec.diagnostics == []


def test_percent_encoded_local_refs_resolve(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        """openapi: 3.0.3
info: {title: Encoded, version: "1"}
paths:
  /users/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok}
    delete:
      parameters:
        - $ref: "#/paths/~1users~1%7Bid%7D/get/parameters/0"
      responses:
        "204": {description: gone}
""",
    )
    spec = load_spec(root)
    assert spec.data["paths"]["/users/{id}"]["delete"]["parameters"][0] == {
        "$ref": "#/paths/~1users~1{id}/get/parameters/0"
    }


# ---------------------------------------------------------------------------- cycles


def test_schemas_that_contain_themselves_load() -> None:
    spec = load_spec(SPECS / "circular.yaml")
    schemas = spec.data["components"]["schemas"]
    assert schemas["Node"]["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Node"}
    assert spec.diagnostics == []


def test_a_schema_cycle_through_another_file_loads(tmp_path: Path) -> None:
    write(
        tmp_path / "people.yaml",
        """Person:
  type: object
  properties:
    employer: {$ref: "companies.yaml#/Company"}
""",
    )
    write(
        tmp_path / "companies.yaml",
        """Company:
  type: object
  properties:
    staff:
      type: array
      items: {$ref: "people.yaml#/Person"}
""",
    )
    root = write(
        tmp_path / "openapi.yaml",
        """openapi: 3.0.3
info: {title: Cross-file cycle, version: "1"}
paths:
  /people:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "people.yaml#/Person"}
""",
    )
    schemas = load_spec(root).data["components"]["schemas"]
    assert schemas["Person"]["properties"]["employer"] == {"$ref": "#/components/schemas/Company"}
    assert schemas["Company"]["properties"]["staff"]["items"] == {"$ref": "#/components/schemas/Person"}


def test_a_path_item_cycle_inside_one_file_is_one_error(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        """openapi: 3.0.3
info: {title: Loop, version: "1"}
paths:
  /a:
    $ref: "#/paths/~1b"
  /b:
    $ref: "#/paths/~1a"
""",
    )
    with pytest.raises(SpecError) as raised:
        load_spec(root)
    (problem,) = raised.value.diagnostics
    assert problem.code == "ref-cycle"
    assert problem.location is not None
    assert (problem.location.line, problem.location.pointer) == (5, "/paths/~1a/$ref")
    assert "#/paths/~1a → #/paths/~1b → #/paths/~1a" in problem.message


# ---------------------------------------------------------------------------- repairs the models need


def test_extensions_in_paths_responses_and_callbacks_are_accepted(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        """openapi: 3.0.3
info: {title: Extensions, version: "1"}
paths:
  x-paths-note: allowed by the spec
  /a:
    post:
      responses:
        x-responses-note: allowed too
        "200": {description: ok}
      callbacks:
        done:
          $ref: "#/components/callbacks/Done"
components:
  callbacks:
    Done:
      x-callback-note: and here
      "{$request.body#/url}":
        post:
          responses:
            "200": {description: ok}
""",
    )
    spec = load_spec(root)
    assert spec.diagnostics == []
    assert list(spec.model.paths or {}) == ["/a"]
    # the source document itself is left as written
    assert "x-paths-note" in spec.files[0].data["paths"]


def test_a_schema_ref_to_a_response_is_read_as_any_value_with_a_warning(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        """openapi: 3.0.3
info: {title: Misdirected, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/responses/Ok"
components:
  responses:
    Ok:
      description: ok
""",
    )
    spec = load_spec(root)
    (problem,) = spec.diagnostics
    assert problem.code == "wrong-ref-target"
    assert "leads to a response, not a schema" in problem.message
    assert problem.location is not None and problem.location.line == 12


def test_a_broken_schema_reached_only_through_defs_is_repaired_with_a_warning(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        """openapi: 3.1.0
info: {title: Raw $defs, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Box/$defs/Lid"
components:
  schemas:
    Box:
      type: object
      $defs:
        Lid:
          type: {not: a type}
""",
    )
    spec = load_spec(root)
    (problem,) = spec.diagnostics
    assert problem.code == "invalid-schema"
    assert problem.location is not None
    assert problem.location.pointer == "/components/schemas/Box/$defs/Lid"
    assert problem.location.line == 18


def test_an_invalid_annotation_is_dropped_and_the_schema_kept(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        """openapi: 3.1.0
info: {title: Annotations, version: "1"}
paths: {}
components:
  schemas:
    Report:
      type: object
      examples:
        one: {value: {size: 1}}
      properties:
        size:
          type: integer
          required: true
""",
    )
    spec = load_spec(root)
    report = spec.data["components"]["schemas"]["Report"]
    assert "examples" not in report
    assert report["properties"]["size"] == {"type": "integer"}
    warned = sorted(d.location.pointer for d in spec.diagnostics if d.location is not None)
    assert warned == ["/components/schemas/Report/examples", "/components/schemas/Report/properties/size/required"]
    assert all("is ignored" in d.message for d in spec.diagnostics)
    # the file as read is left alone
    assert "examples" in spec.files[0].data["components"]["schemas"]["Report"]


def test_an_integer_too_long_for_python_is_read_as_a_float(tmp_path: Path) -> None:
    huge = "9" * 5000
    text = '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}, "x-big": ' + huge + "}"
    spec = load_spec(write(tmp_path / "big.json", text))
    assert spec.data["x-big"] == float("inf")


def test_half_a_surrogate_pair_becomes_the_replacement_character_with_a_warning(tmp_path: Path) -> None:
    text = '{"openapi": "3.0.3", "info": {"title": "T\\ud800 \\ud83d\\ude00", "version": "1"}, "paths": {}}'
    spec = load_spec(write(tmp_path / "surrogate.json", text))
    assert spec.data["info"]["title"] == "T\ufffd \U0001f600"
    (warned,) = [d for d in spec.diagnostics if d.code == "invalid-unicode"]
    assert warned.location is not None and warned.location.pointer == "/info/title"


def test_analyse_lets_the_document_and_the_model_go_once_the_ir_is_built() -> None:
    """The parsed document and openapi-pydantic's model are most of a large spec's memory (graph-beta: 1.37 GB peak
    with both kept to the end, 0.95 GB without); emitters read only the IR, and diagnostics only the files' text."""
    from sdkgen.load import ReleasedError
    from sdkgen.pipeline import analyse

    analysis = analyse(SPECS / "multi" / "openapi.yaml")
    with pytest.raises(ReleasedError, match="document of this spec was released"):
        _ = analysis.spec.data
    with pytest.raises(ReleasedError, match="model of this spec was released"):
        _ = analysis.spec.model
    assert all(file.data is None for file in analysis.spec.files)
    assert analysis.spec.locate("/paths").line is not None  # located from the text, as diagnostics are
    assert analysis.api.operations
    kept = analyse(SPECS / "multi" / "openapi.yaml", keep_document=True)
    assert kept.spec.data["paths"] and kept.spec.model.paths
