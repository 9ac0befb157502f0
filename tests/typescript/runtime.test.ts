// Behaviour of the generated TypeScript runtime, against a local mock server (tests/typescript/fixtures/runtime.yaml).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  APIConnectionError,
  APIError,
  APIStatusError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  Client,
  ConflictError,
  InternalServerError,
  NotFoundError,
  Page,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "../sdk/src/index.js";
import { headerValue, renderPath } from "../sdk/src/encoding.js";
import { MockServer } from "./mock-server.js";

const server = new MockServer();

before(() => server.start());
after(() => server.stop());

function client(options: ConstructorParameters<typeof Client>[0] = {}): Client {
  return new Client({ baseUrl: server.baseUrl, bearerToken: "tok", ...options });
}

const item = (id: string) => ({ id, name: `item ${id}` });

// ------------------------------------------------------------------ responses and errors

test("a method resolves to the parsed body and withResponse() adds the response", async () => {
  server.reset(() => ({ json: item("1"), headers: { "x-request-id": "req_1" } }));
  const got = await client().items.get("1");
  assert.deepEqual(got, item("1"));
  const { data, response } = await client().items.get("1").withResponse();
  assert.deepEqual(data, item("1"));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-request-id"), "req_1");
  assert.equal(server.requests[0]?.path, "/v1/items/1");
  assert.equal(server.requests[0]?.method, "GET");
});

test("each error status raises its error class with status, body, headers and requestId", async () => {
  const cases: [number, abstract new (...args: never[]) => unknown][] = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, APIStatusError],
  ];
  for (const [status, errorClass] of cases) {
    server.reset(() => ({ status, json: { title: "Nope", detail: `status ${status}` }, headers: { "x-request-id": "r-9" } }));
    const error = await client({ maxRetries: 0 }).items.get("x").then(
      () => assert.fail("expected an error"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof errorClass, `${status} -> ${String(error)}`);
    assert.ok(error instanceof APIStatusError);
    assert.ok(error instanceof APIError);
    assert.equal(error.status, status);
    assert.deepEqual(error.body, { title: "Nope", detail: `status ${status}` });
    assert.equal(error.requestId, "r-9");
    assert.equal(error.headers.get("x-request-id"), "r-9");
    assert.match(error.message, new RegExp(`${status} - status ${status}`));
  }
});

test("an error body that is not JSON is kept as text", async () => {
  server.reset(() => ({ status: 400, text: "plain failure" }));
  const error = await client().items.get("x").catch((e: unknown) => e);
  assert.ok(error instanceof BadRequestError);
  assert.equal(error.body, "plain failure");
  assert.equal(error.requestId, undefined);
});

test("204 resolves to undefined, binary to a Blob and text to a string", async () => {
  server.reset(() => ({ status: 204 }));
  assert.equal(await client().items.delete("1"), undefined);
  server.reset(() => ({ text: "raw-bytes", headers: { "content-type": "application/octet-stream" } }));
  const blob = await client().uploads.download("a.bin");
  assert.ok(blob instanceof Blob);
  assert.equal(await blob.text(), "raw-bytes");
  assert.equal(server.requests[0]?.headers["accept"], "application/octet-stream, application/json");
  server.reset(() => ({ text: "# Read me", headers: { "content-type": "text/plain" } }));
  assert.equal(await client().uploads.readme(), "# Read me");
});

test("each success status is read as the body it declares: 200 a Blob, 202 a JSON job", async () => {
  server.reset(() => ({ status: 202, json: { id: "job_1", state: "queued" } }));
  const job = await client().uploads.download("a.bin");
  assert.deepEqual(job, { id: "job_1", state: "queued" });
  assert.equal(server.requests[0]?.headers["accept"], "application/octet-stream, application/json");
  server.reset(() => ({ text: "raw-bytes", headers: { "content-type": "application/octet-stream" } }));
  const blob = await client().uploads.download("a.bin");
  assert.ok(blob instanceof Blob);
});

