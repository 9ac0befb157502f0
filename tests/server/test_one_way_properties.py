"""Required read-only and write-only properties are required in one direction only: a read-only one in responses, a
write-only one in requests. Where one model travels both ways (bunq's `DeviceServer`, whose `secret` is write-only
and required), the generated server neither asked clients for its read-only fields (which the SDKs leave out: 422)
nor services for its write-only ones (500), and the Python SDK could not parse a response without the write-only
field. A model used one way keeps the check that way (a sign-up's password; an account's id)."""

from __future__ import annotations

from typing import Any

import pytest
from equivalence import differences
from fastapi.testclient import TestClient
from sdkgen.load import load_spec

SPEC = """
openapi: 3.0.3
info: {title: One way, version: "1"}
paths:
  /devices:
    post:
      operationId: createDevice
      tags: [devices]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Device"}}}
      responses:
        "201":
          description: created
          content: {application/json: {schema: {$ref: "#/components/schemas/Device"}}}
  /signup:
    post:
      operationId: signUp
      tags: [accounts]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/SignUp"}}}
      responses:
        "201":
          description: created
          content: {application/json: {schema: {$ref: "#/components/schemas/Account"}}}
components:
  schemas:
    Device:
      type: object
      required: [id, name, secret]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        secret: {type: string, writeOnly: true}
    SignUp:
      type: object
      required: [email, password]
      properties:
        email: {type: string}
        password: {type: string, writeOnly: true}
    Account:
      type: object
      required: [id, email]
      properties:
        id: {type: string, readOnly: true}
        email: {type: string}
"""


@pytest.fixture(scope="module")
def served(server_from_text: Any) -> tuple[Any, Any, list[Any]]:
    """(the spec's path, the app, the bodies the services received)."""
    spec, package = server_from_text(SPEC, "one_way_server")
    received: list[Any] = []

    class Devices(package.DevicesServiceBase):
        async def create(self, context: Any, *, body: Any) -> Any:
            received.append(body.model_dump(mode="json", exclude_unset=True))
            return {"id": "d1", "name": body.name}  # never the secret

    class Accounts(package.AccountsServiceBase):
        async def sign_up(self, context: Any, *, body: Any) -> Any:
            received.append(body.model_dump(mode="json", exclude_unset=True))
            return {"email": body.email} if body.email == "no-id@example.com" else {"id": "a1", "email": body.email}

    return spec, package.create_app(devices=Devices(), accounts=Accounts()), received


@pytest.fixture(scope="module")
def sdk(python_sdk: Any) -> Any:
    return python_sdk(SPEC, "one_way_sdk")


def test_a_model_travelling_both_ways_asks_each_side_for_its_own_fields(served: Any, sdk: Any) -> None:
    _, app, received = served
    client = sdk.Client(base_url="http://testserver", http_client=TestClient(app))
    device = client.devices.create(name="phone", secret="s3")
    assert received[-1] == {"name": "phone", "secret": "s3"}  # no id: the client does not know it
    assert (device.id, device.name, device.secret) == ("d1", "phone", None)
    assert not sdk.models.Device.model_fields["secret"].is_required()
    assert sdk.models.Device.model_fields["id"].is_required()


def test_a_model_travelling_one_way_keeps_its_checks(served: Any, sdk: Any) -> None:
    _, app, _ = served
    http = TestClient(app, raise_server_exceptions=False)
    response = http.post("/signup", json={"email": "kim@example.com"})
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["password"]
    assert http.post("/signup", json={"email": "no-id@example.com", "password": "pw"}).status_code == 500
    client = sdk.Client(base_url="http://testserver", http_client=TestClient(app))
    assert client.accounts.sign_up(email="kim@example.com", password="pw").id == "a1"
    assert sdk.models.SignUp.model_fields["password"].is_required()


def test_the_document_still_says_required(served: Any) -> None:
    spec, app, _ = served
    document = app.openapi()
    assert [str(d) for d in differences(load_spec(spec).data, document)] == []
    assert document["components"]["schemas"]["Device"]["required"] == ["id", "name", "secret"]
