"""Read one spec file (JSON or YAML) into plain data, keeping the means to locate a pointer.

JSON is parsed with the standard library (fast, for 10+ MB specs); YAML with the
C-accelerated composer when present. Line numbers for a JSON pointer are found lazily: a
file is only composed into position-carrying nodes when a diagnostic needs a location.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sdkgen.diagnostics import Diagnostic, Location, error, join_pointer, split_pointer, warning
from sdkgen.fingerprint import real_path

try:  # the C loader is an optional part of PyYAML
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]


class _DuplicateKeyError(Exception):
    pass


def _no_duplicate_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeyError
    return result


@dataclass
class SourceFile:
    """One parsed file: its data plus a lazily built map from JSON pointer to position."""

    path: Path
    display: str
    text: str
    data: Any
    _positions: dict[str, tuple[int, int]] | None = field(default=None, repr=False)
    _json_positions: _JsonPositions | None = field(default=None, repr=False)

    def locate(self, pointer: str) -> Location:
        positions = self._position_map()
        probe = pointer
        while True:
            if probe in positions:
                line, column = positions[probe]
                return Location(self.display, pointer, line, column)
            if not probe:
                return Location(self.display, pointer)
            probe = probe.rsplit("/", 1)[0]

    def _position_map(self) -> _JsonPositions | dict[str, tuple[int, int]]:
        if self._positions is not None:
            return self._positions
        if self._json_positions is None:
            self._json_positions = _JsonPositions(self.text)
        return self._json_positions


class _JsonPositions:
    """Finds the position of a pointer in JSON text on demand, skipping unrelated values at C speed.

    A container is scanned only as far as the key being looked for, and resumed from there for the
    next lookup, so the keys before it are read once and the values after it not at all. The key →
    offset table of each scanned container is kept, so many lookups cost less than one parse.
    """

    _decoder = json.JSONDecoder()
    _space = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str):
        self.text = text
        self.scans: dict[int, _Scan | None] = {}  # by the container's offset; None: not a container
        self.ends: dict[int, int] = {}  # offset of a container scanned to its end → the offset after it

    def __contains__(self, pointer: object) -> bool:
        return isinstance(pointer, str) and self._offset(pointer) is not None

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        offset = self._offset(pointer)
        assert offset is not None
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def _offset(self, pointer: str) -> int | None:
        offset: int | None = self._skip_space(0)
        for token in split_pointer(pointer):
            assert offset is not None
            offset = self._find(offset, token)
            if offset is None:
                return None
        return offset

    def _skip_space(self, offset: int) -> int:
        match = self._space.match(self.text, offset)
        return match.end() if match else offset

    def _scan(self, offset: int) -> _Scan | None:
        if offset in self.scans:
            return self.scans[offset]
        opener = self.text[offset : offset + 1]
        scan = _Scan(offset, opener == "{", self._skip_space(offset + 1)) if opener in ("{", "[") else None
        self.scans[offset] = scan
        return scan

    def _find(self, offset: int, token: str) -> int | None:
        scan = self._scan(offset)
        if scan is None:
            return None
        found = scan.table.get(token)
        while found is None and not scan.done:
            key = self._next(scan)
            if key == token:
                found = scan.table[key]
        return found

    def _next(self, scan: _Scan) -> str | None:
        """Read the next key of a container (an index for an array); None at its end."""
        text = self.text
        try:
            pos = scan.pos
            if scan.pending is not None:  # step over the value of the key read last
                pos = self._skip_space(self._end_of(scan.pending))
                scan.pending = None
                if text[pos] == ",":
                    pos = self._skip_space(pos + 1)
            if text[pos] in "}]":
                scan.done = True
                self.ends[scan.offset] = pos + 1
                return None
            if scan.is_object:
                raw_key, pos = self._decoder.raw_decode(text, pos)
                key = str(raw_key)
                pos = self._skip_space(pos)
                pos = self._skip_space(pos + 1)  # the colon
            else:
                key = str(scan.index)
                scan.index += 1
        except (ValueError, IndexError):
            scan.done = True
            return None
        scan.table.setdefault(key, pos)
        scan.pending = pos
        scan.pos = pos
        return key

    def _end_of(self, offset: int) -> int:
        """The offset just after the value at `offset`."""
        end = self.ends.get(offset)
        if end is not None:
            return end
        scan = self.scans.get(offset)
        if scan is not None:  # already partly read: read on to its end, keeping its table
            while not scan.done:
                self._next(scan)
            end = self.ends.get(offset)
            if end is not None:
                return end
        _, end = self._decoder.raw_decode(self.text, offset)
        return int(end)


@dataclass
class _Scan:
    """How far one container of the JSON text has been read."""

    offset: int
    is_object: bool
    pos: int  # where the next key (or array item) starts, once `pending` is stepped over
    table: dict[str, int] = field(default_factory=dict)  # key → offset of its value
    pending: int | None = None  # offset of the last value read, not yet stepped over
    index: int = 0
    done: bool = False


class _NodeWalker:
    """Turns a composed YAML node tree into plain data, recording each pointer's position."""

    def __init__(
        self, positions: dict[str, tuple[int, int]], duplicates: list[tuple[str, tuple[int, int]]], budget: int
    ):
        self.positions = positions
        self.duplicates = duplicates
        self.budget = budget  # values left to build: aliases may repeat a node, never without bound
        self.constructor = yaml.SafeLoader("")
        # only its constructor is used; disposing of the parser's state breaks the loader's reference cycle,
        # so that the loader and every node it has constructed are freed with the walker, without the GC
        self.constructor.dispose()
        self.active: set[int] = set()

    def walk(self, node: yaml.Node, pointer: str) -> Any:
        self.positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.budget -= 1
        if self.budget < 0:
            raise _NodeError(pointer, "YAML aliases expand the document without bound (a 'billion laughs')")
        if isinstance(node, yaml.ScalarNode):
            try:
                return _plain_scalar(self.constructor.construct_object(node, deep=True))
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                raise _NodeError(pointer, f"invalid YAML value: {exc}") from None
        if id(node) in self.active:
            raise _RecursiveAliasError(pointer)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.walk(child, join_pointer(pointer, i)) for i, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                try:
                    self.constructor.flatten_mapping(node)
                except yaml.YAMLError as exc:  # a merge key (`<<`) naming no mapping
                    problem = getattr(exc, "problem", None) or str(exc)
                    raise _NodeError(pointer, f"invalid YAML: {problem}") from None
                result: dict[str, Any] = {}
                for key_node, value_node in node.value:
                    key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
                    child = join_pointer(pointer, key)
                    key_position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                    if key in result:
                        self.duplicates.append((child, key_position))
                    if id(value_node) in self.active:
                        raise _RecursiveAliasError(child, key_position)
                    result[key] = self.walk(value_node, child)
                    if isinstance(value_node, yaml.CollectionNode) and not value_node.flow_style:
                        # a block object or list starts on the lines below its key: the key is where a reader looks
                        self.positions[child] = key_position
                return result
        finally:
            self.active.discard(id(node))
        return None  # pragma: no cover - PyYAML has only three node kinds


