// The platform SDK in a few calls: sign in, browse experts page by page, book a consultation, handle errors.
//
//   npm install @platform/sdk            (from the registry the platform publishes to)
//   export PLATFORM_SDK_BASE_URL=https://api.platform.example/v1   # the SDK reads it; this is its default
//   export PLATFORM_EXAMPLE_EMAIL=you@example.com PLATFORM_EXAMPLE_PASSWORD=...
//   export PLATFORM_EXAMPLE_PAYMENT_METHOD_ID=pm_...               # a card registered with paymentMethods
//   npx tsc -p . && node dist/quickstart.js [CATEGORY]              # default: law
import { randomUUID } from "node:crypto";

import {
  APIConnectionError,
  APIStatusError,
  AuthenticationError,
  Client,
  NotFoundError,
  UnprocessableEntityError,
  type models,
} from "@platform/sdk";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`set ${name}`);
  }
  return value;
}

async function main(category: models.ExpertCategory): Promise<number> {
  // Retry settings. Connection errors, timeouts, 408, 429 and 5xx are retried (twice by default, with exponential
  // backoff that honours Retry-After); here up to 3 times, each attempt given 10 seconds.
  const anonymous = new Client({ maxRetries: 3, timeoutMs: 10_000 });

  // 1. Sign in. Per call, `maxRetries: 0` turns retries off: a wrong password is not worth asking again.
  let session: models.AuthSession;
  try {
    session = await anonymous.auth.signIn(
      { email: required("PLATFORM_EXAMPLE_EMAIL"), password: required("PLATFORM_EXAMPLE_PASSWORD") },
      { maxRetries: 0 },
    );
  } catch (error) {
    if (error instanceof AuthenticationError) {
      console.log(`sign-in refused (${error.status}): check PLATFORM_EXAMPLE_EMAIL and PLATFORM_EXAMPLE_PASSWORD`);
      return 1;
    }
    throw error;
  }
  const client = new Client({ bearerToken: session.access_token, maxRetries: 3, timeoutMs: 10_000 });
  console.log(`signed in as ${session.user.email}`);

  // 2. List experts. `for await` walks every page, fetching the next one only when needed...
  const experts: models.Expert[] = [];
  for await (const expert of client.experts.list({ category, limit: 2 })) {
    experts.push(expert);
  }
  // ...or walk the pages yourself: await the list call for the first page.
  let page = await client.experts.list({ category, limit: 2 });
  let pages = 1;
  while (page.hasNextPage()) {
    page = await page.nextPage();
    pages += 1;
  }
  console.log(`${experts.length} experts in ${category} over ${pages} pages`);

  // 3. Book a consultation: the first product on sale of the first expert who sells one.
  let product: models.ConsultationProduct | undefined;
  for (const expert of experts) {
    const { data } = await client.consultationProducts.list(expert.id);
    product = data.find((p) => p.active);
    if (product) {
      break;
    }
  }
  if (!product) {
    console.log(`no expert in ${category} sells a consultation yet`);
    return 1;
  }
  try {
    const consultation = await client.consultations.create(
      {
        product_id: product.id,
        preferred_time: new Date(Date.now() + 4 * 24 * 3600 * 1000).toISOString(),
        message: "I would like a second opinion on a contract.",
        payment_method_id: required("PLATFORM_EXAMPLE_PAYMENT_METHOD_ID"),
      },
      // The same key on every retry: the booking (and the charge) happens once, however often it is sent.
      { idempotencyKey: randomUUID() },
    );
    const { amount, currency } = consultation.price;
    console.log(`booked consultation ${consultation.id} (${consultation.status}, ${amount} ${currency})`);
  } catch (error) {
    if (error instanceof UnprocessableEntityError) {
      // e.g. the card was declined: `body` is the parsed problem document
      console.log(`booking refused (${error.status}): ${JSON.stringify(error.body)}`);
      return 1;
    }
    throw error;
  }

  // 4. Typed errors: every failure is an APIError; an HTTP status has its own class.
  try {
    await client.experts.get("exp_00000000000000000000000000");
  } catch (error) {
    if (error instanceof NotFoundError) {
      console.log(`no such expert: not found (${error.status}, request id ${error.requestId})`);
    } else if (error instanceof APIConnectionError) {
      console.log(`cannot reach the API: ${error.message}`);
      return 1;
    } else if (error instanceof APIStatusError) {
      console.log(`unexpected ${error.status}: ${JSON.stringify(error.body)}`);
      return 1;
    } else {
      throw error;
    }
  }
  return 0;
}

process.exitCode = await main(process.argv[2] ?? "law");
