"""Measurements that run in a process of their own, started by bench/run.py (one JSON line on stdout).

    python bench/_worker.py canned-server --port P --body FILE
    python bench/_worker.py runtime --client httpx|sdk --mode sync|async --base URL --n 5000
    python bench/_worker.py parse --which sdkgen|opc --root DIR --package NAME --body FILE --repeat K
    python bench/_worker.py import --root DIR --statement "import github_sdk"

Imports are local to each command: the canned server runs in the project's venv (starlette, uvicorn), the
parse and import workers in the bench venv (pydantic, attrs, httpx, dateutil), the runtime worker wherever
platform_sdk is installed (the project's venv).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
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
        if args.client == "httpx":
            with httpx.Client() as http:

                def call() -> object:
                    response = http.get(url)
                    response.raise_for_status()
                    return response.json()

                seconds, last = _loop(call, n, warmup)
        else:
            import platform_sdk

            with platform_sdk.Client(base_url=base) as client:
                seconds, last = _loop(client.experts.list, n, warmup)
                last = last.items
    else:

        async def main() -> tuple[float, object]:
            if args.client == "httpx":
                async with httpx.AsyncClient() as http:

                    async def call() -> object:
                        response = await http.get(url)
                        response.raise_for_status()
                        return response.json()

                    return await _aloop(call, n, warmup)
            import platform_sdk

            async with platform_sdk.AsyncClient(base_url=base) as client:

                async def sdk_call() -> object:
                    return await client.experts.list()

                seconds, page = await _aloop(sdk_call, n, warmup)
                return seconds, page.items  # type: ignore[attr-defined]

        seconds, last = asyncio.run(main())
    items = last["data"] if isinstance(last, dict) else last
    print(json.dumps({"seconds": seconds, "items": len(items)}))  # type: ignore[arg-type]


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


def parse(args: argparse.Namespace) -> None:
    """Feed the same response bytes to an SDK's own response-parsing path, `repeat` times after one warm-up."""
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

    items = run()  # warm-up: builds validators, imports models
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        items = run()
        timings.append(time.perf_counter() - started)
    first = items[0]
    check = [first.id, first.name, str(first.status.value), first.created_at.isoformat(), first.owner.login]
    print(json.dumps({"seconds": sum(timings), "parses": args.repeat, "items": len(items), "first": check}))


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
    p = commands.add_parser("runtime")
    p.add_argument("--client", choices=["httpx", "sdk"], required=True)
    p.add_argument("--mode", choices=["sync", "async"], required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--n", type=int, default=5000)
    p.add_argument("--warmup", type=int, default=200)
    p.set_defaults(func=runtime)
    p = commands.add_parser("parse")
    p.add_argument("--which", choices=["sdkgen", "opc"], required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--package", required=True)
    p.add_argument("--body", required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.set_defaults(func=parse)
    p = commands.add_parser("import")
    p.add_argument("--root", required=True)
    p.add_argument("--statement", required=True)
    p.set_defaults(func=import_time)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
