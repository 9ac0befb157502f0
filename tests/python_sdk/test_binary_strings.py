"""A binary string (`format: binary`) is a file only where a file can go: a part of a multipart or form body. In
a JSON body or a parameter it is text (JSON has no bytes), as the models and the TypeScript SDK type it: the
methods took `FileTypes` there, so a caller passing the text failed the type check and one passing a file got a
TypeError from `json.dumps`."""

from __future__ import annotations

import importlib
import inspect
import json
from typing import Any

import httpx
import respx

SPEC = """
openapi: 3.0.3
info: {title: blobs, version: "1"}
servers: [{url: "https://api.blobs.test"}]
paths:
  /strings:
    put:
      operationId: putStrings
      tags: [blobs]
      parameters:
        - {name: digest, in: query, schema: {type: string, format: binary}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                data: {type: string, format: binary}
                name: {type: string}
      responses:
        "204": {description: ok}
  /uploads:
    post:
      operationId: upload
      tags: [blobs]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
      responses:
        "204": {description: ok}
"""


def test_a_binary_string_is_text_in_json_and_parameters_and_a_file_in_a_part(python_sdk: Any) -> None:
    sdk = python_sdk(SPEC, "blobs_sdk")
    resource = importlib.import_module("blobs_sdk.resources.blobs").BlobsResource
    put = inspect.signature(resource.put_strings).parameters
    upload = inspect.signature(resource.upload).parameters
    assert "FileTypes" not in str(put["data"].annotation) + str(put["digest"].annotation)
    assert str(put["data"].annotation).startswith("str")
    assert "FileTypes" in str(upload["file"].annotation)
    client = sdk.Client()
    with respx.mock(base_url="https://api.blobs.test") as mock:
        route = mock.put("/strings").respond(204)
        client.blobs.put_strings(data="aGVsbG8=", digest="x", name="n")
    sent: httpx.Request = route.calls[0].request
    assert json.loads(sent.content) == {"data": "aGVsbG8=", "name": "n"}
    assert sent.url.params["digest"] == "x"
