"""Measurements that run in a process of their own, started by bench/run.py (one JSON line on stdout).

    python bench/_worker.py canned-server --port P --body FILE
    python bench/_worker.py runtime --client httpx|sdk --mode sync|async --base URL --n 5000 [--blocks]
    python bench/_worker.py parse --which sdkgen|opc --root DIR --package NAME --body FILE --repeat K [--blocks]
    python bench/_worker.py import --root DIR --statement "import github_sdk"

Imports are local to each command: the canned server runs in the project's venv (starlette, uvicorn), the
parse and import workers in the bench venv (pydantic, attrs, httpx, dateutil), the runtime worker wherever
platform_sdk is installed (the project's venv).

With --blocks, runtime and parse serve the runner instead of timing a fixed count: after set-up and warm-up
they print {"ready": true}, then answer each stdin line "run K" with the seconds (and CPU seconds) of K
more calls or parses, and "done" with the final facts (items, first item, peak RSS). bench/run.py drives
the two workers of a comparison this way in alternating blocks, so that load from other processes falls
on both alike.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def canned_server(args: argparse.Namespace) -> None:
    """GET {prefix}/experts answers the same canned bytes every time: the cheapest possible server."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    body = Path(args.body).read_bytes()

    async def experts(_: object) -> Response:
        return Response(body, media_type="application/json")

    app = Starlette(routes=[Route(args.prefix + "/experts", experts)])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


def runtime(args: argparse.Namespace) -> None:
    """n sequential GETs of the experts listing, after a warm-up; prints the seconds the n took."""
    import asyncio

    import httpx

    n, warmup, base = args.n, args.warmup, args.base.rstrip("/")
    url = base + "/experts"

    if args.mode == "sync":
        with contextlib.ExitStack() as stack:
            if args.client == "httpx":
                http = stack.enter_context(httpx.Client())

                def call() -> object:
                    response = http.get(url)
                    response.raise_for_status()
                    return response.json()

            else:
                import platform_sdk

                client = stack.enter_context(platform_sdk.Client(base_url=base))

                def call() -> object:
                    return client.experts.list().items

            if args.blocks:
                _serve_blocks(call, warmup, lambda last: {"items": _count(last)})
                return
            seconds, last = _loop(call, n, warmup)
    else:

        async def main() -> tuple[float, object]:
            async with contextlib.AsyncExitStack() as stack:
                if args.client == "httpx":
                    http = await stack.enter_async_context(httpx.AsyncClient())

                    async def call() -> object:
                        response = await http.get(url)
                        response.raise_for_status()
                        return response.json()

                else:
                    import platform_sdk

                    client = await stack.enter_async_context(platform_sdk.AsyncClient(base_url=base))

                    async def call() -> object:
                        page = await client.experts.list()
                        return page.items

                if args.blocks:
                    await _aserve_blocks(call, warmup, lambda last: {"items": _count(last)})
                    return 0.0, None
                return await _aloop(call, n, warmup)

        seconds, last = asyncio.run(main())
        if args.blocks:
            return
    print(json.dumps({"seconds": seconds, "items": _count(last)}))


def _count(last: object) -> int:
    items = last["data"] if isinstance(last, dict) else last
    return len(items)  # type: ignore[arg-type]


def _loop(call: Any, n: int, warmup: int) -> tuple[float, Any]:
    for _ in range(warmup):
        call()
    started = time.perf_counter()
    for _ in range(n):
        last = call()
    return time.perf_counter() - started, last


async def _aloop(call: Any, n: int, warmup: int) -> tuple[float, Any]:
    for _ in range(warmup):
        await call()
    started = time.perf_counter()
    for _ in range(n):
        last = await call()
    return time.perf_counter() - started, last


def _commands() -> Iterator[int]:
    """The block sizes the runner asks for on stdin, until it says "done"."""
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        word, *rest = line.split()
        if word == "done":
            return
        yield int(rest[0])


def _finish(facts: dict[str, Any]) -> None:
    import resource

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({**facts, "peak_kb": peak_kb}), flush=True)


def _serve_blocks(call: Any, warmup: int, facts: Callable[[Any], dict[str, Any]]) -> None:
    last = None
    for _ in range(warmup):
        last = call()
    for k in _commands():
        cpu, started = time.process_time(), time.perf_counter()
        for _ in range(k):
            last = call()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(json.dumps({"seconds": seconds, "cpu": cpu}), flush=True)
    _finish(facts(last))


async def _aserve_blocks(call: Any, warmup: int, facts: Callable[[Any], dict[str, Any]]) -> None:
    last = None
    for _ in range(warmup):
        last = await call()
    for k in _commands():
        cpu, started = time.process_time(), time.perf_counter()
        for _ in range(k):
            last = await call()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(json.dumps({"seconds": seconds, "cpu": cpu}), flush=True)
    _finish(facts(last))