// ------------------------------------------------------------------ retries

test("retryable statuses are retried with the retry count header, honouring retry-after-ms", async () => {
  server.reset((_, index) =>
    index < 2 ? { status: 503, headers: { "retry-after-ms": "10" }, json: {} } : { json: item("1") },
  );
  const started = Date.now();
  assert.deepEqual(await client().items.get("1"), item("1"));
  assert.ok(Date.now() - started < 400, "retry-after-ms of 10 ms is honoured instead of the backoff");
  assert.deepEqual(
    server.requests.map((r) => r.headers["x-sdkgen-retry-count"]),
    ["0", "1", "2"],
  );
});

test("every retryable status is retried: 408, 429, 500, 502, 503, 504", async () => {
  for (const status of [408, 429, 500, 502, 503, 504]) {
    server.reset((_, index) => (index === 0 ? { status, headers: { "retry-after": "0" } } : { json: item("1") }));
    await client().items.get("1");
    assert.equal(server.requests.length, 2, `status ${status}`);
  }
});

test("Retry-After in seconds is honoured", async () => {
  server.reset((_, index) => (index === 0 ? { status: 429, headers: { "retry-after": "1" } } : { json: item("1") }));
  const started = Date.now();
  await client().items.get("1");
  assert.ok(Date.now() - started >= 950, "waited about a second");
  assert.equal(server.requests.length, 2);
});

test("Retry-After as an HTTP date is honoured", async () => {
  const when = new Date(Date.now() + 2000).toUTCString();
  server.reset((_, index) => (index === 0 ? { status: 503, headers: { "retry-after": when } } : { json: item("1") }));
  const started = Date.now();
  await client().items.get("1");
  const waited = Date.now() - started;
  assert.ok(waited >= 900 && waited < 2600, `waited ${waited} ms`);
});

test("Retry-After over 60 seconds is ignored in favour of exponential backoff", async () => {
  server.reset((_, index) => (index === 0 ? { status: 503, headers: { "retry-after": "3600" } } : { json: item("1") }));
  const started = Date.now();
  await client().items.get("1");
  const waited = Date.now() - started;
  assert.ok(waited >= 350 && waited < 1500, `backoff of 0.5 s with jitter, waited ${waited} ms`);
});

test("a 4xx other than 408 and 429 is not retried", async () => {
  server.reset(() => ({ status: 404, json: {} }));
  await assert.rejects(client().items.get("1"), NotFoundError);
  assert.equal(server.requests.length, 1);
});

test("x-should-retry: false stops a retry", async () => {
  server.reset(() => ({ status: 503, headers: { "x-should-retry": "false" } }));
  await assert.rejects(client().items.get("1"), InternalServerError);
  assert.equal(server.requests.length, 1);
});

test("retries give up after maxRetries and raise the last error", async () => {
  server.reset(() => ({ status: 500, headers: { "retry-after-ms": "1" }, json: { detail: "down" } }));
  await assert.rejects(client({ maxRetries: 3 }).items.get("1"), InternalServerError);
  assert.equal(server.requests.length, 4);
});

test("maxRetries 0 disables retries, on the client or per call", async () => {
  server.reset(() => ({ status: 503 }));
  await assert.rejects(client({ maxRetries: 0 }).items.get("1"), InternalServerError);
  assert.equal(server.requests.length, 1);
  server.reset(() => ({ status: 503 }));
  await assert.rejects(client().items.get("1", { maxRetries: 0 }), InternalServerError);
  assert.equal(server.requests.length, 1);
});

test("a POST without an idempotency key is not retried", async () => {
  server.reset(() => ({ status: 503, headers: { "retry-after-ms": "1" } }));
  await assert.rejects(client().items.create({ name: "x" }), InternalServerError);
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0]?.headers["idempotency-key"], undefined);
});

