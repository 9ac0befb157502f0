"""Mocks generated from the third-party specs answer every operation with a response valid against the spec."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from openapi_schema_validator import OAS30Validator, OAS31Validator
from sdkgen.load import load_spec
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
THIRD_PARTY = sorted(p for p in (REPO / "specs" / "third_party").glob("*.yaml") if not p.name.endswith(".wrapper.yaml"))


def _strip_examples(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_examples(v) for k, v in node.items() if k not in ("example", "examples")}
    if isinstance(node, list):
        return [_strip_examples(v) for v in node]
    return node


def _mock_module(spec: Path, package: str, root: Path) -> Any:
    files, _ = generate(spec, "mocks", package)
    write_tree(files, root / package)
    sys.path.insert(0, str(root / package))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(root / package))


def _mock_class(module: Any) -> Any:
    return next(getattr(module, name) for name in module.__all__ if name != "OPERATIONS")


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    rooted = {**schema, "components": document.get("components", {})}
    cls = OAS31Validator if str(document.get("openapi", "")).startswith("3.1") else OAS30Validator
    return cls(rooted)


def _concrete_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", path)


def _check_every_operation(spec: Path, module: Any) -> list[str]:
    loaded = load_spec(spec)
    document = loaded.data
    mock_class = _mock_class(module)
    problems = []
    with mock_class() as mock:
        client = httpx.Client(base_url=mock.base_url)
        for op in module.OPERATIONS:
            response = client.request(op.method, mock.base_url + _concrete_path(op.path))
            declared = document["paths"][op.path][op.method.lower()]["responses"]
            entry = declared.get(str(response.status_code)) or declared.get(f"{str(response.status_code)[0]}XX")
            if entry is None:
                problems.append(f"{op.operation_id}: status {response.status_code} not declared")
                continue
            if "$ref" in entry:
                entry = loaded.data["components"]["responses"][entry["$ref"].rsplit("/", 1)[-1]]
            content = entry.get("content") or {}
            media = next((v for k, v in content.items() if "json" in k), None)
            if media is None or "schema" not in media:
                continue
            errors = sorted(_validator(document, media["schema"]).iter_errors(response.json()), key=str)
            if errors:
                problems.append(f"{op.operation_id}: {errors[0].message}")
        assert len(mock.calls(module.OPERATIONS[0].operation_id)) == 1
    return problems


@pytest.fixture(scope="module")
def mocks_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("mocks")


@pytest.mark.parametrize("spec", THIRD_PARTY, ids=[p.stem for p in THIRD_PARTY])
def test_mock_answers_every_operation_validly_with_spec_examples(spec: Path, mocks_root: Path) -> None:
    module = _mock_module(spec, f"mock_{spec.stem}", mocks_root)
    assert module.OPERATIONS
    assert _check_every_operation(spec, module) == []


@pytest.mark.parametrize("spec", THIRD_PARTY, ids=[p.stem for p in THIRD_PARTY])
def test_mock_synthesises_valid_responses_when_the_spec_has_no_examples(spec: Path, mocks_root: Path) -> None:
    bare = mocks_root / f"bare_{spec.name}"
    bare.write_text(yaml.safe_dump(_strip_examples(yaml.safe_load(spec.read_text("utf-8"))), allow_unicode=True))
    module = _mock_module(bare, f"bare_mock_{spec.stem}", mocks_root)
    assert _check_every_operation(bare, module) == []


def test_hooks_override_fail_delay_and_record(mocks_root: Path) -> None:
    module = _mock_module(REPO / "specs" / "third_party" / "pricefeed.yaml", "mock_hooks_pricefeed", mocks_root)
    mock_class = _mock_class(module)
    first = module.OPERATIONS[0]
    url_path = _concrete_path(first.path)
    with mock_class() as mock:
        client = httpx.Client(base_url=mock.base_url)
        mock.fail(first.operation_id, status=503, times=1)
        assert client.request(first.method, mock.base_url + url_path).status_code == 503
        assert client.request(first.method, mock.base_url + url_path).status_code == first.status
        mock.respond(first.operation_id, status=200, json={"overridden": True})
        assert client.request(first.method, mock.base_url + url_path).json() == {"overridden": True}
        mock.fail(first.operation_id, exception=httpx.ConnectError("down"))
        with pytest.raises(httpx.ConnectError):
            client.request(first.method, mock.base_url + url_path)
        assert len(mock.calls(first.operation_id)) == 4


MISFIT_SPEC = """
openapi: 3.0.3
info: {title: Misfits, version: "1"}
paths:
  /tweets:
    get:
      operationId: listTweets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Tweet"}}
              example: [{id: "1", created_at: "Wed Jan 06 18:40:40 +0000 2021"}]
  /tweets/{id}:
    get:
      operationId: getTweet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Tweet"}}}
  /devices:
    get:
      operationId: getDevice
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Device"}}}
components:
  schemas:
    Tweet:
      type: object
      required: [id, created_at, edit_history]
      example: {id: "2", created_at: "2021-01-06T18:40:40Z"}  # leaves out a required property
      properties:
        id: {type: string, example: 7}  # not a string
        created_at: {type: string, format: date-time, example: "Wed Jan 06 18:40:40 +0000 2021"}
        edit_history: {type: array, maxItems: 0, items: {type: string}}
        lang: {type: string, enum: [en, fr], example: klingon}
        author: {type: string, example: "kim"}
    Device:
      type: object
      required: [log_group, commit, secret]
      properties:
        log_group: {type: string, pattern: '^$|^arn:aws:logs:[a-z]+:log-group:.+$'}
        commit: {type: string, pattern: '^[0-9a-fA-F]+$', minLength: 40, maxLength: 40}
        secret: {type: string, writeOnly: true}
        conversation: {type: string, format: uuid, example: CON-f972836a}  # not a UUID
        euuid: {type: string, format: uuid, example: E1AF5EEC-526F-487D-B317EBEB34C87D71}  # three hyphens
        page: {type: string, format: uri, example: hello-world.github.io}  # not absolute
        threshold: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true}
        token: {type: string, pattern: '^(?:[A-Za-z0-9+/]{4})*$', minLength: 1}
        stamp: {type: string, pattern: '^[1-9][0-9]*-[0-9]{2}$', minLength: 6}
        fetched: {type: string, format: date-time, minLength: 25, maxLength: 35, example: "2025-10-15T13:53:25.125Z"}
        expires: {type: string, format: date-time, example: "20170228T1215Z"}
        counters: {type: object, additionalProperties: {type: integer}}
        price:  # e-conomic's example names keys the closed object does not declare
          type: object
          additionalProperties: false
          properties: {cost: {type: number}}
          example: {Description: "An awesome price", Id: 1}
        tally: {type: object, additionalProperties: {type: integer}, example: {a: "one"}}
        groups: {type: array, items: {type: integer, minimum: 1}, minItems: 3, uniqueItems: true}
        modes: {type: array, items: {type: string, enum: [a, b]}, minItems: 2, uniqueItems: true}
        codes: {type: array, items: {type: string, maxLength: 7}, minItems: 2, uniqueItems: true}
        base: {type: string, format: uri, pattern: '.+/v[0-1](\\.[0-9]+)*/?$'}
        code: {type: string, pattern: '^[0-9]*$', minLength: 6, maxLength: 10}
        arn: {type: string, pattern: '^arn:[a-z]{0,20}:[0-9]{4}$', minLength: 14, maxLength: 15}
        actual:
          type: string
          format: date-time
          pattern: '^\\d{4}-\\d{2}-\\d{2}T[0-2][0-9](:[0-5][0-9]){2}[+-][0-9]{4}$'
        node:
          type: object
          maxProperties: 2
          required: [kind]
          properties: {kind: {type: string}, a: {type: string}, b: {type: string}, c: {type: string}}
        updated: {type: string, pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$', example: "2025-10-15T13:52Z"}
        log:
          type: object
          required: [entries]
          properties:
            entries:
              type: array
              items:
                type: object
                required: [attributes]
                properties:
                  attributes:
                    oneOf: [{$ref: "#/components/schemas/V1"}, {$ref: "#/components/schemas/V2"}]
                    discriminator:
                      propertyName: format
                      mapping: {v1: "#/components/schemas/V1", v2: "#/components/schemas/V2"}
    V1:
      type: object
      minProperties: 2
      properties: {format: {type: string}, a: {type: string}}
    V2:
      type: object
      properties: {format: {type: string}, b: {type: string}}
"""


def test_examples_that_break_their_own_schema_are_not_answered(tmp_path: Path, mocks_root: Path) -> None:
    """Specs carry examples their schemas reject (a date-time in another format, a required property left out,
    a number for a string, a value the enum does not list): the mock answers a synthesised value there, which
    the SDKs' models accept, and keeps the examples that fit. Patterns with an empty alternative, a `minLength`
    beside a pattern or a date-time and `maxItems: 0` are met, a write-only property is never answered, and a
    discriminated union's value carries its tag even where optional properties are left out."""
    spec = tmp_path / "misfits.yaml"
    spec.write_text(MISFIT_SPEC)
    module = _mock_module(spec, "mock_misfits", mocks_root)
    assert _check_every_operation(spec, module) == []
    with _mock_class(module)() as mock:
        client = httpx.Client(base_url=mock.base_url)
        tweet = client.get(mock.base_url + "/tweets/1").json()
        device = client.get(mock.base_url + "/devices").json()
    assert tweet["author"] == "kim"  # the example that fits is kept
    assert tweet["created_at"] != "Wed Jan 06 18:40:40 +0000 2021" and tweet["edit_history"] == []
    assert (device["log_group"], device["commit"]) == ("", "0" * 40)
    assert device["conversation"] != "CON-f972836a" and device["updated"] != "2025-10-15T13:52Z"
    assert device["euuid"] == "3fa85f64-5717-4562-b3fc-2c963f66afa6" and device["page"] == "https://example.com/"
    assert 0 < device["threshold"] < 1
    assert (device["token"], device["stamp"]) == ("AAAA", "100-00")  # repeats grown to reach minLength
    # a date-time long enough for its minLength is spelled longer, not padded (the 24-character example is too short)
    assert device["fetched"] == "2024-01-01T00:00:00+00:00"
    # ISO 8601's basic format: Python's `fromisoformat` reads it, pydantic (the SDK's models) does not
    assert device["expires"] == "2024-01-01T00:00:00Z"
    # a map has one entry, as an array has one item (empty, a form-exploded query map is not sent at all)
    assert device["counters"] == {"key": 1}
    # an example with keys a closed object does not declare, or extra values not of their declared type, is not one
    assert (device["price"], device["tally"]) == ({"cost": 1.0}, {"key": 1})
    # `uniqueItems`: items that would repeat are varied within their type
    assert (device["groups"], device["modes"], device["codes"]) == ([1, 2, 3], ["a", "b"], ["string", "string1"])
    # a pattern beside a format: the pattern's string after the format's value, where that reads as both
    assert device["base"] == "https://example.com/a/v0"
    # `maxProperties`: the optional properties kept beside the required ones stop at the bound
    assert device["node"] == {"kind": "string", "a": "string"}
    # an anchored repeat grown to minLength (`^[0-9]*$`: the shortest match is empty, and x-padding breaks it)
    assert device["code"] == "000000"
    # grown by the least repeat count that reaches minLength (doubling to 8 overshot maxLength; AppSync's ARNs)
    assert device["arn"] == "arn:aaaaa:0000"
    # a date-time pattern's digits: 0000-00-00 is no date (data2crm's header answered 422), 1111-11-11 is
    assert device["actual"] == "1111-11-11T11:11:11+1111"
    # a tagged union's value carries its tag; optional properties fill `minProperties`
    assert device["log"]["entries"][0]["attributes"] == {"format": "v1", "a": "string"}


BACKTRACKING_SPEC = r"""
openapi: 3.0.3
info: {title: Links, version: "1"}
paths:
  /links:
    get:
      operationId: getLink
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  url:
                    type: string
                    pattern: '^(https?:\/\/)?([\w.-]+)([\/\w .-]*)*$'
                    example: "http://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,b"
"""


def test_a_pattern_that_backtracks_exponentially_does_not_hang_generation(tmp_path: Path) -> None:
    """beezup's URL pattern nests quantifiers (`([\\/\\w \\.-]*)*`): Python's `re` takes exponential time to find that
    an example with a comma does not match, and generating the mocks never ended. Patterns are checked as the
    server checks them (pydantic's linear-time regex); the example that does not match is not answered."""
    spec = tmp_path / "links.yaml"
    spec.write_text(BACKTRACKING_SPEC)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sdkgen", "--quiet", "generate", "mocks", str(spec), "--out", str(out)]
    done = subprocess.run([*command, "--package", "links_mock"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = "".join(p.read_text() for p in out.rglob("*.py"))
    assert "a,b" not in text and "aaaaaaaaaa" not in text
