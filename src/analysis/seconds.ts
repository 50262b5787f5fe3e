import { ERROR_CLASSES, type SecondRecord } from "../loadgen/types.ts";
import { decodeHistogram, type Histogram, summariseLatency } from "./histograms.ts";
import type { SecondSummary } from "./types.ts";

/** A second with its histograms decoded once, so windows and phases can merge them cheaply. */
export interface DecodedSecond {
  record: SecondRecord;
  errorCount: number;
  responseTime: Histogram;
  serviceTime: Histogram;
  serverTime: Histogram | undefined;
}

export function errorCount(record: SecondRecord): number {
  let total = 0;
  for (const errorClass of ERROR_CLASSES) total += record.errors[errorClass] ?? 0;
  return total;
}

export function decodeSecond(record: SecondRecord): DecodedSecond {
  return {
    record,
    errorCount: errorCount(record),
    responseTime: decodeHistogram(record.responseTime),
    serviceTime: decodeHistogram(record.serviceTime),
    serverTime: record.serverTime === undefined ? undefined : decodeHistogram(record.serverTime),
  };
}

export function summariseSecond(second: DecodedSecond): SecondSummary {
  const { record } = second;
  return {
    second: record.second,
    phase: record.phase,
    targetRate: record.targetRate,
    offered: record.offered,
    sent: record.sent,
    ok: record.ok,
    completed: record.ok + second.errorCount,
    dropped: record.dropped,
    errors: { ...record.errors },
    errorCount: second.errorCount,
    throughput: record.throughput,
    inFlightMax: record.inFlightMax,
    lateShare: record.sent === 0 ? 0 : record.late / record.sent,
    responseTime: summariseLatency(second.responseTime),
    serviceTime: summariseLatency(second.serviceTime),
    generator: {
      eventLoopDelayP99Ms: record.generator.eventLoopDelayP99Us / 1000,
      eventLoopUtilization: record.generator.eventLoopUtilization,
    },
  };
}
