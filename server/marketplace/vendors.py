"""The phone/video consultation vendors, behind the generated `consultation` wrapper.

Video consultations run at vidiconnect, phone ones at callbridge; the settings give each vendor's base URL,
credentials and webhook secret. A vendor without credentials is never called. Webhooks are signed as the
spec's `webhookSignature` says: `X-Signature: v1=<hex HMAC-SHA256>` keyed with the vendor's webhook secret
over `<X-Signature-Timestamp>.<raw body>`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from consultation import AsyncConsultationProvider, create_async_provider
from consultation.models import SessionStatus

from .settings import Settings

__all__ = ["VENDOR_OF_CHANNEL", "Vendors", "platform_status", "sign"]

VENDOR_OF_CHANNEL = {"video": "vidiconnect", "phone": "callbridge"}

# the wrapper's session status → the platform's SessionStatus (pending | ready | live | ended | failed)
_STATUS = {
    SessionStatus.SCHEDULED: "ready",
    SessionStatus.RINGING: "ready",
    SessionStatus.IN_PROGRESS: "live",
    SessionStatus.ENDED: "ended",
    SessionStatus.CANCELLED: "ended",
    SessionStatus.FAILED: "failed",
}


def platform_status(status: SessionStatus, current: str) -> str:
    """The platform status for a wrapper status (an unknown one keeps `current`)."""
    return _STATUS.get(status, current)


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The `X-Signature` value of `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


class Vendors:
    """Opens wrapper providers for the configured vendors."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _options(self, vendor: str) -> dict[str, Any] | None:
        """The SDK client options of `vendor`; None when it has no credentials (or is unknown)."""
        s = self.settings
        options: dict[str, Any]
        if vendor == "vidiconnect":
            if not s.vidiconnect_api_key:
                return None
            options = {"bearer_token": s.vidiconnect_api_key, "base_url": s.vidiconnect_base_url}
        elif vendor == "callbridge":
            if not (s.callbridge_account_sid and s.callbridge_auth_token):
                return None
            options = {
                "username": s.callbridge_account_sid,
                "password": s.callbridge_auth_token,
                "base_url": s.callbridge_base_url,
            }
        else:
            return None
        return {k: v for k, v in options.items() if v is not None}

    def configured(self, vendor: str) -> bool:
        return self._options(vendor) is not None

    def webhook_secret(self, vendor: str) -> str | None:
        return {
            "vidiconnect": self.settings.vidiconnect_webhook_secret,
            "callbridge": self.settings.callbridge_webhook_secret,
        }.get(vendor)

    @asynccontextmanager
    async def provider(self, vendor: str, *, parse_only: bool = False) -> AsyncIterator[AsyncConsultationProvider]:
        """The provider of a configured `vendor` (`configured()` first), its HTTP client closed afterwards.

        `parse_only`: for `parse_webhook`, which makes no HTTP call, so the vendor needs no credentials."""
        options = self._options(vendor)
        if options is None:
            if not parse_only or vendor not in VENDOR_OF_CHANNEL.values():
                raise LookupError(f"the consultation vendor {vendor} is not configured")
            options = {"base_url": "http://vendor.invalid"}
        provider = create_async_provider(vendor, **options)
        try:
            yield provider
        finally:
            client: Any = getattr(provider, "client", None)
            if client is not None:
                await client.close()
