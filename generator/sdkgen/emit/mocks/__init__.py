"""The mocks emitter: a respx-based mock package answering every operation of a spec.

Default responses are the spec's own examples when it has them, else synthesised from the
IR type, so they validate against the spec.
"""

from __future__ import annotations

import json
import keyword
import re
from typing import Any

from sdkgen.emit import EmitError, render, runtime_files
from sdkgen.emit.mocks.synth import Synthesizer
from sdkgen.emit.python import docstring, pep440
from sdkgen.emit.typescript.types import doc_lines
from sdkgen.fingerprint import templates_dir
from sdkgen.ir import naming
from sdkgen.ir.model import Api, BodyKind, Operation
from sdkgen.write import FileSet

_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")


def emit_mocks(api: Api, package: str, options: dict[str, Any]) -> FileSet:
    if not _PACKAGE.match(package) or keyword.iskeyword(package):
        raise EmitError(f"package name {package!r} is not a valid lower-case Python module name")
    synth = Synthesizer(api)
    operations = [_operation(op, synth) for op in api.operations]
    server = next((s for s in api.servers if "://" in s.default_url()), None)
    files = FileSet()
    for path, data in runtime_files("mocks").items():
        files.add(f"{package}/{path}", data)
    files.add(f"{package}/py.typed", "")
    context = {
        "title": docstring(api.title),
        "title_doc": docstring(api.title),
        "ts_title": " ".join(doc_lines(api.title)),  # one `//` line: no line break may end it
        "class_name": naming.py_class_name(api.title, fallback="API") + "Mock",
        "base_url": server.default_url() if server else "http://localhost",
        "operations": operations,
    }
    files.add(f"{package}/__init__.py", render("mocks", "mock.py.j2", **context))
    # the TypeScript side: an injectable fetch with the same operations and hooks
    files.add("ts/mockFetch.ts", (templates_dir() / "mocks" / "ts" / "mockFetch.ts").read_bytes())
    files.add("ts/mock.ts", render("mocks", "ts/mock.ts.j2", **context))
    files.add("pyproject.toml", render("mocks", "pyproject.toml.j2", package=package, version=pep440(api.version)))
    return files


def _operation(op: Operation, synth: Synthesizer) -> dict[str, Any]:
    success = op.success
    status = _status(success.status) if success else 204
    content = success.preferred if success else None
    body: str | None = None
    content_type: str | None = None
    if content is not None:
        content_type = content.media_type if "*" not in content.media_type else "application/octet-stream"
        if content.kind is BodyKind.JSON:
            found, example = synth.example(content.examples, content.type)
            value = example if found else synth.response(content.type)
            body = json.dumps(value, ensure_ascii=False, sort_keys=False)
        elif content.kind is BodyKind.TEXT:
            body = str(content.examples[0]) if content.examples else "string"
        else:
            body = ""
    return {
        "id": op.key,
        "method": op.method.upper(),
        "path": op.path,
        "status": status,
        "content_type": content_type,
        "body": body,
    }


def _status(status: str) -> int:
    if status.isdigit():
        return int(status)
    if status.endswith("XX") and status[0].isdigit():
        return int(status[0]) * 100
    return 200
