"""Round trip over the corpus: the generated Python (or TypeScript) SDK calls every operation of the generated server.

    .venv/bin/python bench/corpus_roundtrip.py [--limit N] [--specs FILE] [--jobs 2] [--verbose]
    .venv/bin/python bench/corpus_roundtrip.py --sample 150 --seed 31 --readme   # beyond the dev specs
    .venv/bin/python bench/corpus_roundtrip.py --sdk typescript                  # the TypeScript SDK, under node

Per spec, in a process of its own: generate the SDK and the server, start the app in process (the SDK's
`http_client` is Starlette's TestClient), give every service an implementation that answers each operation with
a value synthesised from the IR (the mocks' synthesiser: the spec's examples first), then call every method with
its path parameters and required arguments synthesised the same way. A call that raises is a finding: the SDK
encodes what the server cannot read, the server cannot route or answer it, or the SDK cannot parse the answer.
Findings also come from the specs themselves (examples that break their own schema, bodies the spec leaves
optional but whose fields it requires): read them before fixing. Corpus: $SDKGEN_CORPUS_DIR or
~/.cache/sdkgen-corpus (../shared/corpus/fetch.sh).

With `--sdk typescript` the app runs under uvicorn on a loopback port instead, the TypeScript SDK is compiled with
the repo's tsc, and one node script makes every call (arguments synthesised the same way; binary values are Blobs).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import traceback
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import uvicorn
from _corpus import DEV_SPECS, add_selection_arguments, beyond_dev, read_ids, resolve, wants_beyond_dev
from fastapi.testclient import TestClient
from sdkgen.emit.mocks.synth import Synthesizer
from sdkgen.emit.typescript import _OBJECT_MEMBERS, _member
from sdkgen.ir.model import (
    AnyType,
    Api,
    ArrayType,
    BodyKind,
    ModelRef,
    Operation,
    Parameter,
    ParameterLocation,
    Primitive,
    PrimitiveKind,
    TypeRef,
)
from sdkgen.ir.naming import Namespace
from sdkgen.pipeline import analyse, emit
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[1]
TSC = REPO / "node_modules" / ".bin" / "tsc"
BLOB = "__roundtrip_blob__"  # stands for binary content in the arguments; the node script makes it a Blob
CORPUS = Path(os.environ.get("SDKGEN_CORPUS_DIR", Path.home() / ".cache" / "sdkgen-corpus"))


def round_trip(spec: Path, out: Path, sdk_kind: str = "python", every: bool = False) -> dict[str, Any]:
    """In the child process: every operation of `spec` called through its SDK against its server."""
    warnings.simplefilter("ignore")
    report: dict[str, Any] = {"stage": "generate", "operations": 0, "passed": 0, "failures": []}
    try:
        analysis = analyse(spec)
        api = analysis.api
        for kind, package in ((sdk_kind, "rt_sdk"), ("server", "rt_server")):
            write_tree(emit(analysis, kind, package), out / kind, force=True)
            sys.path.insert(0, str(out / kind))
        report["stage"] = "import"
        server = importlib.import_module("rt_server")
        synth = Synthesizer(api)
        services = {}
        for resource in api.resources:  # each service answers every operation (names as the server emitter's)
            base = getattr(server, resource.class_name.py + "ServiceBase")
            answers = {op.name.py: _answer(op, synth) for op in resource.operations}
            services[resource.name.py] = type("Answering", (base,), answers)()
        report["stage"] = "create_app"
        app = server.create_app(**services)
        if sdk_kind == "typescript":
            report["stage"] = "call"
            _typescript_calls(api, app, synth, out, report, every)
            report["stage"] = "done"
            return report
        sdk = importlib.import_module("rt_sdk")
        credentials = {c.py: "secret" for scheme in api.security_schemes for c in scheme.credentials}
        http = TestClient(app, raise_server_exceptions=False)
        client = sdk.Client(base_url="http://testserver", http_client=http, max_retries=0, **credentials)
        report["stage"] = "call"
        for resource in api.resources:
            for op in resource.operations:
                report["operations"] += 1
                args, kwargs = _arguments(op, synth, every)
                try:
                    getattr(getattr(client, resource.name.py), op.name.py)(*args, **kwargs)
                    report["passed"] += 1
                except Exception as exc:
                    response = getattr(exc, "response", None)
                    report["failures"].append(
                        {
                            "call": f"{resource.name.py}.{op.name.py}",
                            "operation": f"{op.method.upper()} {op.path}",
                            "error": f"{type(exc).__name__}: {exc}"[:300],
                            "body": getattr(response, "text", "")[:400],
                        }
                    )
        report["stage"] = "done"
    except BaseException:
        report["error"] = traceback.format_exc().strip().splitlines()[-1][:300]
    return report


def _answer(op: Operation, synth: Synthesizer) -> Any:
    """A service method answering `op` with a value of its success type."""
    content = op.success.preferred if op.success is not None and op.success.contents else None

    async def answer(self: object, *args: object, **kwargs: object) -> object:  # args[0]: the context
        if content is None:
            return None
        if content.kind is BodyKind.JSON:
            return synth.response(content.type)
        return "text" if content.kind is BodyKind.TEXT else b"bytes"

    return answer


def _path_value(value: Any, t: TypeRef, synth: Synthesizer) -> Any:
    """A path segment cannot be empty: where the synthesised value is (`^[A-Z0-9]*$`), one at least a character
    long that still meets the type's pattern (an enum's first non-empty member: brex lists `''` first), else
    "x"."""
    if value not in ("", None, [], {}):
        return value
    resolved = synth.api.unaliased(t)
    model = synth.api.models.get(resolved.key) if isinstance(resolved, ModelRef) else None
    if model is not None and model.members:
        return next((m.value for m in model.members if m.value not in ("", None)), "x")
    if isinstance(resolved, Primitive) and resolved.kind is PrimitiveKind.STRING:
        c = resolved.constraints
        longer = dataclasses.replace(resolved, constraints=dataclasses.replace(c, min_length=max(1, c.min_length or 0)))
        value = synth.request(longer)
    return value if value not in ("", None) else "x"


def _parameter_value(p: Parameter, synth: Synthesizer) -> Any:
    """A parameter's synthesised value; a parameter of any type gets a string, as a caller would pass (an empty
    object, the synthesiser's any-value, puts nothing on the wire: sinao's required `public_key` went missing)."""
    if isinstance(synth.api.unaliased(p.type), AnyType):
        return "x"
    return synth.request(p.type)


def _arguments(op: Operation, synth: Synthesizer, every: bool = False) -> tuple[list[Any], dict[str, Any]]:
    """Path parameters positionally, required parameters and required body fields (or body) by keyword; with
    `every`, the optional ones too."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in op.parameters:
        value = _parameter_value(p, synth)
        if p.location is ParameterLocation.PATH:
            args.append(_path_value(value, p.type, synth))
        elif p.required or every:
            kwargs[p.name.py] = value
    body = op.request_body
    if body is not None and (body.required or every):
        preferred = body.preferred
        if body.fields is not None:
            sent = _sent_fields(body, synth, every)
            parts = preferred.kind in (BodyKind.MULTIPART, BodyKind.FORM)  # a file goes in a part; JSON is text
            for f in body.fields:
                if f.property.wire in sent:
                    value = synth.request(f.property.type)
                    kwargs[f.name.py] = _bytes(_blobbed(f.property.type, value)) if parts else value
        elif preferred.kind is BodyKind.BINARY:
            kwargs["body"] = b"data"
        elif preferred.kind is BodyKind.TEXT:
            kwargs["body"] = "text"
        else:
            kwargs["body"] = synth.request(preferred.type)
    return args, kwargs