test("a POST with options.idempotencyKey is retried and sends the same key each time", async () => {
  server.reset((_, index) => (index === 0 ? { status: 503, headers: { "retry-after-ms": "1" } } : { status: 201, json: item("9") }));
  const created = await client().items.create({ name: "x" }, { idempotencyKey: "key-123" });
  assert.equal(created.id, "9");
  assert.deepEqual(
    server.requests.map((r) => r.headers["idempotency-key"]),
    ["key-123", "key-123"],
  );
});

test("an operation that declares Idempotency-Key gets one automatically, reused on every attempt", async () => {
  server.reset((_, index) =>
    index < 2 ? { status: 502, headers: { "retry-after-ms": "1" } } : { status: 201, json: { order_id: "o1" } },
  );
  const order = await client().items.createOrder({ item_id: "i1", quantity: 2 });
  assert.equal(order.order_id, "o1");
  const keys = server.requests.map((r) => r.headers["idempotency-key"]);
  assert.equal(keys.length, 3);
  assert.match(keys[0] ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(keys.every((k) => k === keys[0]));
  assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ""), { item_id: "i1", quantity: 2 });
  server.reset(() => ({ status: 201, json: {} }));
  await client().items.createOrder({ item_id: "i1" });
  assert.notEqual(server.requests[0]?.headers["idempotency-key"], keys[0], "a new call gets a new key");
});

test("PUT is idempotent and retried", async () => {
  server.reset((_, index) => (index === 0 ? { status: 500, headers: { "retry-after-ms": "1" } } : { json: item("1") }));
  await client().items.replace("1", { name: "new" });
  assert.equal(server.requests.length, 2);
  assert.equal(server.requests[1]?.method, "PUT");
});

test("connection errors are retried, then raise APIConnectionError", async () => {
  let calls = 0;
  const failing = new Client({
    baseUrl: "http://127.0.0.1:9/v1",
    fetch: (url, init) => {
      calls += 1;
      return fetch(url, init);
    },
    maxRetries: 1,
  });
  const error = await failing.items.get("1").catch((e: unknown) => e);
  assert.ok(error instanceof APIConnectionError);
  assert.ok(!(error instanceof APITimeoutError));
  assert.equal(calls, 2);
});

test("a slow response raises APITimeoutError after timeoutMs, and timeouts are retried", async () => {
  server.reset(() => ({ json: item("1"), delayMs: 400 }));
  const started = Date.now();
  const error = await client({ timeoutMs: 50, maxRetries: 1 }).items.get("1").catch((e: unknown) => e);
  assert.ok(error instanceof APITimeoutError, String(error));
  assert.ok(error instanceof APIConnectionError);
  assert.equal(server.requests.length, 2);
  assert.ok(Date.now() - started < 2000);
  server.reset(() => ({ json: item("1"), delayMs: 300 }));
  await assert.rejects(client().items.get("1", { timeoutMs: 30, maxRetries: 0 }), APITimeoutError);
});

test("aborting through options.signal raises APIUserAbortError without retrying", async () => {
  server.reset(() => ({ json: item("1"), delayMs: 300 }));
  const controller = new AbortController();
  const call = client().items.get("1", { signal: controller.signal });
  setTimeout(() => controller.abort(), 30);
  await assert.rejects(call, APIUserAbortError);
  assert.equal(server.requests.length, 1);
});

// ------------------------------------------------------------------ requests

test("query parameters follow their style and explode settings; headers and cookies are sent", async () => {
  server.reset(() => ({ json: { count: 1 } }));
  await client().search.search({
    q: "a b&c",
    ids: [1, 2],
    csv: ["x", "y"],
    piped: ["p", "q"],
    spaced: ["s", "t"],
    filter: { color: "red", size: 3, tags: ["only"] },
    "X-Trace": "trace-1",
    session: "s1",
  });
  const request = server.requests[0];
  assert.ok(request);
  const query = request.url.split("?")[1] ?? "";
  assert.deepEqual(query.split("&"), [
    "q=a%20b%26c",
    "ids=1",
    "ids=2",
    "csv=x,y",
    "piped=p|q",
    "spaced=s%20t",
    "filter%5Bcolor%5D=red",
    "filter%5Bsize%5D=3",
    "filter%5Btags%5D%5B0%5D=only", // an array inside numbers its items: one item is still an array
  ]);
  assert.equal(request.headers["x-trace"], "trace-1");
  assert.equal(request.headers["cookie"], "session=s1");
});

