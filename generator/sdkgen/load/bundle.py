"""Resolve `$ref`s across files into one self-contained document.

External schemas are hoisted under `#/components/schemas/<name>` (a schema keeps its
identity, so recursion and model names survive); other external objects (path items,
parameters, responses, ...) are inlined at the referencing site. Internal references of the
root document are kept and only checked. Every place of the result remembers where it came
from, so a diagnostic about the bundled document names the original file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sdkgen.diagnostics import Diagnostic, Location, error, join_pointer, split_pointer
from sdkgen.fingerprint import real_path
from sdkgen.load.resources import IDENTIFIERS, Index, Resources, scan
from sdkgen.load.source import SourceFile, read_source
from sdkgen.load.structure import REFERABLE, Kind, child_kind, kind_at

# Both start with the literal `$ref` (an optional opening quote before it would change no match), so
# that the regex engine can jump between occurrences instead of trying the pattern at every character.
_EXTERNAL_REF = re.compile(r"""\$ref["']?\s*:\s*["']?(?!#)[^\s"']""")
_ANY_REF = re.compile(r"""\$ref["']?\s*:\s*["']?([^"'\s,}]*)""")
_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass
class Origins:
    """Maps a pointer of the bundled document back to a file and a pointer inside it."""

    root: SourceFile
    mounts: dict[str, tuple[SourceFile, str]] = field(default_factory=dict)

    def source_of(self, pointer: str) -> tuple[SourceFile, str]:
        probe = pointer
        while True:
            mount = self.mounts.get(probe)
            if mount is not None:
                file, base = mount
                return file, base + pointer[len(probe) :]
            if not probe:
                return self.root, pointer
            probe = probe.rsplit("/", 1)[0]

    def locate(self, pointer: str) -> Location:
        file, source_pointer = self.source_of(pointer)
        return file.locate(source_pointer)


def resolve_pointer(data: Any, pointer: str) -> tuple[bool, Any]:
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


class Bundler:
    def __init__(self, root: SourceFile):
        self.root = root
        self.files: dict[Path, SourceFile] = {real_path(root.path): root}
        self.origins = Origins(root)
        self.diagnostics: list[Diagnostic] = []
        self.hoisted: dict[tuple[Path, str], str] = {}
        self.schemas: dict[str, Any] = {}
        self.inlining: list[tuple[Path, str]] = []
        self.internal_refs: set[str] = set()  # every `$ref` of the bundled document
        self.unloadable: set[Path] = set()  # files already reported as missing or broken
        # `Path.resolve()` stats every component of a path: once per file and per distinct reference is enough
        self.real_paths: dict[tuple[Path, str], Path] = {}
        self.index = Index()  # `$id`s and `$anchor`s of the files loaded so far
        self.uris: dict[str, SourceFile] = {}  # a file's URI (the base of its references) -> the file
        self.file_uris: dict[Path, str] = {}
        self._register(root)

    def bundle(self) -> Any:
        data = self.root.data
        named = self.index.files[self._uri(self.root)].names_anything
        if not isinstance(data, dict) or not (named or _EXTERNAL_REF.search(self.root.text)):
            refs = set(_ANY_REF.findall(self.root.text))
            if not self._all_refs_resolve(refs):
                self._check_internal(data, Kind.DOCUMENT, "")  # slow path: find and locate each bad one
            self._check_cycles(data, refs)
            return data
        result = self._walk(data, Kind.DOCUMENT, self.root, "", "")
        if self.schemas:
            components = result.setdefault("components", {})
            if isinstance(components, dict):
                existing = components.get("schemas") or {}
                components["schemas"] = {**existing, **self.schemas} if isinstance(existing, dict) else existing
        self._check_cycles(result, self.internal_refs)
        return result

    # -- a chain of references that never reaches an object: A → B → A

    def _check_cycles(self, data: Any, refs: Iterable[str]) -> None:
        """Report, once per loop, each chain of `$ref`s that only ever leads to another `$ref`.

        Such a loop names nothing (an object cannot be its own alias), so no target can represent it.
        A loop through real content (a schema with a property of its own type) is fine and not reported.
        """
        settled: set[str] = set()
        for ref in sorted(set(refs)):
            if not ref.startswith("#"):
                continue
            chain: list[str] = []
            pointer = unquote(ref[1:])
            while pointer not in settled:
                if pointer in chain:
                    loop = chain[chain.index(pointer) :]
                    text = " → ".join(self._describe(p) for p in [*loop, pointer])
                    self.diagnostics.append(
                        error(
                            "ref-cycle",
                            f"$ref cycle that never reaches a definition: {text}",
                            self.origins.locate(join_pointer(loop[0], "$ref")),
                        )
                    )
                    break
                found, node = resolve_pointer(data, pointer)
                target = node.get("$ref") if found and isinstance(node, dict) else None
                if not isinstance(target, str) or not target.startswith("#"):
                    break
                if kind_at(split_pointer(pointer), data) not in REFERABLE:
                    break  # a `$ref` key inside an example or an extension is data
                chain.append(pointer)
                pointer = unquote(target[1:])
            settled.update(chain)

    def _describe(self, pointer: str) -> str:
        """A pointer of the bundled document as the user wrote it: `#/a/b`, or `file.yaml#/a/b` for another file."""
        file, source_pointer = self.origins.source_of(pointer)
        return ("" if file is self.root else file.display) + "#" + source_pointer

    # -- a document without external references: only check the internal ones

    def _all_refs_resolve(self, refs: set[str]) -> bool:
        """Fast check over the text; a miss (even inside an example) sends us down the precise walk."""
        for ref in refs:
            if not ref.startswith("#") or not resolve_pointer(self.root.data, unquote(ref[1:]))[0]:
                return False
        return True

    def _check_internal(self, node: Any, kind: Kind, pointer: str) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if kind in REFERABLE and isinstance(ref, str):
                self._check_ref(ref, pointer)
            for key, value in node.items():
                if key == "$ref":
                    continue
                sub = child_kind(kind, key, value)
                if sub is not Kind.DATA and isinstance(value, (dict, list)):
                    self._check_internal(value, sub, join_pointer(pointer, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                sub = child_kind(kind, index, value)
                if sub is not Kind.DATA and isinstance(value, (dict, list)):
                    self._check_internal(value, sub, join_pointer(pointer, index))

    def _check_ref(self, ref: str, pointer: str) -> None:
        if not ref.startswith("#"):
            return
        found, _ = resolve_pointer(self.root.data, unquote(ref[1:]))
        if not found:
            self._unresolved(ref, self.root, pointer)

    def _unresolved(self, ref: str, file: SourceFile, pointer: str, why: str = "") -> None:
        detail = f": {why}" if why else ""
        self.diagnostics.append(
            error(
                "unresolved-ref", f"$ref {ref!r} does not resolve{detail}", file.locate(join_pointer(pointer, "$ref"))
            )
        )

    # -- a document with external references: copy it, hoisting and inlining as we go

    def _walk(self, node: Any, kind: Kind, file: SourceFile, src: str, out: str) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if kind in REFERABLE and isinstance(ref, str):
                return self._follow(node, ref, kind, file, src, out)
            result: dict[str, Any] = {}
            for key, value in node.items():
                sub = child_kind(kind, key, value)
                if sub is Kind.DATA or not isinstance(value, (dict, list)):
                    result[key] = value
                else:
                    result[key] = self._walk(value, sub, file, join_pointer(src, key), join_pointer(out, key))
            return result
        if isinstance(node, list):
            return [
                self._walk(value, child_kind(kind, i, value), file, join_pointer(src, i), join_pointer(out, i))
                if isinstance(value, (dict, list)) and child_kind(kind, i, value) is not Kind.DATA
                else value
                for i, value in enumerate(node)
            ]
        return node

    def _follow(self, node: dict[str, Any], ref: str, kind: Kind, file: SourceFile, src: str, out: str) -> Any:
        target = self._target(ref, file, src)
        if target is None:
            return node
        target_file, target_pointer, value = target
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if target_file is self.root:
            self.internal_refs.add("#" + target_pointer)
            return {"$ref": "#" + target_pointer, **siblings}
        if kind is Kind.SCHEMA:
            name = self._hoist(target_file, target_pointer, value)
            internal = "#" + join_pointer("/components/schemas", name)
            self.internal_refs.add(internal)
            return {"$ref": internal, **siblings}
        key = (self._real_path(target_file.path), target_pointer)
        if key in self.inlining:
            self.diagnostics.append(
                error(
                    "ref-cycle",
                    f"$ref {ref!r} refers back to itself through {len(self.inlining)} file reference(s);"
                    f" a {kind.value} cannot contain itself",
                    file.locate(join_pointer(src, "$ref")),
                )
            )
            return {}
        self.inlining.append(key)
        try:
            self.origins.mounts[out] = (target_file, target_pointer)
            inlined = self._walk(value, kind, target_file, target_pointer, out)
        finally:
            self.inlining.pop()
        if isinstance(inlined, dict) and siblings:
            inlined = {**inlined, **siblings}
        return inlined

    def _hoist(self, file: SourceFile, pointer: str, value: Any) -> str:
        key = (self._real_path(file.path), pointer)
        name = self.hoisted.get(key)
        if name is not None:
            return name
        tokens = split_pointer(pointer)
        base = tokens[-1] if tokens else file.path.name.split(".")[0]
        taken = set(self.schemas)
        root_components = self.root.data.get("components") if isinstance(self.root.data, dict) else None
        if isinstance(root_components, dict) and isinstance(root_components.get("schemas"), dict):
            taken |= set(root_components["schemas"])
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}{n}"
        self.hoisted[key] = name
        out = join_pointer("/components/schemas", name)
        self.schemas[name] = {}
        self.origins.mounts[out] = (file, pointer)
        self.schemas[name] = self._walk(value, Kind.SCHEMA, file, pointer, out)
        return name

    def _target(self, ref: str, file: SourceFile, src: str) -> tuple[SourceFile, str, Any] | None:
        hit = self.index.resolve(ref, self._uri(file), src)
        if hit is not None:
            target_file = self.uris[hit.file_uri]
            for pointer in (hit.pointer, hit.fallback):
                if pointer is not None:
                    found, value = resolve_pointer(target_file.data, pointer)
                    if found:
                        return target_file, pointer, value
            self._unresolved(ref, file, src, f"no {hit.pointer or '/'} in {target_file.display}")
            return None
        location, _, fragment = ref.partition("#")
        pointer = unquote(fragment)
        anchor = pointer if pointer and not pointer.startswith("/") else None
        if _REMOTE.match(location):
            self._unresolved(ref, file, src, "remote references are not fetched; download the file and refer to it")
            return None
        target_file = file
        if location:
            try:
                path = self._real_path(file.path.parent, unquote(location))
            except (OSError, ValueError):  # a NUL byte, a symlink loop
                self._unresolved(ref, file, src, "not a usable file path")
                return None
            target_file_or_none = self._load(path, ref, file, src)
            if target_file_or_none is None:
                return None
            target_file = target_file_or_none
        if anchor is not None:
            resources = self.index.files[self._uri(target_file)]
            anchored = resources.anchor(resources.base, anchor)
            if anchored is None:
                why = f"no $anchor {anchor!r} in {target_file.display}"
                for near in ("", "/components/schemas", "/$defs", "/definitions"):
                    if resolve_pointer(target_file.data, join_pointer(near, anchor))[0]:
                        why += f"; a JSON pointer starts with '/': {location}#{join_pointer(near, anchor)}"
                        break
                self._unresolved(ref, file, src, why)
                return None
            pointer = anchored
        found, value = resolve_pointer(target_file.data, pointer)
        if not found:
            self._unresolved(ref, file, src, f"no {pointer or '/'} in {target_file.display}")
            return None
        return target_file, pointer, value

    def _real_path(self, base: Path, relative: str = "") -> Path:
        """`(base / relative).resolve()`, remembered for the rest of the bundling."""
        key = (base, relative)
        real = self.real_paths.get(key)
        if real is None:
            real = self.real_paths[key] = real_path(base / relative if relative else base)
        return real

    def _load(self, path: Path, ref: str, file: SourceFile, src: str) -> SourceFile | None:
        if path in self.files:
            return self.files[path]
        where = file.locate(join_pointer(src, "$ref"))
        if path in self.unloadable:
            self.diagnostics.append(error("unresolved-ref", f"$ref {ref!r}: cannot load {path.name}", where))
            return None
        loaded, diagnostics = read_source(path)
        if loaded is None:
            self.unloadable.add(path)
            # a problem with the file as a whole (missing, unreadable) is said here; one inside it, at its own line
            inside = [d for d in diagnostics if d.location is not None and d.location.line is not None]
            reasons = "".join(f"; {d.message}" for d in diagnostics if d not in inside)
            self.diagnostics.append(error("unresolved-ref", f"$ref {ref!r}: cannot load {path.name}{reasons}", where))
            self.diagnostics.extend(inside)
            return None
        self.diagnostics.extend(diagnostics)  # warnings of a file that loaded
        self.files[path] = loaded
        self._register(loaded)
        return loaded

    def _uri(self, file: SourceFile) -> str:
        uri = self.file_uris.get(file.path)
        if uri is None:
            uri = self.file_uris[file.path] = self._real_path(file.path).as_uri()
        return uri

    def _register(self, file: SourceFile) -> None:
        """Index the `$id`s and `$anchor`s of a loaded file (a scan only where its text has any)."""
        uri = self._uri(file)
        self.uris[uri] = file
        self.index.add(scan(file.data, uri) if IDENTIFIERS.search(file.text) else Resources(uri))
