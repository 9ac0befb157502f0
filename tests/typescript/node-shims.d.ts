// The few Node.js APIs the behaviour tests use, declared here so the tests need no @types/node.

declare module "node:test" {
  type Body = () => void | Promise<void>;
  export function test(name: string, body: Body): Promise<void>;
  export function before(body: Body): void;
  export function after(body: Body): void;
  export function beforeEach(body: Body): void;
}

declare module "node:assert/strict" {
  interface Assert {
    (value: unknown, message?: string): asserts value;
    ok(value: unknown, message?: string): asserts value;
    equal<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
    notEqual(actual: unknown, expected: unknown, message?: string): void;
    deepEqual<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
    match(value: string, pattern: RegExp, message?: string): void;
    doesNotMatch(value: string, pattern: RegExp, message?: string): void;
    rejects(promise: Promise<unknown> | (() => Promise<unknown>), error?: unknown, message?: string): Promise<void>;
    fail(message?: string): never;
    throws(body: () => unknown, error?: unknown, message?: string): void;
  }
  const assert: Assert;
  export default assert;
}

declare module "node:http" {
  interface IncomingMessage {
    method?: string;
    url?: string;
    headers: { [name: string]: string | string[] | undefined };
    on(event: "data", listener: (chunk: Uint8Array) => void): this;
    on(event: "end", listener: () => void): this;
  }
  interface ServerResponse {
    writeHead(status: number, headers?: { [name: string]: string }): this;
    end(body?: string | Uint8Array): void;
    destroy(): void;
    on(event: "close", listener: () => void): this;
  }
  interface Server {
    listen(port: number, host: string, callback: () => void): this;
    address(): { port: number } | string | null;
    close(callback?: () => void): this;
    closeAllConnections(): void;
  }
  export function createServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Server;
}