test("a query parameter with allowReserved keeps reserved characters and percent-encoded triples", async () => {
  server.reset(() => ({ json: { count: 1 } }));
  await client().search.search({ q: "/a:b", path: "/a/b:c d,e%2F&f=g#h[i]+é%" });
  const query = server.requests[0]?.url.split("?")[1] ?? "";
  assert.deepEqual(query.split("&"), ["q=%2Fa%3Ab", "path=/a/b:c%20d,e%2F%26f%3Dg%23h%5Bi%5D%2B%C3%A9%25"]);
});

test("parameters declared with JSON content are sent as JSON text, ASCII only, in every location", async () => {
  server.reset(() => ({ json: { count: 1 } }));
  await client().search.search({
    q: "x",
    where: { name: "café", ids: [1, 2] },
    "X-Meta": { note: 'say "hi"' },
    prefs: ["a;b"],
  });
  const request = server.requests[0];
  assert.ok(request);
  const query = request.url.split("?")[1] ?? "";
  assert.deepEqual(query.split("&"), ["q=x", `where=${encodeURIComponent('{"name":"caf\\u00e9","ids":[1,2]}')}`]);
  assert.equal(request.headers["x-meta"], '{"note":"say \\"hi\\""}');
  assert.equal(request.headers["cookie"], `prefs=${encodeURIComponent('["a;b"]')}`);
  assert.equal(renderPath("/p/{f}", { f: { a: 1 } }, { f: { style: "json" } }), "/p/%7B%22a%22%3A1%7D");
});

test("path parameters are URL-encoded", async () => {
  server.reset(() => ({ json: item("a/b c") }));
  await client().items.get("a/b c?");
  assert.equal(server.requests[0]?.url, "/v1/items/a%2Fb%20c%3F");
});

test("path styles follow the specification's tables, as the Python runtime writes them", () => {
  const colors = ["blue", "black", "brown"];
  const rgb = { R: 100, G: 200, B: 150 };
  const cases: [string, boolean, unknown, string][] = [
    ["simple", false, "blue", "blue"],
    ["simple", false, colors, "blue,black,brown"],
    ["simple", false, rgb, "R,100,G,200,B,150"],
    ["simple", true, colors, "blue,black,brown"],
    ["simple", true, rgb, "R=100,G=200,B=150"],
    ["label", false, "blue", ".blue"],
    ["label", false, colors, ".blue,black,brown"],
    ["label", false, rgb, ".R,100,G,200,B,150"],
    ["label", true, colors, ".blue.black.brown"],
    ["label", true, rgb, ".R=100.G=200.B=150"],
    ["matrix", false, "blue", ";color=blue"],
    ["matrix", false, "", ";color"],
    ["matrix", false, colors, ";color=blue,black,brown"],
    ["matrix", false, rgb, ";color=R,100,G,200,B,150"],
    ["matrix", true, colors, ";color=blue;color=black;color=brown"],
    ["matrix", true, rgb, ";R=100;G=200;B=150"],
  ];
  for (const [style, explode, value, expected] of cases) {
    const got = renderPath("/p/{color}", { color: value }, { color: { style, explode } });
    assert.equal(got, `/p/${expected}`, `${style} explode=${String(explode)}`);
  }
  assert.equal(renderPath("/items/{ids}", { ids: ["x,y", 2] }), "/items/x%2Cy,2");
  assert.equal(renderPath("/items/{id}.json", { id: "" }), "/items/.json");
  assert.equal(renderPath("/items/{id}", { id: "..a" }), "/items/..a");
  assert.equal(headerValue(rgb), "R,100,G,200,B,150");
  assert.equal(headerValue(rgb, true), "R=100,G=200,B=150");
});

