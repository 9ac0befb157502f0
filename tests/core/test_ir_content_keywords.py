"""OpenAPI 3.1 content keywords: a non-textual `contentMediaType` is binary, `contentEncoding: base64` is bytes."""

from __future__ import annotations

from pathlib import Path

from sdkgen.ir.model import ModelRef, Primitive

from .conftest import analyse_text

SPEC = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                photo: {type: string, contentMediaType: image/png}
                raw: {type: string, contentMediaType: "application/octet-stream"}
                encoded: {type: string, contentEncoding: base64, contentMediaType: image/png}
                meta: {type: string, contentMediaType: application/json}
                note: {type: string, contentMediaType: "text/plain; charset=utf-8"}
                plain: {type: string}
                dated: {type: string, format: date, contentMediaType: image/png}
      responses:
        "204": {description: done}
"""


def test_content_keywords_decide_the_string_format(tmp_path: Path) -> None:
    api = analyse_text(tmp_path, SPEC)
    body = api.operations[0].request_body
    assert body is not None and isinstance(body.preferred.type, ModelRef)
    model = api.model(body.preferred.type)
    formats = {}
    for prop in model.properties:
        assert isinstance(prop.type, Primitive)
        formats[prop.wire] = prop.type.format
    assert formats == {
        "photo": "binary",
        "raw": "binary",
        "encoded": "byte",
        "meta": None,
        "note": None,
        "plain": None,
        "dated": "date",  # an explicit format wins
    }
