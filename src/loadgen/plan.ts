import type { LoadSpec } from "../spec/types.ts";
import type { Phase } from "./types.ts";

/**
 * The rate plan of a run: warm-up at a constant rate, a linear ramp from 0 to the target rate, then a hold.
 * Times are milliseconds since the start of the run, rates requests per second. Pure: no clock, no I/O.
 */
export interface RatePlan {
  readonly durationMs: number;
  /** Number of (possibly partial) seconds the plan spans. */
  readonly secondCount: number;
  /** Expected number of requests from the start of the run to `ms` (the integral of the rate). */
  cumulative(ms: number): number;
  /** The time at which the cumulative count reaches `count`; the inverse of `cumulative`. */
  timeOfCount(count: number): number;
  phaseAt(ms: number): Phase;
  /** Phase of a whole second: the phase at its start, so a second that begins in the warm-up stays excluded. */
  phaseOfSecond(second: number): Phase;
  /** Mean planned rate over the part of the second the plan covers. */
  targetRateOfSecond(second: number): number;
  /** Backpressure bound: a due slot waits while this many requests are in flight. */
  inFlightLimit(second: number): number;
}

const MS_PER_SECOND = 1000;

export function validateLoad(load: LoadSpec): void {
  requireNumber("load.targetRate", load.targetRate, (v) => v > 0, "a positive number of requests per second");
  requireNumber("load.rampUpMs", load.rampUpMs, (v) => v >= 0, "a duration of 0 ms or more");
  requireNumber("load.holdMs", load.holdMs, (v) => v >= 0, "a duration of 0 ms or more");
  requireNumber("load.warmupMs", load.warmupMs, (v) => v >= 0, "a duration of 0 ms or more");
  requireNumber("load.warmupRate", load.warmupRate, (v) => v >= 0, "0 or more requests per second");
  requireNumber("load.requestTimeoutMs", load.requestTimeoutMs, (v) => v > 0, "a positive duration in ms");
  if (load.rampUpMs + load.holdMs <= 0) {
    throw new Error(
      `load.rampUpMs + load.holdMs must be positive, got ${load.rampUpMs} + ${load.holdMs}: nothing would be measured`,
    );
  }
  if (load.arrival !== "uniform" && load.arrival !== "poisson") {
    throw new Error(`load.arrival must be "uniform" or "poisson", got ${JSON.stringify(load.arrival)}`);
  }
  const connections = load.connections;
  if (connections !== "auto" && !(Number.isInteger(connections) && connections > 0)) {
    throw new Error(
      `load.connections must be a positive integer or "auto", got ${JSON.stringify(connections)}`,
    );
  }
}

function requireNumber(field: string, value: number, valid: (v: number) => boolean, expected: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || !valid(value)) {
    const shown = typeof value === "number" ? String(value) : JSON.stringify(value);
    throw new Error(`${field} must be ${expected}, got ${shown}`);
  }
}

export function createRatePlan(load: LoadSpec): RatePlan {
  validateLoad(load);
  const { targetRate, rampUpMs, holdMs, warmupMs, warmupRate } = load;
  const rampStart = warmupMs;
  const holdStart = warmupMs + rampUpMs;
  const durationMs = holdStart + holdMs;
  const warmupCount = (warmupRate * warmupMs) / MS_PER_SECOND;
  const rampCount = (targetRate * rampUpMs) / (2 * MS_PER_SECOND);

  const cumulative = (ms: number): number => {
    const t = Math.min(Math.max(ms, 0), durationMs);
    if (t < rampStart) return (warmupRate * t) / MS_PER_SECOND;
    if (t < holdStart) {
      const elapsed = t - rampStart;
      return warmupCount + (targetRate * elapsed * elapsed) / (2 * MS_PER_SECOND * rampUpMs);
    }
    return warmupCount + rampCount + (targetRate * (t - holdStart)) / MS_PER_SECOND;
  };

  const timeOfCount = (count: number): number => {
    if (count < warmupCount) return (count * MS_PER_SECOND) / warmupRate;
    const afterWarmup = count - warmupCount;
    if (afterWarmup < rampCount) {
      return rampStart + Math.sqrt((2 * MS_PER_SECOND * rampUpMs * afterWarmup) / targetRate);
    }
    return holdStart + ((afterWarmup - rampCount) * MS_PER_SECOND) / targetRate;
  };

  const phaseAt = (ms: number): Phase => {
    if (ms < rampStart) return "warmup";
    if (ms < holdStart) return "ramp";
    return "hold";
  };

  const secondCount = Math.ceil(durationMs / MS_PER_SECOND);

  const targetRateOfSecond = (second: number): number => {
    const start = second * MS_PER_SECOND;
    const end = Math.min(start + MS_PER_SECOND, durationMs);
    if (end <= start) return 0;
    return ((cumulative(end) - cumulative(start)) * MS_PER_SECOND) / (end - start);
  };

  return {
    durationMs,
    secondCount,
    cumulative,
    timeOfCount,
    phaseAt,
    phaseOfSecond: (second) => phaseAt(second * MS_PER_SECOND),
    targetRateOfSecond,
    inFlightLimit: (second) => Math.max(1, Math.ceil(targetRateOfSecond(Math.min(second, secondCount - 1)))),
  };
}
