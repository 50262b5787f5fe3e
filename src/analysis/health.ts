import { formatMs, formatNumber, formatPercent } from "./format.ts";
import type { DecodedSecond } from "./seconds.ts";

/** Thresholds past which the load generator, not the model, limited the run. */
export const GENERATOR_LIMITS = {
  /** Share of sent requests more than 1 ms late while in flight stayed below the backpressure limit. */
  maxLateShare: 0.01,
  /**
   * A second counts as unhealthy at this event-loop delay p99, in microseconds. Utilisation is recorded
   * but judges nothing: the generator spins on setImmediate just before each send, so it reads high by design.
   */
  maxEventLoopDelayP99Us: 10_000,
  /** Share of measured seconds allowed to be unhealthy. */
  maxUnhealthySecondShare: 0.05,
} as const;

/**
 * In-flight requests at which the generator holds back: the second's target rate (the backpressure
 * counter of the load generator) or the connection count, whichever is smaller. Requests late while
 * in flight sat at this limit waited for the model, so they do not count against the generator.
 */
function backpressureLimit(second: DecodedSecond, connections: number): number {
  return Math.min(Math.ceil(second.record.targetRate), connections);
}

/** Why the generator, rather than the model, may have shaped the measured seconds; empty when healthy. */
export function generatorProblems(measured: readonly DecodedSecond[], connections: number): string[] {
  if (measured.length === 0) return [];
  const problems: string[] = [];
  let sent = 0;
  let lateUnpressured = 0;
  let delayed = 0;
  let worstDelayUs = 0;
  for (const second of measured) {
    const { record } = second;
    sent += record.sent;
    if (record.inFlightMax < backpressureLimit(second, connections)) lateUnpressured += record.late;
    if (record.generator.eventLoopDelayP99Us > GENERATOR_LIMITS.maxEventLoopDelayP99Us) delayed++;
    worstDelayUs = Math.max(worstDelayUs, record.generator.eventLoopDelayP99Us);
  }
  const lateShare = sent === 0 ? 0 : lateUnpressured / sent;
  if (lateShare > GENERATOR_LIMITS.maxLateShare) {
    problems.push(
      `${formatPercent(lateShare)} of sent requests (${formatNumber(lateUnpressured)} of ${formatNumber(sent)}) ` +
        `left more than 1 ms late while fewer requests were in flight than the backpressure limit ` +
        `(allowed: ${formatPercent(GENERATOR_LIMITS.maxLateShare)}): the load generator could not keep up.`,
    );
  }
  const allowedSeconds = GENERATOR_LIMITS.maxUnhealthySecondShare * measured.length;
  if (delayed > allowedSeconds) {
    problems.push(
      `The load generator's event-loop delay p99 exceeded ${formatMs(GENERATOR_LIMITS.maxEventLoopDelayP99Us / 1000)} ` +
        `in ${delayed} of ${measured.length} measured seconds (worst ${formatMs(worstDelayUs / 1000)}): ` +
        `send and receive times are unreliable.`,
    );
  }
  return problems;
}
