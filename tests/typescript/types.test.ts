// The generated types, checked by the compiler: this file fails to compile when a rule is broken.
import assert from "node:assert/strict";
import { test } from "node:test";

import type { Client, ItemsCreateParams, models } from "../sdk/src/index.js";

// Compiled, never called: each line states one rule of the generated types.
function typeRules(got: models.Item): unknown[] {
  // Read-only fields are absent from request types, present (and readonly) in responses.
  const create: ItemsCreateParams = { name: "n" };
  // @ts-expect-error `id` is read-only: not part of the request
  const withId: ItemsCreateParams = { name: "n", id: "1" };
  const id: string = got.id;
  // @ts-expect-error read-only in responses too
  got.id = "2";

  // Open enums take unknown values; closed ones (x-sdkgen-open-enum: false) do not.
  const known: models.Color = "red";
  const unknownColor: models.Color = "ultraviolet";
  const size: models.Size = "small";
  // @ts-expect-error a closed enum rejects values the spec does not list
  const badSize: models.Size = "huge";

  // Nullable is `| null`, optional is `?`.
  const nullable: models.Item["note"] = null;
  // @ts-expect-error `name` is required
  const missingName: models.Item = { id: "1" };

  // Methods return typed promises; list methods are async iterables of the item type; 204 is void.
  type GetResult = Awaited<ReturnType<Client["items"]["get"]>>;
  const typed: GetResult = { id: "1", name: "x" };
  type Listed = ReturnType<Client["items"]["list"]> extends AsyncIterable<infer T> ? T : never;
  const listed: Listed = got;
  type Deleted = Awaited<ReturnType<Client["items"]["delete"]>>;
  const deleted: Deleted = undefined;
  // A call answered 200 with bytes or 202 with a job returns either.
  type Downloaded = Awaited<ReturnType<Client["uploads"]["download"]>>;
  const asBlob: Downloaded = new Blob([]);
  const asJob: Downloaded = { id: "job_1", state: "queued" };
  // @ts-expect-error neither a Blob nor a job
  const neither: Downloaded = "text";
  return [
    create, withId, id, known, unknownColor, size, badSize, nullable, missingName, typed, listed, deleted,
    asBlob, asJob, neither,
  ];
}

test("the generated types compile with the expected rules", () => {
  assert.equal(typeof typeRules, "function");
});
