"""`webhooks.parse(name, body)` and `webhooks.unwrap(body)`: the events an API sends, as their declared types."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from types import ModuleType

import pydantic
import pytest

SPEC = """
openapi: 3.1.0
info: {title: events, version: "1"}
paths: {}
webhooks:
  order.paid:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/OrderPaid"}
      responses:
        "200": {description: ok}
  order.refunded:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/OrderRefunded"}
      responses:
        "200": {description: ok}
  ping:
    post:
      requestBody:
        content:
          text/plain:
            schema: {type: string}
      responses:
        "200": {description: ok}
components:
  schemas:
    OrderPaid:
      type: object
      required: [type, order_id, amount]
      properties:
        type: {const: order.paid}
        order_id: {type: string}
        amount: {type: integer}
    OrderRefunded:
      type: object
      required: [type, order_id, reason]
      properties:
        type: {const: order.refunded}
        order_id: {type: string}
        reason: {type: string}
"""

PAID = {"type": "order.paid", "order_id": "o1", "amount": 900}
REFUNDED = {"type": "order.refunded", "order_id": "o1", "reason": "damaged"}


@pytest.fixture(scope="module")
def webhooks(python_sdk: Callable[[str, str], ModuleType]) -> ModuleType:
    sdk = python_sdk(SPEC, "events_sdk")
    return importlib.import_module(f"{sdk.__name__}.webhooks")


def test_each_json_webhook_is_listed_with_its_type(webhooks: ModuleType) -> None:
    assert webhooks.WEBHOOKS == {"order.paid": "OrderPaid", "order.refunded": "OrderRefunded"}  # not text/plain


def test_parse_validates_the_body_as_the_named_webhooks_type(webhooks: ModuleType) -> None:
    paid = webhooks.parse("order.paid", json.dumps(PAID))
    assert (type(paid).__name__, paid.order_id, paid.amount) == ("OrderPaid", "o1", 900)
    refunded = webhooks.parse("order.refunded", json.dumps(REFUNDED).encode())
    assert (type(refunded).__name__, refunded.reason) == ("OrderRefunded", "damaged")
    with pytest.raises(pydantic.ValidationError):
        webhooks.parse("order.paid", json.dumps(REFUNDED))
    with pytest.raises(ValueError) as unknown:
        webhooks.parse("order.shipped", json.dumps(PAID))
    assert str(unknown.value) == "'order.shipped' is not a webhook of this API: 'order.paid', 'order.refunded'"


def test_unwrap_tells_the_events_apart(webhooks: ModuleType) -> None:
    assert type(webhooks.unwrap(json.dumps(PAID))).__name__ == "OrderPaid"
    assert type(webhooks.unwrap(json.dumps(REFUNDED))).__name__ == "OrderRefunded"
    with pytest.raises(pydantic.ValidationError):
        webhooks.unwrap(b'{"type": "order.paid"}')
