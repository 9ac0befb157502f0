"""Base class of the generated models (static runtime)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any, ClassVar

import pydantic
import pydantic_core

__all__ = ["BaseModel", "TaggedModel", "build_models"]


class BaseModel(pydantic.BaseModel):
    """A model of the API. Attributes are snake_case; the wire names are their aliases.

    Requests are validated against the spec; fields the spec does not declare are kept
    (``model_extra``), as JSON Schema allows them unless a schema says otherwise. An optional
    property the spec does not make nullable is ``None`` in Python when absent, but is never
    accepted as ``null`` nor sent as ``null``.
    """

    model_config = pydantic.ConfigDict(
        populate_by_name=True,
        extra="allow",
        protected_namespaces=(),
        arbitrary_types_allowed=True,
        # Built on first use, when every model of the module exists: built eagerly, an annotation naming a
        # model defined further down that shares a builtin's name (plaid's `Warning`) would find the builtin.
        defer_build=True,
    )

    # Names (attribute and wire) of the optional properties that must not be null.
    _not_null_: ClassVar[frozenset[str]] = frozenset()
    # minProperties and maxProperties (None: no maximum) of the object, when the spec bounds them.
    _key_bounds_: ClassVar[tuple[int, int | None] | None] = None

    @pydantic.model_validator(mode="before")
    @classmethod
    def _check_object(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if cls._not_null_:
            for name, value in data.items():
                if value is None and name in cls._not_null_:
                    raise pydantic_core.PydanticCustomError(
                        "not_null", "{field} may be left out but must not be null", {"field": name}
                    )
        if cls._key_bounds_ is not None:
            low, high = cls._key_bounds_
            if len(data) < low:
                raise pydantic_core.PydanticCustomError(
                    "too_few_properties", "must have at least {min} properties", {"min": low}
                )
            if high is not None and len(data) > high:
                raise pydantic_core.PydanticCustomError(
                    "too_many_properties", "must have at most {max} properties", {"max": high}
                )
        return data

    @pydantic.model_serializer(mode="wrap")
    def _leave_out_null(self, handler: pydantic.SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if self._not_null_ and isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None or k not in self._not_null_}
        return data

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data with wire names, leaving out fields that were never set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class TaggedModel(BaseModel):
    """A model whose discriminator tag the spec lets it leave out: the tag defaults to its one value and counts as
    set, so that a response carries it (``exclude_unset``) and a union can tell the model apart."""

    _tags_: ClassVar[frozenset[str]] = frozenset()  # attribute names of the tag properties

    def model_post_init(self, context: Any, /) -> None:
        self.__pydantic_fields_set__.update(self._tags_)


def build_models(package: str, names: Iterable[str]) -> None:
    """Build the named models of `package` in this order (each after those it refers to), so a route refers to
    built models instead of building, inlined, everything its types reach. Models already built are skipped
    (`model_rebuild` does nothing for them)."""
    models = importlib.import_module(package)
    for name in names:
        getattr(models, name).model_rebuild()
