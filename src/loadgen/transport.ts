import { Pool } from "undici";
import { type ErrorClass, type Transport, TransportError, type TransportRequest } from "./types.ts";

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
 * time), a fixed number of connections, and a deadline on connecting, on the headers and on the whole
 * request. Failures reject with a TransportError carrying their error class.
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

  const send = async (request: TransportRequest, requestTimeoutMs: number) => {
    try {
      const response = await pool.request({
        method: request.method,
        path: target.prefix + request.path,
        headers: request.headers,
        body: request.body,
        headersTimeout: requestTimeoutMs,
        bodyTimeout: requestTimeoutMs,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const body = await response.body.text();
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      throw toTransportError(error);
    }
  };

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
  if (error instanceof Error && error.name === "TimeoutError") return "timeout";
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
