import type { Constraints, Percentile } from "../spec/types.ts";
import { mergeHistograms, summariseLatency } from "./histograms.ts";
import type { DecodedSecond } from "./seconds.ts";
import type { MaxSustainableThroughput, SustainableWindow } from "./types.ts";

/** Above this share of dropped slots the model could not keep up, whatever the latency of the rest. */
export const MAX_DROPPED_SHARE = 0.01;

/** The window length in whole seconds, since the measurements come in seconds. */
export function windowSeconds(constraints: Constraints): number {
  return Math.max(1, Math.round(constraints.windowMs / 1000));
}

function isContiguous(window: readonly DecodedSecond[]): boolean {
  for (let i = 1; i < window.length; i++) {
    if (window[i]!.record.second !== window[i - 1]!.record.second + 1) return false;
  }
  return true;
}

/** A window's figures, and whether it met every latency budget, the error budget and the drop limit. */
function evaluateWindow(
  window: readonly DecodedSecond[],
  constraints: Constraints,
): { window: SustainableWindow; meetsBudgets: boolean } | null {
  let offered = 0;
  let ok = 0;
  let errors = 0;
  let dropped = 0;
  for (const { record, errorCount } of window) {
    offered += record.offered;
    ok += record.ok;
    errors += errorCount;
    dropped += record.dropped;
  }
  const responseTime = summariseLatency(mergeHistograms(window.map((second) => second.responseTime)));
  if (responseTime === null) return null;
  const completed = ok + errors;
  const latencyMet = Object.entries(constraints.latencyMs).every(
    ([percentile, budget]) => budget === undefined || responseTime[percentile as Percentile] <= budget,
  );
  const errorsMet = completed > 0 && errors / completed <= constraints.maxErrorRate;
  const dropsMet = offered > 0 && dropped / offered <= MAX_DROPPED_SHARE;
  return {
    window: {
      fromSecond: window[0]!.record.second,
      toSecond: window[window.length - 1]!.record.second,
      throughput: ok / window.length,
      offeredRate: offered / window.length,
      responseTime,
    },
    meetsBudgets: latencyMet && errorsMet && dropsMet,
  };
}

/**
 * The highest achieved throughput (successful answers of the window's slots per second) of any sliding
 * window of `constraints.windowMs` over the measured seconds that met every latency budget on its merged
 * response times, kept its error share within `maxErrorRate`, and dropped at most MAX_DROPPED_SHARE of
 * its offered slots.
 */
export function maxSustainableThroughput(
  measured: readonly DecodedSecond[],
  constraints: Constraints,
): MaxSustainableThroughput {
  const length = windowSeconds(constraints);
  let best: SustainableWindow | null = null;
  for (let start = 0; start + length <= measured.length; start++) {
    const window = measured.slice(start, start + length);
    if (!isContiguous(window)) continue;
    const evaluated = evaluateWindow(window, constraints);
    if (evaluated?.meetsBudgets && (best === null || evaluated.window.throughput > best.throughput)) {
      best = evaluated.window;
    }
  }
  return { throughput: best?.throughput ?? 0, windowSeconds: length, window: best };
}