test("a path parameter that would empty a segment or make it . or .. throws before sending", async () => {
  server.reset(() => ({ json: item("1") }));
  for (const value of ["", ".", ".."]) {
    await assert.rejects(
      async () => client().items.get(value),
      (error: unknown) =>
        error instanceof APIError &&
        error.message.startsWith(`path parameter "item_id" needs `) &&
        error.message.endsWith(": the request would go to another path"),
    );
  }
  assert.equal(server.requests.length, 0);
});

test("a JSON body is built from the body fields; a non-object body is passed as `body`", async () => {
  server.reset(() => ({ status: 201, json: item("1") }));
  await client().items.create({ name: "n", color: "green", size: "small" });
  assert.equal(server.requests[0]?.headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ""), { name: "n", color: "green", size: "small" });
  server.reset(() => ({ json: ["a", "b"] }));
  assert.deepEqual(await client().items.setTags({ body: ["a", "b"] }), ["a", "b"]);
  assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ""), ["a", "b"]);
});

test("the body and query options add members and parameters the spec does not declare", async () => {
  server.reset(() => ({ status: 201, json: item("1") }));
  await client().items.create({ name: "n" }, { body: { colour: "red", name: "m" }, query: { trace: "on", skip: undefined } });
  assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ""), { name: "m", colour: "red" });
  assert.equal(server.requests[0]?.url.split("?")[1], "trace=on");
  server.reset(() => ({ status: 204 }));
  await client().uploads.addNote({ body: { text: "a b" } }, { body: { lang: "en" } });
  assert.equal(server.requests[0]?.body, "text=a+b&lang=en");
  server.reset(() => ({ status: 204 }));
  await client().items.delete("1", { body: { reason: "dup" } });
  assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ""), { reason: "dup" }, "a call without a body sends the option");
  await assert.rejects(client().items.get("1", { body: { probe: true } }), /cannot be sent with GET/);
  await assert.rejects(client().items.setTags({ body: ["a"] }, { body: { x: 1 } }), APIError);
  assert.equal(server.requests.length, 1, "neither call was sent");
});

test("an optional body is not sent when none of its fields is given", async () => {
  server.reset(() => ({ status: 204 }));
  await client().items.archive("7");
  assert.equal(server.requests[0]?.body, "");
  assert.equal(server.requests[0]?.headers["content-type"], undefined);
  server.reset(() => ({ status: 204 }));
  await client().items.archive("7", { reason: "done" });
  assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ""), { reason: "done" });
});

test("multipart uploads send files as parts with their file name, other fields as text, an array a part per item", async () => {
  server.reset(() => ({ status: 201, json: { size: 5 } }));
  const file = new Blob(["hello"], { type: "text/plain" });
  const named = Object.assign(file, { name: "greeting.txt" });
  await client().uploads.file({ file: named, title: "Hi", labels: ["a", "b"] });
  const request = server.requests[0];
  assert.ok(request);
  assert.match(request.headers["content-type"] ?? "", /^multipart\/form-data; boundary=/);
  assert.match(request.body, /name="file"; filename="greeting.txt"\r\nContent-Type: text\/plain\r\n\r\nhello\r\n/);
  assert.match(request.body, /name="title"\r\n\r\nHi\r\n/);
  assert.match(request.body, /name="labels"\r\n\r\na\r\n.*name="labels"\r\n\r\nb\r\n/s);
  server.reset(() => ({ status: 201, json: { size: 3 } }));
  await client().uploads.file({ file: new Uint8Array([1, 2, 3]) });
  assert.match(server.requests[0]?.body ?? "", /name="file"; filename="file"/);
});

