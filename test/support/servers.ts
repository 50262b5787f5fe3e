import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The etude protocol's answer: one list of recommended item ids per session. */
export const ETUDE_BODY = '{"items":[[1,2,3]]}';

export interface TestServer {
  /** Base URL on 127.0.0.1 with the port the system chose. */
  url: string;
  /** Requests received, warm-up requests included. */
  readonly requests: number;
  /** TCP connections accepted. */
  readonly connections: number;
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse, later: Later) => void;

/** Schedules work that `close()` cancels, so no test leaves a timer behind. */
type Later = (ms: number, work: () => void) => void;

async function startServer(handler: Handler): Promise<TestServer> {
  const timers = new Set<NodeJS.Timeout>();
  const later: Later = (ms, work) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };
  let requests = 0;
  let connections = 0;
  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    requests++;
    // Answer only once the whole request has arrived, as a model server would.
    request.resume();
    // GET requests (warm-up, health checks) are answered at once: only predictions are delayed or failed.
    request.on("end", () =>
      request.method === "GET" ? answer(response) : handler(request, response, later),
    );
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(response: ServerResponse, status = 200, body = ETUDE_BODY): void {
  if (response.destroyed) return;
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  response.end(body);
}

/** Answers every request after a fixed delay. */
export function startDelayServer(options: { delayMs: number }): Promise<TestServer> {
  return startServer((_request, response, later) => later(options.delayMs, () => answer(response)));
}

/**
 * Answers after `delayMs` (0 by default), except that every `stallEveryMs`, counted from the first request,
 * it stalls for `stallMs` (`stalls` times at most, unlimited by default): answers due during a stall are
 * held until the stall ends.
 */
export function startStallServer(options: {
  stallEveryMs: number;
  stallMs: number;
  delayMs?: number;
  stalls?: number;
}): Promise<TestServer> {
  const { stallEveryMs, stallMs, delayMs = 0, stalls = Number.POSITIVE_INFINITY } = options;
  let firstRequestAt: number | undefined;
  const stallEndAfter = (at: number): number => {
    const origin = firstRequestAt ?? at;
    const cycle = Math.floor((at - origin) / stallEveryMs);
    const stallStart = origin + cycle * stallEveryMs;
    const stalled = cycle >= 1 && cycle <= stalls && at < stallStart + stallMs;
    return stalled ? stallStart + stallMs : at;
  };
  return startServer((_request, response, later) => {
    const now = performance.now();
    firstRequestAt ??= now;
    const due = stallEndAfter(now + delayMs);
    later(due - now, () => answer(response));
  });
}

/** Answers at most `ratePerSecond` requests per second, one every 1/rate seconds, queueing the rest in order. */
export function startCappedServer(options: { ratePerSecond: number }): Promise<TestServer> {
  const intervalMs = 1000 / options.ratePerSecond;
  let nextFreeAt = 0;
  return startServer((_request, response, later) => {
    const now = performance.now();
    nextFreeAt = Math.max(now, nextFreeAt) + intervalMs;
    later(nextFreeAt - now, () => answer(response));
  });
}

export type ErrorMode = "500" | "404" | "reset" | "hang" | "invalid";

/**
 * Fails every request: `500` and `404` answer with that status, `reset` destroys the connection,
 * `hang` never answers, `invalid` answers 200 with a body that holds no item list.
 */
export function startErrorServer(options: { mode: ErrorMode }): Promise<TestServer> {
  return startServer((request, response) => {
    switch (options.mode) {
      case "500":
        answer(response, 500, '{"error":"internal"}');
        return;
      case "404":
        answer(response, 404, '{"error":"not found"}');
        return;
      case "reset":
        request.socket.destroy();
        return;
      case "hang":
        return;
      case "invalid":
        answer(response, 200, '{"recommendations":"none"}');
        return;
    }
  });
}
