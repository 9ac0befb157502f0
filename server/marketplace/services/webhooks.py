"""Webhooks: the consultation vendors' session callbacks (the payment gateway and the messaging provider
come with their own issues and answer 501).

A callback is verified as the spec's `webhookSignature` says: `X-Signature: v1=<hex HMAC-SHA256>` keyed
with the vendor's webhook secret over `<X-Signature-Timestamp>.<raw body>`, the timestamp within
`webhook_tolerance` seconds of the clock; a vendor without a configured secret has every callback refused.
The wrapper's `parse_webhook` maps the vendor's own payload onto a session event.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

import pydantic
from consultation import ProviderError
from platform_server import Context, WebhooksServiceBase
from platform_server import models as api

from .. import problems
from ..security import WebhookSignature
from ..vendors import VENDOR_OF_CHANNEL, sign
from ._base import Backend
from .consultations import ConsultationsService

__all__ = ["WebhooksService"]


class WebhooksService(WebhooksServiceBase):
    def __init__(self, backend: Backend, consultations: ConsultationsService) -> None:
        self.backend = backend
        self.consultations = consultations

    async def _verify(self, context: Context, secret: str | None, timestamp: int) -> bytes:
        """The raw body of a correctly signed, fresh callback (401 otherwise)."""
        signature = context.principal
        if secret is None or not isinstance(signature, WebhookSignature):
            raise problems.unauthenticated("Webhooks of this sender are not accepted.")
        body = await context.request.body()
        if not hmac.compare_digest(signature.value, sign(secret, timestamp, body)):
            raise problems.unauthenticated("The X-Signature does not match the request.")
        now = self.backend.clock.now().timestamp()
        if abs(now - timestamp) > self.backend.settings.webhook_tolerance:
            raise problems.unauthenticated("The X-Signature-Timestamp is too far from the current time.")
        return body

    async def receive_consultation_vendor(
        self, context: Context, *, vendor: str, x_signature_timestamp: int, body: dict[str, object]
    ) -> api.WebhookAck:
        if vendor not in VENDOR_OF_CHANNEL.values():
            raise problems.not_found(f"No consultation vendor {vendor}.")
        vendors = self.consultations.vendors
        raw = await self._verify(context, vendors.webhook_secret(vendor), x_signature_timestamp)
        payload: Any = json.loads(raw)  # the vendor's own shape, exactly as signed
        try:
            async with vendors.provider(vendor, parse_only=True) as provider:
                event = provider.parse_webhook(payload)
        except (ProviderError, pydantic.ValidationError, ValueError) as exc:
            raise problems.validation_failed("body", f"is not a {vendor} session event: {exc}") from exc
        duplicate = await self.consultations.on_vendor_event(vendor, event)
        return api.WebhookAck(received=True, duplicate=duplicate)
