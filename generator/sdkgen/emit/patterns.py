"""Spec patterns as the generated server checks them: pydantic's Rust regex engine, which runs in linear time."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pydantic_core

from sdkgen.regextools import compile_pattern

__all__ = ["pattern_check", "usable_pattern"]


@lru_cache(maxsize=4096)
def pattern_check(pattern: str) -> Callable[[str], bool] | None:
    """Whether a text matches `pattern` anywhere (JSON Schema's reading), checked as pydantic checks a model's
    `pattern`; None where pydantic cannot (ECMA look-arounds, or no regex at all), and so nothing generated does.

    Never Python's `re` for matching: a spec's pattern with nested quantifiers (beezup's `([\\/\\w \\.-]*)*`)
    backtracks exponentially on a text it does not match, which hung the generation of mocks."""
    try:
        compile_pattern(pattern)
        validator = pydantic_core.SchemaValidator(pydantic_core.core_schema.str_schema(pattern=pattern))
    except Exception:
        return None

    def check(text: str) -> bool:
        try:
            validator.validate_python(text)
        except pydantic_core.ValidationError:
            return False
        return True

    return check


def usable_pattern(pattern: str) -> bool:
    """Whether pydantic (Rust regex) can check `pattern`: ECMA look-arounds, for one, it cannot."""
    return pattern_check(pattern) is not None
