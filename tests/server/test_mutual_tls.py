"""Operations secured by a client certificate (3.1 `mutualTLS`, or `http` with scheme `mutual`): the TLS layer
requires and verifies it, so the app has nothing to find in the request and must not answer 401."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient
from sdkgen.ir.model import SecurityKind
from sdkgen.pipeline import analyse

SPEC = """
openapi: 3.1.0
info: {title: Certs, version: "1"}
paths:
  /certified:
    get:
      operationId: getCertified
      tags: [certs]
      security: [{tls: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /mutual:
    get:
      operationId: getMutual
      tags: [certs]
      security: [{mutual: []}, {token: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
components:
  securitySchemes:
    tls: {type: mutualTLS}
    mutual: {type: http, scheme: mutual}
    token: {type: http, scheme: bearer}
"""


def test_client_certificate_schemes_are_the_transports_to_check(
    tmp_path: Path, server_from_text: Callable[[str, str], tuple[Path, ModuleType]]
) -> None:
    """conjur's Kubernetes authenticator (`scheme: mutual`) and readme's `mutualTLS` answered every call 401: the
    server looked for the credential in an Authorization header. `authenticate` still sees each call, with the
    certificate where the ASGI server reports it ("" under uvicorn)."""
    spec = tmp_path / "certs.yaml"
    spec.write_text(SPEC)
    kinds = {s.key: s.kind for s in analyse(spec).api.security_schemes}
    tls, bearer = SecurityKind.MUTUAL_TLS, SecurityKind.HTTP_BEARER
    assert kinds == {"tls": tls, "mutual": tls, "token": bearer}
    _, server = server_from_text(SPEC, "certs_server")
    seen: list[tuple[str, str]] = []

    def authenticate(auth: Any) -> str:
        seen.append((auth.credentials.kind, auth.credentials.value))
        return "certified"

    class Certs(server.CertsServiceBase):
        async def get_certified(self, context: Any) -> Any:
            return {"principal": context.principal}

        async def get_mutual(self, context: Any) -> Any:
            return {"principal": context.principal}

    client = TestClient(server.create_app(certs=Certs(), authenticate=authenticate))
    assert client.get("/certified").json() == {"principal": "certified"}
    assert client.get("/mutual").json() == {"principal": "certified"}
    assert seen == [("mutualTLS", ""), ("mutualTLS", "")]
    assert client.get("/openapi.json").json()["components"]["securitySchemes"]["tls"]["type"] == "mutualTLS"
