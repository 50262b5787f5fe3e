import type { LoadSpec } from "../spec/types.ts";

/** Why a request did not produce a usable answer. */
export type ErrorClass = "connect" | "timeout" | "reset" | "http4xx" | "http5xx" | "invalid" | "other";

export const ERROR_CLASSES: readonly ErrorClass[] = [
  "connect",
  "timeout",
  "reset",
  "http4xx",
  "http5xx",
  "invalid",
  "other",
];

export type Phase = "warmup" | "ramp" | "hold";

/** An hdr-histogram-js histogram, compressed and base64-encoded (`encodeIntoCompressedBase64`). */
export type EncodedHistogram = string;

/**
 * What happened to the request slots whose intended send time fell in one second of the run.
 * Latencies are integer microseconds; histograms have 3 significant digits and merge exactly.
 */
export interface SecondRecord {
  /** Seconds since the start of the run, warm-up included. */
  second: number;
  phase: Phase;
  /** The plan's rate for this second, requests per second. */
  targetRate: number;
  /** Slots whose intended send time fell in this second. */
  offered: number;
  sent: number;
  /** Slots given up under backpressure: still unsent when their second was over. */
  dropped: number;
  /** Sent more than 1 ms after their intended time. */
  late: number;
  ok: number;
  errors: Partial<Record<ErrorClass, number>>;
  /** Successful answers that arrived during this wall-clock second (throughput by completion). */
  throughput: number;
  inFlightMax: number;
  /** Actual minus intended send time, microseconds. */
  sendLag: EncodedHistogram;
  /** From the intended send time to the answer: includes queueing in the generator (coordinated omission). */
  responseTime: EncodedHistogram;
  /** From the actual send to the answer. */
  serviceTime: EncodedHistogram;
  /** Server-reported time (etude `nf` block or Server-Timing), when the server reports it. */
  serverTime?: EncodedHistogram;
  /** The generator watching itself. */
  generator: { eventLoopDelayP99Us: number; eventLoopUtilization: number };
}

/** One run of the load generator against one target. */
export interface RunMeasurement {
  startedAt: string;
  load: LoadSpec;
  connections: number;
  seconds: SecondRecord[];
  /** Set when the run stopped before the plan's end; the seconds measured so far are kept. */
  aborted?: { reason: string; atSecond: number };
}

/** Monotonic time in milliseconds (fractional), and a way to wait; injected so tests control time. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (without error) when `signal` aborts, so a waiter can be woken. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface TransportRequest {
  method: "POST" | "PUT";
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request; rejects with a TransportError that carries its error class. */
export interface Transport {
  send(request: TransportRequest, timeoutMs: number): Promise<TransportResponse>;
  close(): Promise<void>;
}

export class TransportError extends Error {
  override name = "TransportError";
  readonly errorClass: ErrorClass;
  constructor(errorClass: ErrorClass, message: string, options?: ErrorOptions) {
    super(message, options);
    this.errorClass = errorClass;
  }
}
