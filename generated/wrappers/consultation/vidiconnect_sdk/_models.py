"""Base classes of the generated models (static runtime)."""

from __future__ import annotations

import enum
from typing import Any, ClassVar

import pydantic
from typing_extensions import Self

__all__ = ["BaseModel", "OpenIntEnum", "OpenStrEnum", "TaggedModel"]


class BaseModel(pydantic.BaseModel):
    """A model of the API. Attributes are snake_case; the wire names are their aliases.

    Fields the server sends but the spec does not declare are kept (``model_extra``), so a newer
    server never breaks an older SDK.
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

    def to_json(self, *, indent: int | None = None) -> str:
        return self.model_dump_json(by_alias=True, exclude_unset=True, indent=indent)


class TaggedModel(BaseModel):
    """A model whose discriminator tag the spec lets it leave out: the tag defaults to its one value and counts as
    set, so that it is sent (request bodies, ``to_dict``) and a union can tell the model apart."""

    _tags_: ClassVar[frozenset[str]] = frozenset()  # attribute names of the tag properties

    def model_post_init(self, context: Any, /) -> None:
        self.__pydantic_fields_set__.update(self._tags_)


_MAX_UNKNOWN_MEMBERS = 1024  # distinct unknown values remembered per enum; past that each one is a new member


def _unknown_member(cls: type[enum.Enum], base: Any, value: object) -> Any:
    """The ``UNKNOWN`` pseudo-member carrying `value`, made once per enum and value.

    pydantic-core looks known values up natively; an unknown one goes through ``cls(value)``, whose
    failed lookup and ``_missing_`` call take a few microseconds. The member is remembered in the
    enum's own value map (as the standard library does for ``Flag`` pseudo-members), so the next
    occurrence is a plain lookup, and equal unknown values are the same object, as members are.
    """
    member = base.__new__(cls, value)
    member._name_ = "UNKNOWN"
    member._value_ = value
    known = cls._value2member_map_
    if len(known) < len(cls._member_names_) + _MAX_UNKNOWN_MEMBERS:
        member = known.setdefault(value, member)
    return member


class OpenStrEnum(str, enum.Enum):
    """A string enum that accepts values the spec does not list (they come back as ``UNKNOWN`` members)."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if isinstance(value, str):
            result: Self = _unknown_member(cls, str, value)
            return result
        return None

    def __str__(self) -> str:
        return str(self.value)


class OpenIntEnum(int, enum.Enum):
    """An integer enum that accepts values the spec does not list."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if isinstance(value, int) and not isinstance(value, bool):
            result: Self = _unknown_member(cls, int, value)
            return result
        return None
