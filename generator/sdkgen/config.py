"""`[tool.sdkgen]` in pyproject.toml (or the top level of sdkgen.toml): the targets `sdkgen build` makes."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sdkgen.diagnostics import Location, SpecError, error

TargetKind = Literal["python", "typescript", "server", "mocks", "wrapper"]


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: TargetKind
    spec: str
    out: str
    package: str
    name: str | None = Field(default=None, description="a label for --target; defaults to the out dir")
    options: dict[str, Any] = Field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.name or self.out


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    targets: list[Target] = Field(default_factory=list)
    root: Path = Path(".")

    def spec_path(self, target: Target) -> Path:
        return self.root / target.spec

    def out_path(self, target: Target) -> Path:
        return self.root / target.out


def find_config(start: Path) -> Path | None:
    for directory in [start, *start.parents]:
        for name in ("sdkgen.toml", "pyproject.toml"):
            candidate = directory / name
            if candidate.is_file() and (name == "sdkgen.toml" or "[tool.sdkgen" in candidate.read_text("utf-8")):
                return candidate
    return None


def load_config(path: Path) -> Config:
    display = str(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise SpecError(
            [error("unreadable-file", f"cannot read {display}: {exc.strerror}", Location(display))]
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([error("syntax-error", f"invalid TOML: {exc}", Location(display))]) from exc
    section = data.get("tool", {}).get("sdkgen") if path.name == "pyproject.toml" else data
    if not isinstance(section, dict):
        raise SpecError([error("no-config", f"{display} has no [tool.sdkgen] section", Location(display))])
    try:
        config = Config.model_validate({**section, "root": path.parent})
    except ValidationError as exc:
        problems = [
            error(
                "invalid-config", f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}", Location(display, "/tool/sdkgen")
            )
            for e in exc.errors()
        ]
        raise SpecError(problems) from exc
    return config
