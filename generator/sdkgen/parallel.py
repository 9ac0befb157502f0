"""Run independent jobs (one per target) on several cores, sharing what the parent already built.

On POSIX the jobs run in forked children: a child starts with the parent's memory, so the analysed
spec (the IR) is shared copy-on-write instead of being pickled; only each job's small result comes
back, pickled through a pipe. Elsewhere, with one core or one job, the jobs run one after the other
in this process. Results are returned in job order either way, so output does not depend on which
child finished first.

A job should return its failures as values; an exception escaping a job in a child is re-raised in
the parent as `ChildError`, with the child's traceback as text.
"""

from __future__ import annotations

import os
import pickle
import selectors
import signal
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

from sdkgen.gctools import gc_frozen

T = TypeVar("T")

JOBS_VARIABLE = "SDKGEN_JOBS"


class ChildError(Exception):
    """An exception escaped a job in a child process (or the child died)."""

    def __init__(self, message: str, traceback_text: str = ""):
        super().__init__(message)
        self.traceback_text = traceback_text


def default_workers(jobs: int) -> int:
    """How many jobs run at once: SDKGEN_JOBS if set, else one per core; never more than the jobs."""
    configured = os.environ.get(JOBS_VARIABLE, "").strip()
    workers = int(configured) if configured.isdigit() and int(configured) > 0 else (os.cpu_count() or 1)
    return max(1, min(workers, jobs))


def run_all(jobs: Sequence[Callable[[], T]], workers: int | None = None) -> list[T]:
    """Each job's result, in job order; forked children when more than one worker is useful."""
    workers = default_workers(len(jobs)) if workers is None else max(1, min(workers, len(jobs)))
    if workers <= 1 or not hasattr(os, "fork"):
        return [job() for job in jobs]
    with gc_frozen():  # the children share the IR copy-on-write; their collector must not walk it
        return _forked(jobs, workers)


def _forked(jobs: Sequence[Callable[[], T]], workers: int) -> list[T]:
    results: dict[int, tuple[str, object]] = {}
    waiting = list(range(len(jobs)))
    running: dict[int, tuple[int, int, list[bytes]]] = {}  # read end -> (job, pid, chunks)
    selector = selectors.DefaultSelector()
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                number = waiting.pop(0)
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child; coverage is not collected after fork
                    os.close(read)
                    _child(jobs[number], write)
                os.close(write)
                running[read] = (number, pid, [])
                selector.register(read, selectors.EVENT_READ)
            for key, _ in selector.select():
                fd = int(key.fd)
                chunk = os.read(fd, 1 << 20)
                if chunk:
                    running[fd][2].append(chunk)
                    continue
                selector.unregister(fd)
                os.close(fd)
                number, pid, chunks = running.pop(fd)
                _, status = os.waitpid(pid, 0)
                results[number] = _decode(b"".join(chunks), status)
    except BaseException:
        for fd, (_, pid, _) in running.items():  # only our own children, by pid
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except OSError:
                pass
            os.close(fd)
        raise
    finally:
        selector.close()
    values: list[T] = []
    for number in range(len(jobs)):
        tag, payload = results[number]
        if tag == "interrupted":
            raise KeyboardInterrupt
        if tag == "error":
            assert isinstance(payload, tuple)
            raise ChildError(*payload)
        values.append(payload)  # type: ignore[arg-type]
    return values


def _child(job: Callable[[], object], fd: int) -> None:  # pragma: no cover - runs in the child
    """Run the job, send ("ok", result) or the failure through `fd`, and exit without cleanup handlers."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        message: tuple[str, object]
        try:
            message = ("ok", job())
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except KeyboardInterrupt:
            data = pickle.dumps(("interrupted", None))
        except BaseException as exc:
            text = "".join(traceback.format_exception(exc))
            data = pickle.dumps(("error", (f"{type(exc).__name__}: {exc}", text)))
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.close(fd)
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of buffers inherited from the parent


def _decode(data: bytes, status: int) -> tuple[str, object]:
    if data:
        try:
            tag, payload = pickle.loads(data)
            return str(tag), payload
        except Exception as exc:
            return "error", (f"cannot read a worker's result: {type(exc).__name__}: {exc}", "")
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == signal.SIGINT:
            return "interrupted", None
        return "error", (f"a worker process was killed by signal {number} ({signal.Signals(number).name})", "")
    return "error", (f"a worker process exited with status {os.waitstatus_to_exitcode(status)} and no result", "")