def parse(args: argparse.Namespace) -> None:
    """Feed the same response bytes to an SDK's own response-parsing path, `repeat` times after one warm-up.

    The previous result stays alive while the next parse runs (and is freed when it is replaced, inside
    the timing), as in a program that keeps the page it is working on: the same for both SDKs.
    """
    import httpx

    sys.path.insert(0, args.root)
    body = Path(args.body).read_bytes()
    request = httpx.Request("GET", "http://127.0.0.1/items")

    def response() -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"}, request=request)

    if args.which == "sdkgen":
        base = importlib.import_module(f"{args.package}._base_client")
        resource = importlib.import_module(f"{args.package}.resources.items")
        endpoint = resource._LIST

        def run() -> list[Any]:
            result: list[Any] = base.parse_body(response(), endpoint.response)
            return result

    else:
        module = importlib.import_module(f"{args.package}.api.items.list_items")
        client_module = importlib.import_module(f"{args.package}.client")
        client = client_module.Client(base_url="http://127.0.0.1")

        def run() -> list[Any]:
            result: list[Any] = module._build_response(client=client, response=response()).parsed
            return result

    def facts(items: list[Any]) -> dict[str, Any]:
        first = items[0]
        check = [first.id, first.name, str(first.status.value), first.created_at.isoformat(), first.owner.login]
        return {"items": len(items), "first": check}

    if args.blocks:
        # Warm-up: the first parse builds validators and imports models; the second is the first with a previous
        # result alive, so the heap grows to its steady size here rather than inside a timed parse.
        _serve_blocks(run, 2, facts)
        return
    items = run()  # warm-up, as in the block mode: validators built, heap at its steady size
    items = run()
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        items = run()
        timings.append(time.perf_counter() - started)
    print(json.dumps({"seconds": sum(timings), "parses": args.repeat, **facts(items)}))


def seed_reference(args: argparse.Namespace) -> None:
    """Give the reference server `count` verified experts, through the platform SDK (sign-up, licence,
    verification request, the admin's approval), so that its experts listing is a realistic page."""
    import datetime

    import platform_sdk
    from platform_sdk.models import ExpertCategory, ExpertSignUp

    password = "bench-password-" + "x" * 8
    with platform_sdk.Client(base_url=args.base, max_retries=0) as anonymous:
        admin_token = anonymous.auth.sign_in(email=args.admin_email, password=args.admin_password).access_token
        with platform_sdk.Client(base_url=args.base, bearer_token=admin_token, max_retries=0) as admin:
            for i in range(args.count):
                session = anonymous.auth.sign_up(
                    body=ExpertSignUp(
                        role="expert",
                        email=f"expert-{i}@bench.example",
                        password=password,
                        name=f"Expert {i}",
                        display_name=f"Expert {i}",
                        category=ExpertCategory.LAW,
                        headline="Twenty years of practice in contract and employment law",
                    )
                )
                expert_id = session.user.expert_id
                assert expert_id is not None
                with platform_sdk.Client(base_url=args.base, bearer_token=session.access_token) as expert:
                    expert.experts.create_license(
                        expert_id,
                        name="Bar admission",
                        issuer="State Bar",
                        number=f"B-{i:06d}",
                        issued_on=datetime.date(2010, 6, 15),
                        document_url=f"https://files.example.com/licenses/{i}.pdf",
                    )
                    expert.experts.request_verification(expert_id, note="please review")
                admin.admin.approve_expert(expert_id)
        listed = anonymous.experts.list(limit=args.count).items
    print(json.dumps({"experts": len(listed)}))


def import_time(args: argparse.Namespace) -> None:
    sys.path.insert(0, args.root)
    started = time.perf_counter()
    exec(args.statement, {})
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "modules": len(sys.modules)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("canned-server")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--body", required=True)
    p.add_argument("--prefix", default="/v1")
    p.set_defaults(func=canned_server)
    p = commands.add_parser("seed-reference")
    p.add_argument("--base", required=True)
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--admin-email", required=True)
    p.add_argument("--admin-password", required=True)
    p.set_defaults(func=seed_reference)
    p = commands.add_parser("runtime")
    p.add_argument("--client", choices=["httpx", "sdk"], required=True)
    p.add_argument("--mode", choices=["sync", "async"], required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--n", type=int, default=5000)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--blocks", action="store_true", help="serve timed blocks on stdin (see the module doc)")
    p.set_defaults(func=runtime)
    p = commands.add_parser("parse")
    p.add_argument("--which", choices=["sdkgen", "opc"], required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--package", required=True)
    p.add_argument("--body", required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--blocks", action="store_true", help="serve timed blocks on stdin (see the module doc)")
    p.set_defaults(func=parse)
    p = commands.add_parser("import")
    p.add_argument("--root", required=True)
    p.add_argument("--statement", required=True)
    p.set_defaults(func=import_time)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
