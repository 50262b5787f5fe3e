import type { Phase, RunMeasurement } from "../loadgen/types.ts";
import { mergeHistograms, summariseLatency } from "./histograms.ts";
import { type DecodedSecond, decodeSecond } from "./seconds.ts";
import type { LatencySummary } from "./types.ts";

/** Consecutive seconds of one phase taken together, with percentiles of their merged histograms. */
export interface IntervalSummary {
  fromSecond: number;
  toSecond: number;
  phase: Phase;
  /** Per-second means over the interval. */
  targetRate: number;
  offeredRate: number;
  /** Successful answers of the interval's slots per second. */
  achievedRate: number;
  offered: number;
  ok: number;
  errorCount: number;
  dropped: number;
  late: number;
  sent: number;
  inFlightMax: number;
  responseTime: LatencySummary | null;
  serviceTime: LatencySummary | null;
}

function summariseInterval(seconds: readonly DecodedSecond[]): IntervalSummary {
  const first = seconds[0]!.record;
  const sum = (pick: (second: DecodedSecond) => number) => seconds.reduce((total, s) => total + pick(s), 0);
  const ok = sum((s) => s.record.ok);
  const offered = sum((s) => s.record.offered);
  return {
    fromSecond: first.second,
    toSecond: seconds[seconds.length - 1]!.record.second,
    phase: first.phase,
    targetRate: sum((s) => s.record.targetRate) / seconds.length,
    offeredRate: offered / seconds.length,
    achievedRate: ok / seconds.length,
    offered,
    ok,
    errorCount: sum((s) => s.errorCount),
    dropped: sum((s) => s.record.dropped),
    late: sum((s) => s.record.late),
    sent: sum((s) => s.record.sent),
    inFlightMax: Math.max(...seconds.map((s) => s.record.inFlightMax)),
    responseTime: summariseLatency(mergeHistograms(seconds.map((s) => s.responseTime))),
    serviceTime: summariseLatency(mergeHistograms(seconds.map((s) => s.serviceTime))),
  };
}

/**
 * The run in intervals of equal length, so that a long run fits a table or chart of about `maxIntervals`
 * rows without dropping seconds: every figure covers all its seconds. Intervals never straddle a phase
 * boundary, so there may be up to two more than asked for.
 */
export function summariseIntervals(run: RunMeasurement, maxIntervals: number): IntervalSummary[] {
  if (!Number.isInteger(maxIntervals) || maxIntervals < 1) {
    throw new Error(`summariseIntervals: maxIntervals is ${maxIntervals}; expected a positive integer`);
  }
  const seconds = run.seconds.map(decodeSecond).sort((a, b) => a.record.second - b.record.second);
  const length = Math.max(1, Math.ceil(seconds.length / maxIntervals));
  const intervals: IntervalSummary[] = [];
  let current: DecodedSecond[] = [];
  for (const second of seconds) {
    const phaseChanged = current.length > 0 && current[0]!.record.phase !== second.record.phase;
    if (phaseChanged || current.length === length) {
      intervals.push(summariseInterval(current));
      current = [];
    }
    current.push(second);
  }
  if (current.length > 0) intervals.push(summariseInterval(current));
  return intervals;
}
