// A fetch mock of an API, answering every operation with a response valid against its spec (static runtime).
//
//   const mock = new APIMock(OPERATIONS, "https://api.example");
//   const client = new Client({ baseUrl: mock.baseUrl, fetch: mock.fetch });
//   mock.respond("getItem", { status: 200, json: {...} });   // override an operation
//   mock.fail("createItem", { status: 503, times: 2 });        // inject errors (or { error: new TypeError("network") })
//   mock.delay("listItems", 200);                              // latency in milliseconds
//   mock.calls("createItem");                                  // recorded Request objects

export interface MockOperation {
  operationId: string;
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: string | null;
}

export type MockHandler = (request: Request) => Response | Promise<Response>;

interface State {
  override?: MockHandler;
  failures: Array<Response | Error>;
  delayMs: number;
  calls: Request[];
}

function pattern(path: string, basePath: string): RegExp {
  const escaped = path
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp("^" + basePath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + escaped + "$");
}

export class APIMock {
  readonly baseUrl: string;
  private readonly routes: Array<{ op: MockOperation; regex: RegExp }>;
  private readonly state = new Map<string, State>();

  constructor(operations: readonly MockOperation[], baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    const basePath = new URL(this.baseUrl).pathname.replace(/\/+$/, "");
    this.routes = [...operations]
      .sort((a, b) => b.path.split("/").length - a.path.split("/").length)
      .map((op) => ({ op, regex: pattern(op.path, basePath) }));
    for (const op of operations) this.state.set(op.operationId, { failures: [], delayMs: 0, calls: [] });
  }

  /** A fetch function to inject into the SDK client. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const route = this.routes.find((r) => r.op.method === request.method.toUpperCase() && r.regex.test(url.pathname));
    if (route === undefined) throw new Error(`mock: no operation for ${request.method} ${request.url}`);
    const state = this.get(route.op.operationId);
    state.calls.push(request.clone());
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    const failure = state.failures.shift();
    if (failure instanceof Error) throw failure;
    if (failure !== undefined) return failure;
    if (state.override) return state.override(request);
    const headers = route.op.contentType ? { "content-type": route.op.contentType } : undefined;
    const noBody = route.op.body === null || route.op.status === 204;
    return new Response(noBody ? null : route.op.body, { status: route.op.status, headers });
  };

  respond(operationId: string, answer: { status?: number; json?: unknown; body?: string; headers?: Record<string, string> }): void {
    this.get(operationId).override = () => {
      const body = answer.body ?? (answer.json === undefined ? null : JSON.stringify(answer.json));
      const headers = { "content-type": "application/json", ...(answer.headers ?? {}) };
      return new Response(body, { status: answer.status ?? 200, headers });
    };
  }

  on(operationId: string, handler: MockHandler): void {
    this.get(operationId).override = handler;
  }

  fail(operationId: string, failure: { status?: number; times?: number; json?: unknown; headers?: Record<string, string>; error?: Error } = {}): void {
    const state = this.get(operationId);
    for (let i = 0; i < (failure.times ?? 1); i++) {
      if (failure.error) {
        state.failures.push(failure.error);
      } else {
        const status = failure.status ?? 500;
        const body = JSON.stringify(failure.json ?? { title: "Injected failure", status });
        state.failures.push(new Response(body, { status, headers: { "content-type": "application/json", ...(failure.headers ?? {}) } }));
      }
    }
  }

  delay(operationId: string, ms: number): void {
    this.get(operationId).delayMs = ms;
  }

  calls(operationId: string): Request[] {
    return [...this.get(operationId).calls];
  }

  private get(operationId: string): State {
    const state = this.state.get(operationId);
    if (state === undefined) throw new Error(`mock: no operation ${operationId}`);
    return state;
  }
}
