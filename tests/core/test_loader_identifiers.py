"""OpenAPI 3.1 schemas that name themselves (`$id`, `$anchor`) and the references that use those names.

JSON Schema 2020-12 lets a schema declare a URI (`$id`) or a plain name (`$anchor`); a `$ref` may then use it
(`https://example.com/pet`, `pet` relative to an `$id`, `#pet`) without anything being fetched, and a
reference inside a schema with an `$id` resolves against that `$id`. They were reported `unresolved-ref`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sdkgen.diagnostics import SpecError
from sdkgen.ir.model import ArrayType, ModelRef
from sdkgen.load import load_spec

from .conftest import analyse_text, write

SPEC = """
openapi: 3.1.0
info: {title: Identifiers, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#pet"}
  /owners/{id}:
    get:
      operationId: getOwner
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "https://example.com/schemas/owner"}
components:
  schemas:
    Pet:
      $id: https://example.com/schemas/pet
      $anchor: pet
      type: object
      required: [name]
      properties:
        name: {type: string}
        nickname: {$ref: "#/properties/name"}
        tag: {$ref: "#/$defs/Tag"}
        owner: {$ref: "owner"}
      $defs:
        Tag:
          type: object
          properties:
            label: {type: string}
    Owner:
      $id: https://example.com/schemas/owner
      type: object
      properties:
        login: {type: string}
        pets:
          type: array
          items: {$ref: "pet#/$defs/Tag"}
        best: {$ref: "#/components/schemas/Pet"}
        tagged: {$ref: "#tag"}
    Label:
      $anchor: tag
      type: string
"""

PET = "/components/schemas/Pet"


def test_anchor_and_id_references_become_json_pointers(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path / "spec.yaml", SPEC))
    pets = spec.data["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert pets["items"] == {"$ref": f"#{PET}"}
    owner = spec.data["paths"]["/owners/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert owner == {"$ref": "#/components/schemas/Owner"}
    properties = spec.data["components"]["schemas"]["Pet"]["properties"]
    # inside the resource `https://example.com/schemas/pet`, `#/...` is a pointer from that schema, not the document
    assert properties["nickname"] == {"$ref": f"#{PET}/properties/name"}
    assert properties["tag"] == {"$ref": f"#{PET}/$defs/Tag"}
    assert properties["owner"] == {"$ref": "#/components/schemas/Owner"}
    owner_properties = spec.data["components"]["schemas"]["Owner"]["properties"]
    assert owner_properties["pets"]["items"] == {"$ref": f"#{PET}/$defs/Tag"}
    # a pointer that does not exist inside the resource is read from the document's root, as every tool does
    assert owner_properties["best"] == {"$ref": f"#{PET}"}
    # an anchor outside every resource, named from inside one: found in the file
    assert owner_properties["tagged"] == {"$ref": "#/components/schemas/Label"}
    assert [d.code for d in spec.diagnostics] == []


def test_the_models_refer_to_each_other_through_the_identifiers(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    pet = {p.wire: p.type for p in api.models[PET].properties}
    assert pet["tag"] == ModelRef(f"{PET}/$defs/Tag")
    assert pet["owner"] == ModelRef("/components/schemas/Owner")
    owner = {p.wire: p.type for p in api.models["/components/schemas/Owner"].properties}
    assert owner["best"] == ModelRef(PET)
    listing = next(o for o in api.operations if o.operation_id == "listPets")
    assert listing.success is not None and listing.success.preferred is not None
    assert listing.success.preferred.type == ArrayType(ModelRef(PET))


def test_an_anchor_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path / "common.yaml",
        "Error:\n  $anchor: error\n  type: object\n  properties:\n    message: {type: string}\n",
    )
    text = SPEC.replace('items: {$ref: "#pet"}', 'items: {$ref: "common.yaml#error"}')
    spec = load_spec(write(tmp_path / "spec.yaml", text))
    pets = spec.data["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert pets["items"] == {"$ref": "#/components/schemas/Error"}
    assert spec.data["components"]["schemas"]["Error"]["properties"] == {"message": {"type": "string"}}


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("#nothing", "no $anchor 'nothing' in"),
        ("https://example.com/schemas/none", "remote references are not fetched"),
        ("https://example.com/schemas/pet#missing", "does not resolve"),
        ("https://example.com/schemas/pet#/properties/none", "no /components/schemas/Pet/properties/none"),
    ],
)
def test_an_unknown_name_is_an_error_at_the_reference(tmp_path: Path, ref: str, message: str) -> None:
    text = SPEC.replace('items: {$ref: "#pet"}', f'items: {{$ref: "{ref}"}}')
    with pytest.raises(SpecError) as raised:
        load_spec(write(tmp_path / "spec.yaml", text))
    (problem,) = raised.value.diagnostics
    assert problem.code == "unresolved-ref"
    assert message in problem.message
    assert problem.location is not None
    assert problem.location.file.endswith("spec.yaml")
    assert problem.location.pointer == "/paths/~1pets/get/responses/200/content/application~1json/schema/items/$ref"
    assert problem.location.line == 15


def test_a_schema_file_with_its_own_id_resolves_names_against_it(tmp_path: Path) -> None:
    """A file that is one schema with an `$id`: its references are relative to that `$id`, then to the file."""
    write(
        tmp_path / "schemas" / "error.yaml",
        """$id: https://example.com/schemas/error
type: object
properties:
  code: {$ref: "#/$defs/Code"}
  detail: {$ref: "#detail"}
$defs:
  Code: {type: integer}
  Detail:
    $anchor: detail
    type: string
""",
    )
    text = SPEC.replace('items: {$ref: "#pet"}', 'items: {$ref: "schemas/error.yaml"}')
    spec = load_spec(write(tmp_path / "spec.yaml", text))
    error = spec.data["components"]["schemas"]["error"]
    assert error["properties"] == {
        "code": {"$ref": "#/components/schemas/Code"},
        "detail": {"$ref": "#/components/schemas/Detail"},
    }
    assert spec.data["components"]["schemas"]["Code"] == {"type": "integer"}


@pytest.mark.parametrize("bad", ["http://[::1", "//[x"])
def test_an_identifier_or_reference_that_is_no_uri_is_an_error_not_a_crash(tmp_path: Path, bad: str) -> None:
    text = SPEC.replace("$id: https://example.com/schemas/owner", f'$id: "{bad}"')
    text = text.replace('items: {$ref: "#pet"}', f'items: {{$ref: "{bad}"}}')
    with pytest.raises(SpecError) as raised:
        load_spec(write(tmp_path / "spec.yaml", text))
    codes = {d.code for d in raised.value.diagnostics}
    assert codes == {"unresolved-ref"}
