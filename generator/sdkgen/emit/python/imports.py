"""Import blocks and `__all__` lists of generated Python, in the order ruff's isort rules want them.

Generated Python is only run through `ruff format`, so what the emitters print must already pass
`ruff check --select I,F401,RUF022` (ruff's default isort settings): an emitter adds only the names a
module uses, and this module orders them. Sections: `__future__`, standard library, third party,
relative imports (furthest first); `import x` before `from x import y` within a section; modules
case-insensitively, members constants first, then classes, then the rest; every comparison natural
(`Model2` before `Model10`), as ruff's `natord` does.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from functools import lru_cache

_STDLIB = frozenset(sys.stdlib_module_names)
_DIGITS = re.compile(r"[0-9]+")


def _digit_run(match: re.Match[str]) -> str:
    run = match.group()
    if run[0] == "0":  # compared digit by digit, left-aligned, and before runs without a leading zero
        return "0\x00" + run + "\x00"
    return "0\x01" + chr(len(run)) + run  # compared by length, then digit by digit


@lru_cache(maxsize=65536)
def natural_key(text: str) -> str:
    """A sort key that orders like `natord::compare`: digit runs by value, other characters by code point.

    Each digit run becomes `0` (where a digit compares with any other character as the digit would),
    then what orders runs among themselves: runs with a leading zero digit by digit before the others,
    the others by length, then digit by digit.
    """
    return _DIGITS.sub(_digit_run, text) if _DIGITS.search(text) else text


def _category(name: str) -> int:
    """0 for CONSTANT_CASE, 1 for CamelCase, 2 for anything else (isort's `order-by-type`)."""
    if len(name) > 1 and name.isupper():
        return 0
    if name[:1].isupper():
        return 1
    return 2


@lru_cache(maxsize=65536)
def member_key(name: str) -> tuple[int, str, str]:
    """The order of the names in `from x import a, b` (and of `from x import a as a` statements)."""
    return (_category(name), natural_key(name.lower()), natural_key(name))


def sort_members(names: Iterable[str]) -> list[str]:
    return sorted(set(names), key=member_key)


def sort_all(names: Iterable[str]) -> list[str]:
    """`__all__` in the order RUF022 wants ("isort-style": constants, classes, the rest; natural order)."""
    return sorted(names, key=lambda name: (_category(name), natural_key(name)))


def _section(module: str) -> int:
    if module.startswith("."):
        return 3
    if module == "__future__":
        return 0
    return 1 if module.partition(".")[0] in _STDLIB else 2


def _module_key(module: str) -> tuple[int, int, str, str]:
    name = module.lstrip(".")
    level = len(module) - len(name)
    if not name:  # `from . import x` sorts before `from .a import x` of the same level
        return (-level, 0, "", "")
    return (-level, 1, natural_key(name.lower()), natural_key(name))


class ImportBlock:
    """The imports of one generated module (or of its `if TYPE_CHECKING:` block).

    `add("typing", "Any")` is `from typing import Any`, `add("enum")` is `import enum`, a module with
    leading dots is relative. `add(module, name, alias=name)` keeps an explicit re-export
    (`from .a import A as A`), which isort leaves as a statement of its own.
    """

    def __init__(self) -> None:
        self._plain: set[str] = set()
        self._names: dict[str, set[str]] = {}
        self._aliased: set[tuple[str, str, str]] = set()

    def add(self, module: str, *names: str, alias: str | None = None) -> ImportBlock:
        if not names:
            if module.startswith("."):
                raise ValueError(f"`import {module}` is not Python: name what to import from it")
            self._plain.add(module)
        elif alias is not None:
            (name,) = names
            self._aliased.add((module, name, alias))
        else:
            self._names.setdefault(module, set()).update(names)
        return self

    def __bool__(self) -> bool:
        return bool(self._plain or self._names or self._aliased)

    def lines(self, indent: str = "") -> list[str]:
        """One line per statement (`ruff format` wraps the long ones), an empty line between sections."""
        plain: list[list[tuple[tuple[str, str], str]]] = [[], [], [], []]
        froms: list[list[tuple[tuple[object, ...], str]]] = [[], [], [], []]
        for module in self._plain:
            plain[_section(module)].append(((natural_key(module.lower()), natural_key(module)), f"import {module}"))
        for module, names in self._names.items():
            members = sort_members(names)
            key: tuple[object, ...] = (_module_key(module), member_key(members[0]), "")
            froms[_section(module)].append((key, f"from {module} import {', '.join(members)}"))
        for module, name, alias in self._aliased:
            key = (_module_key(module), member_key(name), natural_key(alias))
            froms[_section(module)].append((key, f"from {module} import {name} as {alias}"))
        result: list[str] = []
        for straight, from_ in zip(plain, froms, strict=True):
            if not straight and not from_:
                continue
            if result:
                result.append("")
            result.extend(indent + line for _, line in sorted(straight, key=lambda entry: entry[0]))
            result.extend(indent + line for _, line in sorted(from_, key=_first))
        return result


def _first(entry: tuple[tuple[object, ...], str]) -> tuple[object, ...]:
    return entry[0]
