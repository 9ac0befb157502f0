"""Helpers the generated adapters share (static runtime of sdkgen wrappers)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = [
    "ProviderError",
    "ProviderNotFoundError",
    "ProviderRejectedError",
    "ProviderUnavailableError",
    "ceil_div",
    "from_vendor_error",
    "lookup",
    "opt",
    "require",
]

_T = TypeVar("_T")
_R = TypeVar("_R")


class ProviderError(Exception):
    """A vendor failed. ``vendor`` names it; ``vendor_error`` is the vendor SDK's own exception (with its response)."""

    def __init__(self, message: str, *, vendor: str, vendor_error: BaseException | None = None) -> None:
        super().__init__(message)
        self.vendor = vendor
        self.vendor_error = vendor_error
        self.status_code: int | None = getattr(vendor_error, "status_code", None)
        self.response: Any = getattr(vendor_error, "response", None)


class ProviderNotFoundError(ProviderError):
    """The vendor does not know the session (404)."""


class ProviderRejectedError(ProviderError):
    """The vendor refused the request (4xx other than 404)."""


class ProviderUnavailableError(ProviderError):
    """The vendor could not be reached, timed out, or failed (5xx)."""


def from_vendor_error(vendor: str, exc: BaseException) -> ProviderError:
    status = getattr(exc, "status_code", None)
    message = f"{vendor}: {exc}"
    if status is None or status >= 500 or status < 400:  # no answer, a failure, or a 2xx body unlike its type
        return ProviderUnavailableError(message, vendor=vendor, vendor_error=exc)
    if status == 404:
        return ProviderNotFoundError(message, vendor=vendor, vendor_error=exc)
    return ProviderRejectedError(message, vendor=vendor, vendor_error=exc)


def lookup(table: Mapping[str, Any], value: object, vendor: str, what: str) -> Any:
    key = str(getattr(value, "value", value))
    try:
        return table[key]
    except KeyError:
        raise ProviderError(f"{vendor}: unexpected {what} {key!r}", vendor=vendor) from None


def opt(value: _T | None, convert: Callable[[_T], _R]) -> _R | None:
    return None if value is None else convert(value)


def require(value: _T | None, vendor: str, what: str) -> _T:
    if value is None:
        raise ProviderError(f"{vendor} needs {what}", vendor=vendor)
    return value


def ceil_div(value: float, divisor: float) -> int:
    return math.ceil(value / divisor)