_NODE_SCRIPT = """
import { Client } from "./typescript/dist/index.js";
import { readFileSync } from "node:fs";
const [baseUrl, callsFile] = process.argv.slice(2);
const blobs = (v) => v === "BLOB" ? new Blob(["data"]) : Array.isArray(v) ? v.map(blobs)
  : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blobs(x)])) : v;
const { credentials, calls } = JSON.parse(readFileSync(callsFile, "utf8"));
const client = new Client({ baseUrl, maxRetries: 0, ...credentials });
const results = [];
for (const call of calls) {
  try {
    await client[call.resource][call.method](...blobs(call.args));
    results.push({ ok: true });
  } catch (error) {
    results.push({ ok: false, error: `${error?.constructor?.name}: ${error?.message}`.slice(0, 300),
      body: JSON.stringify(error?.body ?? "").slice(0, 400) });
  }
}
console.log("RESULTS " + JSON.stringify(results));
""".replace("BLOB", BLOB)


def _typescript_calls(
    api: Api, app: Any, synth: Synthesizer, out: Path, report: dict[str, Any], every: bool = False
) -> None:
    """Compile the TypeScript SDK, serve `app` on a loopback port, and make every call from one node script."""
    compiled = subprocess.run([str(TSC), "-p", "tsconfig.json"], cwd=out / "typescript", capture_output=True, text=True)
    if compiled.returncode != 0:
        raise RuntimeError("tsc: " + (compiled.stdout + compiled.stderr).strip()[:300])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    calls, described = [], []
    for resource in api.resources:
        attribute = resource.name.ts + "_" if resource.name.ts in _OBJECT_MEMBERS else resource.name.ts
        for op in resource.operations:
            method = _member(op.name.ts)
            calls.append({"resource": attribute, "method": method, "args": _ts_arguments(op, synth, every)})
            described.append((f"{attribute}.{method}", f"{op.method.upper()} {op.path}"))
    credentials = {c.ts: "secret" for scheme in api.security_schemes for c in scheme.credentials}
    (out / "calls.json").write_text(json.dumps({"credentials": credentials, "calls": calls}))
    (out / "calls.mjs").write_text(_NODE_SCRIPT)
    try:
        ran = subprocess.run(
            ["node", "calls.mjs", f"http://127.0.0.1:{port}", "calls.json"],
            cwd=out,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        server.should_exit = True
        thread.join(10)
    line = next((x for x in ran.stdout.splitlines() if x.startswith("RESULTS ")), None)
    if line is None:
        raise RuntimeError("node: " + (ran.stderr.strip().splitlines() or ["no results"])[-1][:300])
    for (call, operation), result in zip(described, json.loads(line[len("RESULTS ") :]), strict=True):
        report["operations"] += 1
        if result["ok"]:
            report["passed"] += 1
        else:
            report["failures"].append(
                {"call": call, "operation": operation, **{k: result[k] for k in ("error", "body")}}
            )


def _ts_arguments(op: Operation, synth: Synthesizer, every: bool = False) -> list[Any]:
    """Path parameters positionally, then the params object: required parameters and body fields (or `body`) under
    the keys the TypeScript emitter gives them (a wire name, else `query_<wire>`, `body_<wire>`...); with `every`,
    the optional ones too."""
    args: list[Any] = []
    params: dict[str, Any] = {}
    keys = Namespace()
    for p in op.parameters:
        value = _parameter_value(p, synth)
        if p.location is ParameterLocation.PATH:
            args.append(_path_value(value, p.type, synth))
            continue
        key = keys.claim(p.wire if p.wire not in keys else f"{p.location.value}_{p.wire}")
        if p.required or every:
            params[key] = value
    body = op.request_body
    if body is not None:
        preferred = body.preferred
        if body.fields is not None:
            sent = _sent_fields(body, synth, every) if body.required or every else set()
            parts = preferred.kind in (BodyKind.MULTIPART, BodyKind.FORM)  # a file goes in a part; JSON is text
            for f in body.fields:
                key = keys.claim(f.property.wire if f.property.wire not in keys else f"body_{f.property.wire}")
                if f.property.wire in sent:
                    value = synth.request(f.property.type)
                    params[key] = _blobbed(f.property.type, value) if parts else value
        else:
            key = keys.claim("body")
            if body.required or every:
                if preferred.kind is BodyKind.BINARY:
                    params[key] = BLOB
                elif preferred.kind is BodyKind.TEXT:
                    params[key] = "text"
                else:
                    params[key] = synth.request(preferred.type)
    return [*args, params] if params else args


def _sent_fields(body: Any, synth: Synthesizer, every: bool) -> set[str]:
    """The body fields a call passes: the required ones (every one with `every`), and optional ones as far as the
    body's `minProperties` needs (webflow's updates take any one field, and `{}` is refused), as a caller would."""
    fields = [f.property for f in body.fields if not f.property.read_only]
    sent = {p.wire for p in fields if p.required or every}
    t = body.preferred.type
    model = synth.api.models.get(t.key) if isinstance(t, ModelRef) else None
    for p in fields:
        if model is None or len(sent) >= (model.min_properties or 0):
            break
        sent.add(p.wire)
    return sent


def _bytes(value: Any) -> Any:
    """The Blob markers of `_blobbed` as bytes, as the Python SDK takes files."""
    if value == BLOB:
        return b"data"
    return [_bytes(item) for item in value] if isinstance(value, list) else value


def _blobbed(t: TypeRef, value: Any) -> Any:
    """Binary values (a file field, an array of them) as the node script's Blob marker."""
    if isinstance(t, Primitive) and t.is_binary:
        return BLOB
    if isinstance(t, ArrayType) and isinstance(value, list):
        return [_blobbed(t.items, item) for item in value]
    return value


def check(spec_id: str, path: Path, work: Path, sdk: str = "python", every: bool = False) -> dict[str, Any]:
    out = work / re.sub(r"[^A-Za-z0-9]+", "_", spec_id)
    code = "import json, sys; from pathlib import Path; import corpus_roundtrip as r; "
    code += "print('REPORT ' + json.dumps(r.round_trip(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], "
    code += "sys.argv[4] == 'every')))"
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(path), str(out), sdk, "every" if every else "required"],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=Path(__file__).parent,
        )
    except subprocess.TimeoutExpired:
        return {"spec": spec_id, "stage": "timeout", "error": "timed out", "operations": 0, "passed": 0}
    line = next((x for x in proc.stdout.splitlines() if x.startswith("REPORT ")), None)
    if line is None:
        error = (proc.stderr.strip().splitlines() or ["no report"])[-1][:300]
        return {"spec": spec_id, "stage": "crash", "error": error, "operations": 0, "passed": 0}
    return {"spec": spec_id, "seconds": time.monotonic() - started, **json.loads(line[len("REPORT ") :])}


