"""Lists that page after the last item seen (Stripe, OpenAI, Anthropic): `starting_after`/`after` is the last item's
`id` (or the body's `last_id`), and a boolean `has_more` is false on the last page. They had no auto-pagination:
the list method returned the first page's body only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import respx
from sdkgen.ir.model import PaginationStyle
from sdkgen.pipeline import analyse

SPEC = """
openapi: 3.0.3
info: {title: item cursors, version: "1"}
servers: [{url: "https://api.cursors.test"}]
paths:
  /charges:
    get:
      operationId: listCharges
      tags: [charges]
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: A page of charges.
          content:
            application/json:
              schema:
                type: object
                required: [data, has_more]
                properties:
                  object: {type: string}
                  data: {type: array, items: {$ref: "#/components/schemas/Charge"}}
                  has_more: {type: boolean}
  /files:
    get:
      operationId: listFiles
      tags: [files]
      parameters:
        - {name: after, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page of files.
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/Charge"}}
                  first_id: {type: string}
                  last_id: {type: string}
                  has_more: {type: boolean}
components:
  schemas:
    Charge:
      type: object
      required: [id]
      properties:
        id: {type: string}
        amount: {type: integer}
"""

BASE = "https://api.cursors.test"


@pytest.fixture
def cursors(python_sdk: Callable[[str, str], ModuleType]) -> ModuleType:
    return python_sdk(SPEC, "item_cursors_sdk")


def pages(*ids: list[str]) -> Callable[[httpx.Request], httpx.Response]:
    """Answer page by page, each page's `has_more` true but the last's."""
    by_cursor = {None: 0, **{page[-1]: n + 1 for n, page in enumerate(ids[:-1])}}

    def answer(request: httpx.Request) -> httpx.Response:
        n = by_cursor[request.url.params.get("starting_after") or request.url.params.get("after")]
        data = [{"id": i, "amount": 1} for i in ids[n]]
        return httpx.Response(200, json={"data": data, "has_more": n < len(ids) - 1, "last_id": data[-1]["id"]})

    return answer


def test_the_ir_reads_the_conventions(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC)
    ops = {op.operation_id: op.pagination for op in analyse(tmp_path / "spec.yaml").api.operations}
    stripe, openai = ops["listCharges"], ops["listFiles"]
    assert stripe is not None and stripe.style is PaginationStyle.CURSOR
    assert (stripe.cursor_param, stripe.next_cursor, stripe.item_cursor, stripe.has_more) == (
        "starting_after",
        (),
        ("id",),
        ("has_more",),
    )
    assert openai is not None and (openai.cursor_param, openai.next_cursor, openai.has_more) == (
        "after",
        ("last_id",),
        ("has_more",),
    )


def test_iterating_a_list_follows_the_last_item_until_has_more_is_false(cursors: Any) -> None:
    client = cursors.Client(base_url=BASE, max_retries=0)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/charges").mock(side_effect=pages(["ch_1", "ch_2"], ["ch_3", "ch_4"], ["ch_5"]))
        assert [charge.id for charge in client.charges.list(limit=2)] == ["ch_1", "ch_2", "ch_3", "ch_4", "ch_5"]
    assert [dict(call.request.url.params) for call in route.calls] == [
        {"limit": "2"},
        {"limit": "2", "starting_after": "ch_2"},
        {"limit": "2", "starting_after": "ch_4"},
    ]
    with respx.mock(base_url=BASE) as mock:
        mock.get("/charges").mock(side_effect=pages(["ch_1", "ch_2"], ["ch_3"]))
        first = client.charges.list()
        assert first.has_next_page()
        second = first.next_page()
        assert [c.id for c in second.items] == ["ch_3"] and not second.has_next_page()


def test_a_last_id_field_is_the_cursor_where_the_body_has_one(cursors: Any) -> None:
    client = cursors.Client(base_url=BASE, max_retries=0)
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/files").mock(side_effect=pages(["f_1"], ["f_2"]))
        assert [f.id for f in client.files.list()] == ["f_1", "f_2"]
    assert [call.request.url.params.get("after") for call in route.calls] == [None, "f_1"]


def test_async_iteration_pages_the_same_way(cursors: Any) -> None:
    import asyncio

    async def run() -> list[str]:
        async with cursors.AsyncClient(base_url=BASE, max_retries=0) as client:
            return [charge.id async for charge in client.charges.list()]

    with respx.mock(base_url=BASE) as mock:
        mock.get("/charges").mock(side_effect=pages(["ch_1"], ["ch_2", "ch_3"]))
        assert asyncio.run(run()) == ["ch_1", "ch_2", "ch_3"]
