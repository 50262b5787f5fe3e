import type { Constraints } from "../spec/types.ts";
import { formatMs, formatPercent } from "./format.ts";
import { decodeHistogram, mergeHistograms } from "./histograms.ts";
import type { DecodedSecond } from "./seconds.ts";
import type { GeneratorSummary } from "./types.ts";

/** Thresholds past which the load generator, not the model, limited the run. */
export const GENERATOR_LIMITS = {
  /** Share of sent requests allowed to go out later than the lag tolerance, while not held back by backpressure. */
  maxLateShare: 0.01,
  /** Send lag every budget tolerates: this share of the tightest latency budget... */
  lagToleranceOfBudget: 0.05,
  /** ...and never less than this, in milliseconds (the reported `late` threshold). */
  minLagToleranceMs: 1,
  /**
   * A second counts as unhealthy at this event-loop delay p99, in microseconds. Utilisation is recorded
   * but judges nothing: the generator spins on setImmediate just before each send, so it reads high by design.
   */
  maxEventLoopDelayP99Us: 10_000,
  /** Share of measured seconds allowed to be unhealthy. */
  maxUnhealthySecondShare: 0.05,
} as const;

/**
 * How late a send may go out before the generator, not the model, shapes the result. Response time is
 * measured from the intended send time, so a late send only adds its lag to one response time: a lag of
 * 5% of the tightest budget cannot move a verdict, and 1 ms is the floor the generator is built to hold.
 */
export function lagToleranceMs(constraints: Constraints): number {
  const budgets = Object.values(constraints.latencyMs).filter((budget) => budget !== undefined);
  const tightest = budgets.length === 0 ? 0 : Math.min(...budgets);
  return Math.max(GENERATOR_LIMITS.minLagToleranceMs, GENERATOR_LIMITS.lagToleranceOfBudget * tightest);
}

/**
 * In-flight requests at which the generator holds back: the second's target rate (the backpressure
 * counter of the load generator) or the connection count, whichever is smaller. Requests late while
 * in flight sat at this limit waited for the model, so they do not count against the generator.
 */
function backpressureLimit(second: DecodedSecond, connections: number): number {
  return Math.min(Math.ceil(second.record.targetRate), connections);
}

/** The generator's schedule-keeping, and why it may have shaped the result (empty when healthy). */
export interface GeneratorHealth {
  summary: GeneratorSummary;
  problems: string[];
}

export function generatorHealth(
  measured: readonly DecodedSecond[],
  connections: number,
  toleranceMs: number,
): GeneratorHealth {
  const unpressured = measured.filter(
    (second) => second.record.inFlightMax < backpressureLimit(second, connections),
  );
  const lag = mergeHistograms(unpressured.map((second) => decodeHistogram(second.record.sendLag)));
  const quantile = 100 * (1 - GENERATOR_LIMITS.maxLateShare);
  const sendLagP99Ms = lag.totalCount === 0 ? 0 : lag.getValueAtPercentile(quantile) / 1000;
  let sent = 0;
  let late = 0;
  let delayed = 0;
  let worstDelayUs = 0;
  for (const { record } of measured) {
    sent += record.sent;
    late += record.late;
    if (record.generator.eventLoopDelayP99Us > GENERATOR_LIMITS.maxEventLoopDelayP99Us) delayed++;
    worstDelayUs = Math.max(worstDelayUs, record.generator.eventLoopDelayP99Us);
  }
  const problems: string[] = [];
  if (sendLagP99Ms > toleranceMs) {
    problems.push(
      `More than ${formatPercent(GENERATOR_LIMITS.maxLateShare)} of the requests sent while the model kept up ` +
        `went out over ${formatMs(toleranceMs)} late (p${quantile} send lag ${formatMs(sendLagP99Ms)}; ` +
        `allowed: ${formatMs(toleranceMs)}, 5% of the tightest latency budget and at least 1 ms): ` +
        `the load generator could not keep up.`,
    );
  }
  if (measured.length > 0 && delayed > GENERATOR_LIMITS.maxUnhealthySecondShare * measured.length) {
    problems.push(
      `The load generator's event-loop delay p99 exceeded ${formatMs(GENERATOR_LIMITS.maxEventLoopDelayP99Us / 1000)} ` +
        `in ${delayed} of ${measured.length} measured seconds (worst ${formatMs(worstDelayUs / 1000)}): ` +
        `send and receive times are unreliable.`,
    );
  }
  const summary: GeneratorSummary = {
    sendLagP99Ms,
    lagToleranceMs: toleranceMs,
    lateShare: sent === 0 ? 0 : late / sent,
    worstEventLoopDelayP99Ms: worstDelayUs / 1000,
  };
  return { summary, problems };
}
