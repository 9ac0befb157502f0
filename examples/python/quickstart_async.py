"""The quickstart with the async client: the same calls, awaited; lists are async-iterable.

pip install platform-sdk
export PLATFORM_SDK_BASE_URL=... PLATFORM_EXAMPLE_EMAIL=... PLATFORM_EXAMPLE_PASSWORD=...
export PLATFORM_EXAMPLE_PAYMENT_METHOD_ID=pm_...
python quickstart_async.py [CATEGORY]                           # default: law
"""

from __future__ import annotations

import asyncio
import datetime
import os
import sys
import uuid

import platform_sdk
from platform_sdk import AsyncClient
from platform_sdk.models import ExpertCategory


async def main(category_name: str = "law") -> int:
    category = ExpertCategory(category_name)
    # Retry settings: up to 3 retries of connection errors, timeouts, 408, 429 and 5xx; 10 seconds per attempt.
    async with AsyncClient(max_retries=3, timeout=10.0) as anonymous:
        try:
            session = await anonymous.auth.sign_in(
                email=os.environ["PLATFORM_EXAMPLE_EMAIL"],
                password=os.environ["PLATFORM_EXAMPLE_PASSWORD"],
                max_retries=0,  # per call: a refused sign-in is not retried
            )
        except platform_sdk.AuthenticationError as err:
            print(f"sign-in refused ({err.status_code})")
            return 1
    print(f"signed in as {session.user.email}")

    async with AsyncClient(bearer_token=session.access_token, max_retries=3, timeout=10.0) as client:
        # Every expert of the category, page after page (2 per request), fetched as the loop goes...
        experts = [expert async for expert in client.experts.list(category=category, limit=2)]
        # ...or page by page: await the list call for the first page.
        page = await client.experts.list(category=category, limit=2)
        pages = 1
        while page.has_next_page():
            page = await page.next_page()
            pages += 1
        print(f"{len(experts)} experts in {category} over {pages} pages")

        # The experts' products, fetched concurrently.
        catalogues = await asyncio.gather(*(client.consultation_products.list(e.id) for e in experts))
        product = next((p for catalogue in catalogues for p in catalogue.data if p.active), None)
        if product is None:
            print(f"no expert in {category} sells a consultation yet")
            return 1
        try:
            consultation = await client.consultations.create(
                product_id=product.id,
                preferred_time=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
                message="Could we talk about a lease contract?",
                payment_method_id=os.environ["PLATFORM_EXAMPLE_PAYMENT_METHOD_ID"],
                idempotency_key=str(uuid.uuid4()),  # reused on every retry: booked and charged once
            )
        except platform_sdk.APIStatusError as err:  # any HTTP error: status, parsed body, request id
            print(f"booking failed ({err.status_code}, request id {err.request_id}): {err.body}")
            return 1
        print(f"booked consultation {consultation.id} ({consultation.status})")

        try:
            await client.experts.get("exp_00000000000000000000000000")
        except platform_sdk.NotFoundError as err:
            print(f"no such expert: not found ({err.status_code}, request id {err.request_id})")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(*sys.argv[1:2])))
