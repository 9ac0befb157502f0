"""Operations alike but for the keys their JSON bodies require (Azure Face's `POST /verify`, `faceId1` and
`faceId2`, beside `POST /verify#overload=person`, `faceId` and `personId`): the server reads the body and routes
by those keys. Every face-to-person call went to the face-to-face operation, 422."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

SPEC = """
openapi: 3.0.3
info: {title: Faces, version: "1"}
paths:
  /verify:
    post:
      operationId: verifyFaceToFace
      tags: [faces]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/FaceToFace"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Verdict"}}}}
  /verify#overload=person:
    post:
      operationId: verifyFaceToPerson
      tags: [faces]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/FaceToPerson"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Verdict"}}}}
  /verify#overload=group:
    post:
      operationId: verifyFaceToGroup
      tags: [faces]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/FaceToGroup"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Verdict"}}}}
components:
  schemas:
    FaceToFace:
      type: object
      required: [faceId1, faceId2]
      properties: {faceId1: {type: string}, faceId2: {type: string}}
    FaceToPerson:
      type: object
      required: [faceId, personId]
      properties: {faceId: {type: string}, personId: {type: string}, personGroupId: {type: string}}
    FaceToGroup:
      type: object
      required: [faceId, personId, groupId]
      properties: {faceId: {type: string}, personId: {type: string}, groupId: {type: string}}
    Verdict:
      type: object
      required: [by]
      properties: {by: {type: string}}
"""


@pytest.fixture(scope="module")
def app(server_from_text: Any) -> Any:
    server = server_from_text(SPEC, "faces_server")[1]

    class Faces(server.FacesServiceBase):
        async def verify_to_face(self, context: Any, *, body: Any) -> Any:
            return {"by": f"faces {body.face_id1} {body.face_id2}"}

        async def verify_to_person(self, context: Any, *, body: Any) -> Any:
            return {"by": f"person {body.face_id} {body.person_id}"}

        async def verify_to_group(self, context: Any, *, body: Any) -> Any:
            return {"by": f"group {body.group_id}"}

    return server.create_app(faces=Faces())


def test_each_call_reaches_the_operation_its_body_is_for(app: Any, python_sdk: Any) -> None:
    sdk = python_sdk(SPEC, "faces_sdk")
    client = sdk.Client(base_url="http://testserver", http_client=TestClient(app))
    assert client.faces.verify_to_face(face_id1="a", face_id2="b").by == "faces a b"
    assert client.faces.verify_to_person(face_id="a", person_id="p").by == "person a p"
    # the body with more keys is tried first: a group's body also has a person's keys
    assert client.faces.verify_to_group(face_id="a", person_id="p", group_id="g").by == "group g"


def test_a_body_no_operation_takes_is_answered_by_the_last_one_tried(app: Any) -> None:
    http = TestClient(app)
    refused = http.post("/verify", json={"faceId": "a"})
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"faceId1", "faceId2"}
    assert http.post("/verify", content=b"not json", headers={"Content-Type": "application/json"}).status_code == 400
    served = http.get("/openapi.json").json()["paths"]
    assert set(served["/verify"]) == {"post"}
