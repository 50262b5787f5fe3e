import type { LoadSpec } from "../spec/types.ts";

/** Latency assumed when sizing connections for a target whose latency is not known yet. */
export const DEFAULT_EXPECTED_LATENCY_MS = 50;

/** Spare capacity over the mean concurrency, so latency spikes do not queue requests in the client. */
const HEADROOM = 2;
const MINIMUM_SPARE = 2;

/**
 * Connections for an open-loop run, from Little's law: requests in flight L = λ · W, for arrival rate λ
 * (req/s) and latency W (s). With pipelining off each in-flight request holds a connection, so
 *
 *   connections = min(⌈λ⌉, ⌈2 · λ · W⌉ + 2), at least 1.
 *
 * Twice the mean concurrency absorbs latency spikes; no more than ⌈λ⌉ are useful because backpressure
 * never lets more than the second's target rate be in flight.
 */
export function autoConnections(targetRate: number, expectedLatencyMs: number): number {
  if (!Number.isFinite(targetRate) || targetRate <= 0) {
    throw new Error(`targetRate must be a positive number of requests per second, got ${targetRate}`);
  }
  if (!Number.isFinite(expectedLatencyMs) || expectedLatencyMs < 0) {
    throw new Error(`expectedLatencyMs must be a latency of 0 ms or more, got ${expectedLatencyMs}`);
  }
  const concurrency = (targetRate * expectedLatencyMs) / 1000;
  return Math.max(1, Math.min(Math.ceil(targetRate), Math.ceil(HEADROOM * concurrency) + MINIMUM_SPARE));
}

/** The connection count a spec asks for: its number, or the Little's-law size when it says "auto". */
export function resolveConnections(load: LoadSpec, expectedLatencyMs = DEFAULT_EXPECTED_LATENCY_MS): number {
  return load.connections === "auto" ? autoConnections(load.targetRate, expectedLatencyMs) : load.connections;
}
