"""Diagnostics are values with a location: how they read, and how JSON pointers are escaped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sdkgen.diagnostics import Location, SpecError, error, join_pointer, split_pointer, warning
from sdkgen.load import load_spec

from .conftest import write


def test_a_diagnostic_reads_file_line_column_code_message_and_pointer() -> None:
    problem = error("unresolved-ref", "$ref '#/x' does not resolve", Location("api.yaml", "/paths/~1a/$ref", 12, 7))
    assert problem.render() == "api.yaml:12:7: error[unresolved-ref]: $ref '#/x' does not resolve (at #/paths/~1a/$ref)"
    assert problem.is_error


def test_a_diagnostic_without_line_or_pointer_names_the_file_only() -> None:
    problem = warning("empty", "nothing here", Location("api.yaml"))
    assert problem.render() == "api.yaml: warning[empty]: nothing here"
    assert not problem.is_error


def test_pointer_tokens_with_slash_and_tilde_round_trip() -> None:
    pointer = join_pointer("/paths", "/users/{id}", "get", "a~b")
    assert pointer == "/paths/~1users~1{id}/get/a~0b"
    assert split_pointer(pointer) == ["paths", "/users/{id}", "get", "a~b"]


def test_a_spec_error_carries_every_diagnostic_and_prints_them() -> None:
    problems = [error("a", "first", Location("x.yaml", "", 1)), error("b", "second", Location("x.yaml", "", 2))]
    raised = SpecError(problems)
    assert raised.diagnostics == problems
    assert str(raised).splitlines() == [p.render() for p in problems]


def test_a_problem_in_a_json_spec_is_located_by_line_and_column(tmp_path: Path) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "JSON", "version": "1"},
        "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "body"}], "responses": {}}}},
    }
    path = write(tmp_path / "api.json", json.dumps(document, indent=2))
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    (problem,) = raised.value.diagnostics
    assert problem.location is not None
    assert problem.location.pointer == "/paths/~1a/get/parameters/0/in"
    line = path.read_text().splitlines()[problem.location.line - 1]  # type: ignore[operator]
    assert line.strip() == '"in": "body"'
    assert line[problem.location.column - 1 :].startswith('"body"')  # type: ignore[operator]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_is_a_clean_error(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.yaml", "openapi: 3.0.3\n")
    path.chmod(0)
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    assert raised.value.diagnostics[0].code == "unreadable-file"
