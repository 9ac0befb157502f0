"""Where the server reads the time: every rule about "now" (token expiry, scheduling windows) asks a Clock."""

from __future__ import annotations

import datetime
from typing import Protocol

__all__ = ["Clock", "SystemClock", "utc"]


def utc(value: datetime.datetime) -> datetime.datetime:
    """`value` as an aware UTC datetime (naive values are taken to be UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


class Clock(Protocol):
    def now(self) -> datetime.datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime.datetime:
        return datetime.datetime.now(datetime.UTC)