class _NodeError(Exception):
    def __init__(self, pointer: str, message: str):
        self.pointer = pointer
        self.message = message


class _RecursiveAliasError(Exception):
    def __init__(self, pointer: str, position: tuple[int, int] | None = None):
        self.pointer = pointer
        self.position = position  # where the alias is used, when known (an alias shares its anchor's node)


def _plain_scalar(value: Any) -> Any:
    """YAML 1.1 turns unquoted dates into date objects; a spec means the string."""
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as the user should read it: relative to the working directory when inside it."""
    base = base or Path.cwd()
    try:
        return str(real_path(path).relative_to(real_path(base)))
    except ValueError:
        return str(path)


def read_source(path: Path) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read and parse one file. Returns the parsed file, or None with the diagnostics that say why."""
    display = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [error("file-not-found", f"file not found: {display}", Location(display))]
    except IsADirectoryError:
        return None, [error("unreadable-file", f"{display} is a directory, not a spec file", Location(display))]
    except OSError as exc:
        return None, [error("unreadable-file", f"cannot read {display}: {exc.strerror}", Location(display))]
    except ValueError as exc:  # e.g. a NUL byte in the path
        return None, [error("unreadable-file", f"cannot read {display}: {exc}", Location(display))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [error("unreadable-file", f"{display} is not UTF-8 text (byte {exc.start})", Location(display))]
    return parse_text(text, path, display)


def parse_text(text: str, path: Path, display: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    stripped = text.lstrip()
    if not stripped:
        return None, [error("empty-file", f"{display} is empty", Location(display, "", 1, 1))]
    if path.suffix.lower() == ".json" or stripped[0] in "{[":
        return _parse_json(text, path, display)
    return _parse_yaml(text, path, display)


def _json_int(text: str) -> int | float:
    """An integer of the JSON text; one longer than Python converts (4,300 digits) as the float it rounds to."""
    return int(text) if len(text) < 4000 else float(text)


def _parse_json(text: str, path: Path, display: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_pairs, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        return None, [error("syntax-error", f"invalid JSON: {exc.msg}", Location(display, "", exc.lineno, exc.colno))]
    except _DuplicateKeyError:
        return _parse_yaml(text, path, display)  # the node walk names the duplicate and its line
    except RecursionError:
        return None, [error("syntax-error", "JSON nested too deeply", Location(display))]
    source = SourceFile(path, display, text, data)
    return source, _replace_lone_surrogates(source)


def _parse_yaml(text: str, path: Path, display: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    try:
        node = yaml.compose(text, Loader=_YamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = exc.problem or exc.context or "syntax error"
        if exc.problem and exc.context and exc.context_mark and exc.context_mark is not mark:
            # e.g. an unclosed bracket: the problem shows where the parser gave up, the context where it began
            problem += f" ({exc.context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        return None, [error("syntax-error", f"invalid YAML: {problem}", Location(display, "", line, column))]
    except yaml.YAMLError as exc:
        return None, [error("syntax-error", f"invalid YAML: {exc}", Location(display))]
    if node is None:
        return None, [error("empty-file", f"{display} is empty", Location(display, "", 1, 1))]
    positions: dict[str, tuple[int, int]] = {}
    duplicates: list[tuple[str, tuple[int, int]]] = []
    try:
        # a document without aliases has fewer values than characters; aliases may repeat some, not blow up
        data = _NodeWalker(positions, duplicates, 10 * len(text) + 100_000).walk(node, "")
    except _NodeError as exc:
        position = positions.get(exc.pointer)
        where = Location(display, exc.pointer, *position) if position else Location(display, exc.pointer)
        return None, [error("syntax-error", exc.message, where)]
    except _RecursiveAliasError as exc:
        position = exc.position or positions.get(exc.pointer)
        where = Location(display, exc.pointer, *position) if position else Location(display, exc.pointer)
        return None, [error("syntax-error", "recursive YAML alias: a node contains itself", where)]
    except RecursionError:
        return None, [error("syntax-error", "YAML nested too deeply", Location(display))]
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        return None, [error("syntax-error", f"invalid YAML value: {exc}", Location(display))]
    if duplicates:
        return None, [
            error(
                "duplicate-key",
                f"duplicate key {split_pointer(pointer)[-1]!r}",
                Location(display, pointer, line, column),
            )
            for pointer, (line, column) in duplicates
        ]
    source = SourceFile(path, display, text, data, positions)
    return source, _replace_lone_surrogates(source)


_SURROGATE_ESCAPE = re.compile(r"\\[uU]0{0,4}[dD][89a-fA-F]")  # how JSON and YAML text write one
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # left in a decoded str only when unpaired


def _replace_lone_surrogates(source: SourceFile) -> list[Diagnostic]:
    """A string escaping half of a surrogate pair (`"\\ud800"`) decodes to text no file can hold: each such
    character becomes U+FFFD, with a warning. Only a text that escapes surrogates at all is walked."""
    if not _SURROGATE_ESCAPE.search(source.text):
        return []
    found: list[str] = []

    def clean(value: Any, pointer: str) -> Any:
        if isinstance(value, str):
            if _LONE_SURROGATE.search(value):
                found.append(pointer)
                return _LONE_SURROGATE.sub("\ufffd", value)
            return value
        if isinstance(value, list):
            return [clean(item, join_pointer(pointer, i)) for i, item in enumerate(value)]
        if isinstance(value, dict):
            return {clean(key, pointer): clean(item, join_pointer(pointer, key)) for key, item in value.items()}
        return value

    source.data = clean(source.data, "")
    message = "a string holds half of a surrogate pair, which is no Unicode text: replaced by U+FFFD"
    return [warning("invalid-unicode", message, source.locate(pointer)) for pointer in dict.fromkeys(found)]
