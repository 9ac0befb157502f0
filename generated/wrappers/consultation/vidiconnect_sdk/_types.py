"""Shared types of the generated SDK (static runtime, the same in every sdkgen SDK)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Literal, TypeAlias

from typing_extensions import Self, override

__all__ = ["NOT_GIVEN", "FileContent", "FileTypes", "Headers", "NotGiven", "Query", "Timeout"]


class NotGiven:
    """The value of an argument the caller did not pass (distinct from an explicit ``None``)."""

    _instance: NotGiven | None = None

    def __new__(cls) -> Self:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        instance: Self = cls._instance  # type: ignore[assignment]
        return instance

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

Headers: TypeAlias = Mapping[str, str | NotGiven]
Query: TypeAlias = Mapping[str, object]
Timeout: TypeAlias = float | None

FileContent: TypeAlias = IO[bytes] | bytes
FileTypes: TypeAlias = FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
