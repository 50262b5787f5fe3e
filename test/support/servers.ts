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
 * Answers after `delayMs` (0 by default), except that it stalls for `stallMs` every `stallEveryMs`
 * (`stalls` times at most, unlimited by default): answers due during a stall are held until it ends.
 * The first stall begins when prediction request number `stallFromRequest` (counted from 1) arrives, so a
 * client's plan, not the timing of its first request, fixes which requests a stall catches.
 */
export function startStallServer(options: {
  stallFromRequest: number;
  stallEveryMs: number;
  stallMs: number;
  delayMs?: number;
  stalls?: number;
}): Promise<TestServer> {
  const { stallFromRequest, stallEveryMs, stallMs, delayMs = 0, stalls = Number.POSITIVE_INFINITY } = options;
  if (!Number.isInteger(stallFromRequest) || stallFromRequest < 1) {
    throw new Error(`stallFromRequest must be a request number of 1 or more, got ${stallFromRequest}`);
  }
  if (!(stallMs > 0 && stallMs < stallEveryMs)) {
    throw new Error(
      `stallMs must be positive and shorter than stallEveryMs (${stallEveryMs}), got ${stallMs}`,
    );
  }
  let predictions = 0;
  let firstStallAt: number | undefined;
  const stallEndAfter = (at: number): number => {
    if (firstStallAt === undefined || at < firstStallAt) return at;
    const cycle = Math.floor((at - firstStallAt) / stallEveryMs);
    const stallStart = firstStallAt + cycle * stallEveryMs;
    return cycle < stalls && at < stallStart + stallMs ? stallStart + stallMs : at;
  };
  return startServer((_request, response, later) => {
    const now = performance.now();
    predictions++;
    if (predictions === stallFromRequest) firstStallAt = now;
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
