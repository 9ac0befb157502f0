"""Spec patterns read with Python's regex parser, without its warnings.

Python warns (`FutureWarning: Possible nested set`) about text that a future version may read as a set
operation, such as POSIX classes (`[[:alpha:]]`), which specs write. Today's reading is ECMA-262's, the one
JSON Schema means, so the warning has nothing to tell a user; printed, it would only show sdkgen's own
source lines in the middle of the command's output.
"""

from __future__ import annotations

import importlib
import re
import warnings
from typing import Any

__all__ = ["compile_pattern", "parse_pattern", "sre_parse"]

sre_parse: Any = importlib.import_module("re._parser")  # the stdlib's parser (`sre_parse` is deprecated)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """`re.compile(pattern)`, silently: raises `re.error` (and the like) as it does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(pattern)


def parse_pattern(pattern: str) -> Any:
    """The stdlib parser's reading of `pattern` (a `SubPattern`), silently."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return sre_parse.parse(pattern)