test("a form body typed as fields or a string sends fields as a form, a string as it is", async () => {
  server.reset(() => ({ status: 204 }));
  await client().uploads.addNote({ body: { text: "a b" } });
  await client().uploads.addNote({ body: "text=c%20d" });
  const [fields, text] = server.requests;
  assert.equal(fields?.headers["content-type"], "application/x-www-form-urlencoded;charset=UTF-8");
  assert.equal(fields?.body, "text=a+b");
  assert.equal(text?.headers["content-type"], "application/x-www-form-urlencoded");
  assert.equal(text?.body, "text=c%20d");
});

test("form fields with a declared encoding style are serialised in it, as the Python SDK does", async () => {
  server.reset(() => ({ status: 204 }));
  await client().uploads.label({
    name: "a b",
    metadata: { order: "6735" },
    items: [{ price: "p1" }, { price: "p2" }],
    note: { city: "Oslo" },
  });
  assert.equal(
    server.requests[0]?.body,
    "name=a+b&metadata%5Border%5D=6735&items%5B0%5D%5Bprice%5D=p1&items%5B1%5D%5Bprice%5D=p2" +
      "&note=%7B%22city%22%3A%22Oslo%22%7D",
  );
});

test("default headers, per-call headers and null removing a header", async () => {
  server.reset(() => ({ json: item("1") }));
  await client({ defaultHeaders: { "X-App": "demo", "X-Gone": "1" } }).items.get("1", {
    headers: { "X-Call": "yes", "X-Gone": null },
  });
  const headers = server.requests[0]?.headers ?? {};
  assert.equal(headers["x-app"], "demo");
  assert.equal(headers["x-call"], "yes");
  assert.equal(headers["x-gone"], undefined);
  assert.match(headers["user-agent"] ?? "", /^runtime-fixture\/2\.1\.0 /);
});

test("withOptions: a client with some options changed, the others kept, default headers added", async () => {
  server.reset(() => ({ json: item("1") }));
  const original = client({ defaultHeaders: { "X-App": "demo", "X-Gone": "1" }, maxRetries: 4, timeoutMs: 30_000 });
  const copy = original.withOptions({ maxRetries: 0, defaultHeaders: { "X-Trace": "t1", "X-Gone": null }, timeoutMs: undefined });
  assert.ok(copy instanceof Client && copy !== original);
  assert.equal(copy.maxRetries, 0);
  assert.equal(copy.timeoutMs, 30_000, "an option given as undefined keeps the original's value");
  assert.equal(copy.baseUrl, original.baseUrl);
  assert.equal(original.maxRetries, 4, "the original is left as it was");
  await copy.items.get("1");
  const headers = server.requests[0]?.headers ?? {};
  assert.equal(headers["authorization"], "Bearer tok", "credentials are kept");
  assert.equal(headers["x-app"], "demo");
  assert.equal(headers["x-trace"], "t1");
  assert.equal(headers["x-gone"], undefined, "null removes a default header of the original");
  await original.items.get("1");
  assert.equal(server.requests[1]?.headers["x-trace"], undefined);
  assert.equal(server.requests[1]?.headers["x-gone"], "1");
  await original.withOptions({ bearerToken: "other" }).items.get("1");
  assert.equal(server.requests[2]?.headers["authorization"], "Bearer other");
});

test("an injected fetch is used for every request", async () => {
  const seen: string[] = [];
  const custom = new Client({
    bearerToken: "t",
    fetch: async (url) => {
      seen.push(url);
      return new Response(JSON.stringify(item("7")), { status: 200, headers: { "content-type": "application/json" } });
    },
  });
  assert.deepEqual(await custom.items.get("7"), item("7"));
  assert.deepEqual(seen, ["http://127.0.0.1:9/v1/items/7"], "the spec's server is the default baseUrl");
});

// ------------------------------------------------------------------ authentication

