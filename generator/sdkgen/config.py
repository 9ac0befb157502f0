"""`[tool.sdkgen]` in pyproject.toml (or the top level of sdkgen.toml): the targets `sdkgen build` makes."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from sdkgen.diagnostics import Location, SpecError, error

# Plain dataclasses checked by hand: pydantic would cost ~0.1 s of imports on every `sdkgen build`,
# including the no-change one that must stay well under half a second.

TargetKind = Literal["python", "typescript", "server", "mocks", "wrapper"]
TARGET_KINDS: tuple[str, ...] = get_args(TargetKind)


@dataclass
class Target:
    kind: TargetKind
    spec: str
    out: str
    package: str
    name: str | None = None  # a label for --target; defaults to the out dir
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.name or self.out


@dataclass
class Config:
    targets: list[Target] = field(default_factory=list)
    root: Path = Path(".")

    def spec_path(self, target: Target) -> Path:
        return self.root / target.spec

    def out_path(self, target: Target) -> Path:
        return self.root / target.out


def find_config(start: Path) -> Path | None:
    for directory in [start, *start.parents]:
        for name in ("sdkgen.toml", "pyproject.toml"):
            candidate = directory / name
            if candidate.is_file() and (name == "sdkgen.toml" or b"[tool.sdkgen" in _bytes(candidate)):
                return candidate
    return None


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # load_config says why, if this is the file it reads


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_config(path: Path) -> Config:
    display = str(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise SpecError(
            [error("unreadable-file", f"cannot read {display}: {exc.strerror}", Location(display))]
        ) from exc
    except UnicodeDecodeError as exc:
        raise SpecError([error("syntax-error", f"{display} is not UTF-8 text", Location(display))]) from exc
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        message = _TOML_POSITION.sub("", str(exc)).strip()
        where = Location(display, "", int(match[1]), int(match[2])) if match else Location(display)
        raise SpecError([error("syntax-error", f"invalid TOML: {message}", where)]) from exc
    section: object = data
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        section = tool.get("sdkgen") if isinstance(tool, dict) else None
    if not isinstance(section, dict):
        raise SpecError([error("no-config", f"{display} has no [tool.sdkgen] section", Location(display))])
    problems = [
        error("invalid-config", f"{where}: {message}", Location(display, "/tool/sdkgen"))
        for where, message in _problems(section)
    ]
    if problems:
        raise SpecError(problems)
    targets = [Target(**target) for target in section.get("targets", [])]
    return Config(targets=targets, root=path.parent)


_STRINGS = ("kind", "spec", "out", "package", "name")
_REQUIRED = ("kind", "spec", "out", "package")


# What the emitters read from a target's `options`: every one a string.
_OPTIONS = frozenset({"version", "distribution", "models", "license"})


def _problems(section: dict[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with the section, as (dotted location, message)."""
    found = [(key, "Extra inputs are not permitted") for key in section if key not in ("targets", "root")]
    targets = section.get("targets", [])
    if not isinstance(targets, list):
        return [*found, ("targets", "Input should be a valid list")]
    for number, target in enumerate(targets):
        at = f"targets.{number}"
        if not isinstance(target, dict):
            found.append((at, "Input should be a valid table"))
            continue
        found.extend((f"{at}.{key}", "Field required") for key in _REQUIRED if key not in target)
        for key, value in target.items():
            if key not in (*_STRINGS, "options"):
                found.append((f"{at}.{key}", "Extra inputs are not permitted"))
            elif key == "options" and not isinstance(value, dict):
                found.append((f"{at}.{key}", "Input should be a valid table"))
            elif key == "options":
                for option, setting in value.items():
                    if option not in _OPTIONS:
                        known = ", ".join(sorted(_OPTIONS))
                        found.append((f"{at}.options.{option}", f"Unknown option (the options are {known})"))
                    elif not isinstance(setting, str):
                        found.append((f"{at}.options.{option}", "Input should be a valid string"))
            elif key in _STRINGS and not isinstance(value, str):
                found.append((f"{at}.{key}", "Input should be a valid string"))
            elif key == "kind" and value not in TARGET_KINDS:
                kinds = ", ".join(repr(k) for k in TARGET_KINDS[:-1]) + f" or {TARGET_KINDS[-1]!r}"
                found.append((f"{at}.{key}", f"Input should be {kinds}"))
    return found
