"""The platform SDK in a few calls: sign in, browse experts page by page, book a consultation, handle errors.

pip install platform-sdk
export PLATFORM_SDK_BASE_URL=https://api.platform.example/v1   # the SDK reads it; this is its default
export PLATFORM_EXAMPLE_EMAIL=you@example.com PLATFORM_EXAMPLE_PASSWORD=...
export PLATFORM_EXAMPLE_PAYMENT_METHOD_ID=pm_...               # a card registered with payment_methods
python quickstart.py [CATEGORY]                                 # default: law
"""

from __future__ import annotations

import datetime
import os
import sys
import uuid

import platform_sdk
from platform_sdk import Client
from platform_sdk.models import ExpertCategory


def main(category_name: str = "law") -> int:
    # Retry settings. Connection errors, timeouts, 408, 429 and 5xx are retried (twice by default, with exponential
    # backoff that honours Retry-After); here up to 3 times, each attempt given 10 seconds.
    anonymous = Client(max_retries=3, timeout=10.0)
    category = ExpertCategory(category_name)

    # 1. Sign in. Per call, `max_retries=0` turns retries off: a wrong password is not worth asking again.
    try:
        session = anonymous.auth.sign_in(
            email=os.environ["PLATFORM_EXAMPLE_EMAIL"], password=os.environ["PLATFORM_EXAMPLE_PASSWORD"], max_retries=0
        )
    except platform_sdk.AuthenticationError as err:
        print(f"sign-in refused ({err.status_code}): check PLATFORM_EXAMPLE_EMAIL and PLATFORM_EXAMPLE_PASSWORD")
        return 1
    client = Client(bearer_token=session.access_token, max_retries=3, timeout=10.0)
    print(f"signed in as {session.user.email}")

    # 2. List experts. Iterating a page walks every page, fetching the next one only when needed...
    experts = list(client.experts.list(category=category, limit=2))
    # ...or walk the pages yourself.
    page = client.experts.list(category=category, limit=2)
    pages = 1
    while page.has_next_page():
        page = page.next_page()
        pages += 1
    print(f"{len(experts)} experts in {category} over {pages} pages")
    for expert in experts:
        print(f"  {expert.display_name}: {expert.headline} ({expert.review_count} reviews)")

    # 3. Book a consultation: the first product on sale of the first expert who sells one.
    product = next((p for e in experts for p in client.consultation_products.list(e.id).data if p.active), None)
    if product is None:
        print(f"no expert in {category} sells a consultation yet")
        return 1
    try:
        consultation = client.consultations.create(
            product_id=product.id,
            preferred_time=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2),
            message="I would like advice on an inheritance.",
            payment_method_id=os.environ["PLATFORM_EXAMPLE_PAYMENT_METHOD_ID"],
            # The same key on every retry: the booking (and the charge) happens once, however often it is sent.
            idempotency_key=str(uuid.uuid4()),
        )
    except platform_sdk.UnprocessableEntityError as err:  # e.g. the card was declined
        print(f"booking refused ({err.status_code}): {err.body}")
        return 1
    expert_name, price = consultation.expert.display_name, f"{consultation.price.amount} {consultation.price.currency}"
    print(f"booked consultation {consultation.id} with {expert_name} ({consultation.status}, {price})")

    # 4. Typed errors: every failure is a platform_sdk.APIError; an HTTP status has its own class.
    try:
        client.experts.get("exp_00000000000000000000000000")
    except platform_sdk.NotFoundError as err:
        print(f"no such expert: not found ({err.status_code}, request id {err.request_id})")
    except platform_sdk.APIConnectionError as err:  # the server could not be reached, even after the retries
        print(f"cannot reach the API: {err}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