test("security: bearer by default, basic and query keys per operation, none for public operations", async () => {
  server.reset(() => ({ json: {} }));
  await client().items.get("1");
  assert.equal(server.requests[0]?.headers["authorization"], "Bearer tok");

  server.reset(() => ({ json: {} }));
  await client({ username: "ana", password: "pässword" }).auth.withBasic();
  const expected = "Basic " + btoa(String.fromCharCode(...new TextEncoder().encode("ana:pässword")));
  assert.equal(server.requests[0]?.headers["authorization"], expected);

  server.reset(() => ({ json: {} }));
  await client({ vendorHmacSha256Credentials: "keyId=1, signature=abc" }).auth.withHmac();
  assert.equal(server.requests[0]?.headers["authorization"], "vendor-HMAC-SHA256 keyId=1, signature=abc");

  server.reset(() => ({ json: {} }));
  await client({ apiKey: "k&1" }).auth.withQueryKey();
  assert.equal(server.requests[0]?.query.get("api_key"), "k&1");
  assert.equal(server.requests[0]?.headers["authorization"], undefined, "only the first usable alternative");

  server.reset(() => ({ json: {} }));
  await client().auth.withQueryKey();
  assert.equal(server.requests[0]?.query.get("api_key"), null);
  assert.equal(server.requests[0]?.headers["authorization"], "Bearer tok", "falls back to the next alternative");

  server.reset(() => ({ json: {} }));
  await client().auth.publicInfo();
  assert.equal(server.requests[0]?.headers["authorization"], undefined);
});

// ------------------------------------------------------------------ pagination

test("cursor pagination: for await over every item, and page objects", async () => {
  server.reset((request) => {
    const cursor = request.query.get("cursor");
    if (cursor === null) return { json: { data: [item("1"), item("2")], next_cursor: "c2" } };
    if (cursor === "c2") return { json: { data: [item("3")], next_cursor: "c3" } };
    return { json: { data: [item("4")], next_cursor: null } };
  });
  const ids: string[] = [];
  for await (const found of client().items.list({ limit: 2 })) {
    ids.push(found.id);
  }
  assert.deepEqual(ids, ["1", "2", "3", "4"]);
  assert.deepEqual(
    server.requests.map((r) => r.url),
    ["/v1/items?limit=2", "/v1/items?cursor=c2&limit=2", "/v1/items?cursor=c3&limit=2"],
  );

  const first = await client().items.list();
  assert.ok(first instanceof Page);
  assert.deepEqual(first.items.map((i) => i.id), ["1", "2"]);
  assert.equal(first.body.next_cursor, "c2");
  assert.ok(first.hasNextPage());
  const second = await first.nextPage();
  assert.deepEqual(second.items.map((i) => i.id), ["3"]);
  const last = await (await second.nextPage()).nextPage().catch(() => undefined);
  assert.equal(last, undefined, "no page after the last one");
  const { data, response } = await client().items.list().withResponse();
  assert.equal(data.items.length, 2);
  assert.equal(response.status, 200);
});

test("offset pagination advances offset by the items received and stops on a short page", async () => {
  const all = ["1", "2", "3", "4", "5"].map(item);
  server.reset((request) => {
    const offset = Number(request.query.get("offset") ?? 0);
    const limit = Number(request.query.get("limit") ?? 10);
    return { json: { data: all.slice(offset, offset + limit) } };
  });
  const ids: string[] = [];
  for await (const found of client().pages.listByOffset({ limit: 2 })) {
    ids.push(found.id);
  }
  assert.deepEqual(ids, ["1", "2", "3", "4", "5"]);
  assert.deepEqual(
    server.requests.map((r) => r.query.get("offset")),
    [null, "2", "4"],
  );
});

test("pagination after the last item's id stops when has_more is false", async () => {
  const all = ["1", "2", "3", "4", "5"].map(item);
  server.reset((request) => {
    const after = request.query.get("starting_after");
    const start = after === null ? 0 : all.findIndex((found) => found.id === after) + 1;
    const data = all.slice(start, start + Number(request.query.get("limit") ?? 10));
    return { json: { data, has_more: start + data.length < all.length } };
  });
  const ids: string[] = [];
  for await (const found of client().pages.listAfterItem({ limit: 2 })) {
    ids.push(found.id);
  }
  assert.deepEqual(ids, ["1", "2", "3", "4", "5"]);
  assert.deepEqual(
    server.requests.map((r) => r.query.get("starting_after")),
    [null, "2", "4"],
  );
});

