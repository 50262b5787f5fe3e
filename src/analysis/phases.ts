import { mergeHistograms, summariseLatency } from "./histograms.ts";
import type { DecodedSecond } from "./seconds.ts";
import type { PhaseName, PhaseSummary } from "./types.ts";

/** Totals and merged percentiles over a span of seconds; null for an empty span. */
export function summarisePhase(phase: PhaseName, seconds: readonly DecodedSecond[]): PhaseSummary | null {
  if (seconds.length === 0) return null;
  let offered = 0;
  let sent = 0;
  let ok = 0;
  let errorCount = 0;
  let dropped = 0;
  let late = 0;
  for (const { record, errorCount: errors } of seconds) {
    offered += record.offered;
    sent += record.sent;
    ok += record.ok;
    errorCount += errors;
    dropped += record.dropped;
    late += record.late;
  }
  const completed = ok + errorCount;
  const serverTimes = seconds.flatMap((second) => (second.serverTime ? [second.serverTime] : []));
  return {
    phase,
    seconds: seconds.length,
    offered,
    sent,
    ok,
    errorCount,
    completed,
    dropped,
    late,
    errorRate: completed === 0 ? 0 : errorCount / completed,
    achievedThroughput: ok / seconds.length,
    responseTime: summariseLatency(mergeHistograms(seconds.map((second) => second.responseTime))),
    serviceTime: summariseLatency(mergeHistograms(seconds.map((second) => second.serviceTime))),
    serverTime: summariseLatency(mergeHistograms(serverTimes)),
  };
}
