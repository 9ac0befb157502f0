// Runs the wrapper's session scenario against both vendors' fetch mocks; prints the results as JSON.
import { createProvider, ProviderNotFoundError } from "./wrapper/ts/src/index.js";
import { createMock as vidiMock } from "./vidiconnect_mock/ts/mock.js";
import { createMock as bridgeMock } from "./callbridge_mock/ts/mock.js";

const results: Record<string, unknown> = {};
const vidi = vidiMock();
const bridge = bridgeMock();
const providers = {
  vidiconnect: createProvider("vidiconnect", { baseUrl: vidi.baseUrl, bearerToken: "k", fetch: vidi.fetch, maxRetries: 0 }),
  callbridge: createProvider("callbridge", { baseUrl: bridge.baseUrl, username: "u", password: "p", fetch: bridge.fetch, maxRetries: 0 }),
};
for (const [name, provider] of Object.entries(providers)) {
  const session = await provider.createSession({ title: "t", duration_minutes: 30, host_phone: "+821012345678", guest_phone: "+821098765432" });
  const join = await provider.getJoinUrl({ session_id: session.session_id, participant: "guest" });
  const ended = await provider.endSession({ session_id: session.session_id });
  const usage = await provider.fetchUsage({ session_id: session.session_id });
  results[name] = { vendor: session.vendor, status: session.status, join: join.join_url.length > 0, ended: ended.status, minutes: usage.billable_minutes };
}
vidi.fail("getRoomUsage", { status: 404 });
try {
  await providers.vidiconnect.fetchUsage({ session_id: "rm_1" });
} catch (error) {
  results["notFound"] = error instanceof ProviderNotFoundError && error.status === 404;
}
results["maxDurationSeconds"] = (await vidi.calls("createRoom")[0].json()).maxDurationSeconds;
console.log(JSON.stringify(results));