def kind_of(failure: dict[str, Any]) -> str:
    """What sort of failure: the exception and, for an HTTP error, its status and title."""
    title = ""
    with contextlib.suppress(ValueError, AttributeError):
        title = json.loads(failure["body"]).get("title", "")
    return f"{failure['error'].split(':', 1)[0]} {title}".strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sdkgen-corpus-roundtrip"))
    parser.add_argument("--specs", type=Path, help="spec ids or paths, one a line (default: dev-specs.txt)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="print every failure")
    parser.add_argument("--json", type=Path, help="also write every report to this file")
    parser.add_argument("--sdk", choices=("python", "typescript"), default="python", help="the SDK that calls")
    parser.add_argument("--every", action="store_true", help="pass optional parameters and body fields too")
    add_selection_arguments(parser)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    started = time.monotonic()
    if wants_beyond_dev(args):
        specs = beyond_dev(args, CORPUS)
    else:
        specs = [(i, resolve(i, CORPUS)) for i in read_ids(args.specs or DEV_SPECS)]
    specs = specs[: args.limit] if args.limit else specs
    with ThreadPoolExecutor(args.jobs) as pool:
        reports = list(pool.map(lambda item: check(item[0], item[1], args.work, args.sdk, args.every), specs))
    if args.json:
        args.json.write_text(json.dumps(reports, indent=1))
    kinds: Counter[str] = Counter()
    for r in reports:
        if r.get("error"):
            print(f"FAIL {r['spec']}: [{r['stage']}] {r['error']}")
            continue
        failures = r["failures"]
        kinds.update(kind_of(f) for f in failures)
        print(f"{'DIFF' if failures else 'OK  '} {r['spec']}: {r['passed']} of {r['operations']} operations")
        for f in failures if args.verbose else failures[:3]:
            print(f"       {f['call']} ({f['operation']}): {f['error'][:160]} {f['body'][:200]}")
    done = [r for r in reports if not r.get("error")]
    print()
    print(
        f"specs: {len(reports)}  round-tripped: {len(done)}  every operation passed: "
        f"{sum(1 for r in done if not r['failures'])}"
    )
    print(f"operations: {sum(r['operations'] for r in done)}  passed: {sum(r['passed'] for r in done)}")
    print("most common failures:")
    for kind, count in kinds.most_common(10):
        print(f"  {count:5d}  {kind}")
    print(f"time: {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