test("page pagination increments the page number until an empty page", async () => {
  server.reset((request) => {
    const page = Number(request.query.get("page") ?? 1);
    return { json: { results: page <= 2 ? [item(`p${page}`)] : [] } };
  });
  const ids: string[] = [];
  for await (const found of client().pages.listBy()) {
    ids.push(found.id);
  }
  assert.deepEqual(ids, ["p1", "p2"]);
  assert.deepEqual(
    server.requests.map((r) => r.query.get("page")),
    [null, "2", "3"],
  );
});

test("link pagination follows the Link header's next URL", async () => {
  server.reset((request) => {
    const page = request.query.get("page");
    if (page === null) {
      return {
        json: [item("1")],
        headers: { link: `<${server.baseUrl}/link-items?page=2&per_page=1>; rel="next", <x>; rel="last"` },
      };
    }
    return { json: [item("2")], headers: { link: `<${server.baseUrl}/link-items?page=1>; rel="prev"` } };
  });
  const ids: string[] = [];
  for await (const found of client().pages.listByLink({ per_page: 1 })) {
    ids.push(found.id);
  }
  assert.deepEqual(ids, ["1", "2"]);
  assert.deepEqual(
    server.requests.map((r) => r.url),
    ["/v1/link-items?per_page=1", "/v1/link-items?page=2&per_page=1"],
  );
  assert.equal(server.requests[1]?.headers["authorization"], "Bearer tok", "the next page is authenticated too");
});

test("cursor pagination with the items and the cursor nested in the body", async () => {
  server.reset((request) =>
    request.query.get("after") === null
      ? { json: { result: { entries: [item("1")], next: "n2" } } }
      : { json: { result: { entries: [item("2")], next: null } } },
  );
  const ids: string[] = [];
  for await (const found of client().pages.listNested()) {
    ids.push(found.id);
  }
  assert.deepEqual(ids, ["1", "2"]);
  assert.equal(server.requests[1]?.query.get("after"), "n2");
});

test("a client without a baseUrl where the spec has one uses the spec's; bad options are rejected", () => {
  assert.equal(new Client().baseUrl, "http://127.0.0.1:9/v1");
  assert.throws(() => new Client({ maxRetries: -1 }));
});

test("a fragment in the spec's path is not sent and the query follows the path", async () => {
  server.reset(() => ({ json: {} }));
  await client().auth.publicTerms({ lang: "en" });
  assert.equal(server.requests[0]?.url, "/v1/public?lang=en");
});

test("a GET whose spec gives it a body says fetch cannot send one (not a lost connection)", async () => {
  server.reset(() => ({ json: {} }));
  await client().auth.listReports();
  assert.equal(server.requests.length, 1);
  await assert.rejects(client().auth.listReports({ filter: "x" }), (error: unknown) => {
    assert.ok(error instanceof APIError && !(error instanceof APIConnectionError));
    assert.match(error.message, /fetch cannot send a request body with GET/);
    return true;
  });
  assert.equal(server.requests.length, 1);
  // a body that can only be `{}` (Stripe's GETs declare such a form) takes no argument and sends nothing
  await client().auth.listReportForms();
  assert.equal(server.requests.length, 2);
  assert.equal(server.requests[1]?.body, "");
});

test("headers that frame the request are left to fetch, whoever sets them", async () => {
  server.reset(() => ({ json: item("1") }));
  await client().items.create({ name: "x" }, { headers: { "Content-Length": "1", Connection: "close" } });
  assert.equal(server.requests[0]?.body, '{"name":"x"}');
  assert.equal(server.requests[0]?.headers["content-length"], "12");
});
