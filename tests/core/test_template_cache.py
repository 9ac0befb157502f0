"""Compiled templates are kept between runs ($SDKGEN_CACHE_DIR, else the user's cache directory), and the cache
only ever saves time: a stale, corrupt, unwritable or untrusted cache gives the same output as none."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest
from sdkgen.emit import CACHE_VARIABLE, _TemplateCache, cache_dir

from .conftest import SPECS, run_sdkgen


def generate(out: Path, cache: str) -> dict[str, bytes]:
    """`sdkgen generate python` in a fresh process (the compiled templates live per process), read back."""
    result = run_sdkgen(
        "generate",
        "python",
        SPECS / "petstore-30.yaml",
        "--out",
        out,
        "-p",
        "pets",
        "--force",
        env={CACHE_VARIABLE: cache},
    )
    assert result.returncode == 0, result.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_second_run_loads_the_compiled_templates_and_writes_the_same_files(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = generate(tmp_path / "a", str(cache))
    entries = sorted((cache / "templates").glob("*.jinja"))
    assert entries, "the first run compiled the templates into the cache"
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    second = generate(tmp_path / "b", str(cache))
    assert second == first
    assert {p: p.stat().st_mtime_ns for p in entries} == stamps, "read, not written again"
    assert generate(tmp_path / "c", "") == first  # no cache at all: the same files


def test_corrupt_cache_entries_are_compiled_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = generate(tmp_path / "a", str(cache))
    entries = sorted((cache / "templates").glob("*.jinja"))
    magic = jinja2.bccache.bc_magic
    damaged = [magic + b"\x80\x04 cut off", magic, b"not a compiled template at all", b""]
    for index, entry in enumerate(entries):  # the right header with a broken rest (jinja raises there), foreign
        entry.write_bytes(damaged[index % len(damaged)])
    assert generate(tmp_path / "b", str(cache)) == first
    assert all(entry.stat().st_size > 100 for entry in entries), "written again, whole"


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.j2").write_text("old {{ x }}")
    (tmp_path / "cache").mkdir()

    def render() -> str:
        cache = _TemplateCache(str(tmp_path / "cache"), "%s.jinja")
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=cache)
        return env.get_template("t.j2").render(x=1)

    assert render() == "old 1"
    assert render() == "old 1"  # from the cache
    (templates / "t.j2").write_text("new {{ x }}")
    assert render() == "new 1"


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "chosen"))
    assert cache_dir() == tmp_path / "chosen" / "templates"
    monkeypatch.setenv(CACHE_VARIABLE, "")
    assert cache_dir() is None  # empty: no cache
    monkeypatch.delenv(CACHE_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "posix":
        assert cache_dir() == tmp_path / "xdg" / "sdkgen" / "templates"


def test_a_cache_that_cannot_be_made_or_is_not_private_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("a file where the cache directory would go")
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "file"))
    assert cache_dir() is None
    if os.name != "posix":
        return
    shared = tmp_path / "shared"
    (shared / "templates").mkdir(parents=True)
    os.chmod(shared / "templates", 0o777)  # others could plant compiled code there
    monkeypatch.setenv(CACHE_VARIABLE, str(shared))
    assert cache_dir() is None
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    assert generate(tmp_path / "out", str(blocked))["pets/__init__.py"]  # generation does not depend on it
