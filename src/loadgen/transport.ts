import { type Dispatcher, Pool } from "undici";
import {
  type ErrorClass,
  type Transport,
  TransportError,
  type TransportRequest,
  type TransportResponse,
} from "./types.ts";

export interface UndiciTransportOptions {
  connections: number;
  timeoutMs: number;
}

export interface UndiciTransport extends Transport {
  readonly connections: number;
  /** Opens `count` connections (all by default) before measuring, so no measured request pays a handshake. */
  warm(count?: number): Promise<void>;
}

/** Idle connections stay open across the quiet start of a ramp. */
const KEEP_ALIVE_MS = 120_000;

const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);

/**
 * An HTTP/1.1 transport on an undici Pool: keep-alive, no pipelining (one request per connection at a
 * time), a fixed number of connections, and undici's own deadlines on connecting, on the headers and on
 * each wait for the body: no timer or signal of its own per request. A body that trickles in slower than
 * the deadline per chunk can outlast it here; runLoad's own deadline still ends such a request as
 * `timeout` at requestTimeoutMs. Failures reject with a TransportError carrying their error class.
 */
export function createUndiciTransport(url: string, options: UndiciTransportOptions): UndiciTransport {
  const target = parseTarget(url);
  const { connections, timeoutMs } = options;
  if (!Number.isInteger(connections) || connections <= 0) {
    throw new Error(`connections must be a positive integer, got ${connections}`);
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  }
  const pool = new Pool(target.origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs },
  });

  const send = (request: TransportRequest, requestTimeoutMs: number) =>
    new Promise<TransportResponse>((resolve, reject) => {
      pool.dispatch(
        {
          method: request.method,
          path: target.prefix + request.path,
          headers: request.headers,
          body: request.body,
          headersTimeout: requestTimeoutMs,
          bodyTimeout: requestTimeoutMs,
        },
        new AnswerCollector(resolve, reject),
      );
    });

  const warm = async (count = connections) => {
    const opened = Math.min(Math.max(1, Math.floor(count)), connections);
    // Concurrent requests each need their own connection, since pipelining is off.
    await Promise.allSettled(
      Array.from({ length: opened }, async () => {
        const response = await pool.request({
          method: "GET",
          path: target.prefix || "/",
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        await response.body.dump();
      }),
    );
  };

  return {
    connections,
    send,
    warm,
    close: () => pool.destroy(),
  };
}

/**
 * Collects one answer straight from undici's dispatcher: no response stream, async resource or promise
 * chain per request, as `request()` builds, since the answer is read whole anyway.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  readonly #resolve: (response: TransportResponse) => void;
  readonly #reject: (error: TransportError) => void;
  #status = 0;
  #headers: TransportResponse["headers"] = {};
  readonly #chunks: Buffer[] = [];

  constructor(resolve: (response: TransportResponse) => void, reject: (error: TransportError) => void) {
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** undici requires it; the answer is all that is collected. */
  onRequestStart(): void {}

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: TransportResponse["headers"],
  ): void {
    // Interim answers (100 Continue, 103 Early Hints) precede the real one.
    if (statusCode < 200) return;
    this.#status = statusCode;
    this.#headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const body =
      this.#chunks.length === 1
        ? this.#chunks[0]!.toString("utf8")
        : Buffer.concat(this.#chunks).toString("utf8");
    this.#resolve({ status: this.#status, headers: this.#headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#reject(toTransportError(error));
  }
}

function parseTarget(url: string): { origin: string; prefix: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`url must be an absolute http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`url must be an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  return { origin: parsed.origin, prefix: parsed.pathname.replace(/\/+$/, "") };
}

function toTransportError(error: unknown): TransportError {
  const errorClass = classifyFailure(error);
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError(errorClass, `${errorClass}: ${message}`, { cause: error });
}

function classifyFailure(error: unknown): ErrorClass {
  if (error instanceof TransportError) return error.errorClass;
  for (const code of errorCodes(error)) {
    if (CONNECT_CODES.has(code)) return "connect";
    if (TIMEOUT_CODES.has(code)) return "timeout";
    if (RESET_CODES.has(code)) return "reset";
  }
  return "other";
}

/** The codes of an error and of its causes, outermost first (undici wraps socket errors). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    const nested = current instanceof AggregateError ? current.errors[0] : current.cause;
    current = nested;
  }
  return codes;
}
