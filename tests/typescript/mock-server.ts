// A tiny programmable HTTP server on 127.0.0.1 for the behaviour tests: each test sets the handler,
// the server records every request it receives.
import { createServer, type Server } from "node:http";

export interface Recorded {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: { [name: string]: string };
  body: string;
}

export interface Reply {
  status?: number;
  headers?: { [name: string]: string };
  json?: unknown;
  text?: string;
  /** Wait this long before answering (to trigger timeouts). */
  delayMs?: number;
}

export type Handler = (request: Recorded, index: number) => Reply;

export class MockServer {
  requests: Recorded[] = [];
  handler: Handler = () => ({ status: 200, json: {} });
  private server: Server | undefined;
  private port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  reset(handler: Handler): void {
    this.requests = [];
    this.handler = handler;
  }

  start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Uint8Array[] = [];
      request.on("data", (chunk) => chunks.push(chunk));
      request.on("end", () => {
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        const headers: { [name: string]: string } = {};
        for (const [name, value] of Object.entries(request.headers)) {
          headers[name] = Array.isArray(value) ? value.join(", ") : (value ?? "");
        }
        const size = chunks.reduce((total, chunk) => total + chunk.length, 0);
        const bytes = new Uint8Array(size);
        let offset = 0;
        for (const chunk of chunks) {
          bytes.set(chunk, offset);
          offset += chunk.length;
        }
        const recorded: Recorded = {
          method: request.method ?? "",
          url: request.url ?? "",
          path: url.pathname,
          query: url.searchParams,
          headers,
          body: new TextDecoder().decode(bytes),
        };
        this.requests.push(recorded);
        const reply = this.handler(recorded, this.requests.length - 1);
        const send = (): void => {
          const replyHeaders = { ...reply.headers };
          let body = reply.text ?? "";
          if (reply.json !== undefined) {
            body = JSON.stringify(reply.json);
            replyHeaders["content-type"] = "application/json";
          }
          response.writeHead(reply.status ?? 200, replyHeaders);
          response.end(body);
        };
        if (reply.delayMs) {
          setTimeout(send, reply.delayMs);
        } else {
          send();
        }
      });
    });
    return new Promise((resolve) => {
      this.server?.listen(0, "127.0.0.1", () => {
        const address = this.server?.address();
        this.port = typeof address === "object" && address !== null ? address.port : 0;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}
