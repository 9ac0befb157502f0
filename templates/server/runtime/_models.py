"""Base class of the generated models (static runtime)."""

from __future__ import annotations

from typing import Any

import pydantic

__all__ = ["BaseModel"]


class BaseModel(pydantic.BaseModel):
    """A model of the API. Attributes are snake_case; the wire names are their aliases.

    Requests are validated against the spec; fields the spec does not declare are kept
    (``model_extra``), as JSON Schema allows them unless a schema says otherwise.
    """

    model_config = pydantic.ConfigDict(
        populate_by_name=True,
        extra="allow",
        protected_namespaces=(),
        arbitrary_types_allowed=True,
        defer_build=True,
    )

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data with wire names, leaving out fields that were never set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
