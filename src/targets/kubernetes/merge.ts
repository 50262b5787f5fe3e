import * as hdr from "hdr-histogram-js";
import type { EncodedHistogram, ErrorClass, RunMeasurement, SecondRecord } from "../../loadgen/types.ts";

/**
 * Merges the measurements of load generator pods that each sent a share of the load, second by
 * second. Counts and histograms add exactly; `inFlightMax` adds too (an upper bound on the
 * simultaneous peak); the generator health keeps the worst pod's figures.
 */
export function mergeMeasurements(parts: readonly RunMeasurement[]): RunMeasurement {
  const [first] = parts;
  if (first === undefined) throw new Error("mergeMeasurements needs at least one measurement");
  if (parts.length === 1) return first;
  const bySecond = new Map<number, SecondRecord[]>();
  for (const part of parts) {
    for (const record of part.seconds) {
      const list = bySecond.get(record.second) ?? [];
      list.push(record);
      bySecond.set(record.second, list);
    }
  }
  const seconds = [...bySecond.keys()].sort((a, b) => a - b).map((s) => mergeSecond(bySecond.get(s)!));
  const merged: RunMeasurement = {
    startedAt: parts.map((p) => p.startedAt).sort()[0]!,
    load: {
      ...first.load,
      targetRate: sum(parts, (p) => p.load.targetRate),
      warmupRate: sum(parts, (p) => p.load.warmupRate),
    },
    connections: sum(parts, (p) => p.connections),
    seconds,
  };
  const aborted = parts
    .map((p, index) => (p.aborted ? { ...p.aborted, index } : undefined))
    .filter((a) => a !== undefined)
    .sort((a, b) => a.atSecond - b.atSecond);
  if (aborted.length > 0) {
    merged.aborted = {
      reason: aborted.map((a) => `load generator ${a.index}: ${a.reason}`).join("; "),
      atSecond: aborted[0]!.atSecond,
    };
  }
  return merged;
}

function mergeSecond(records: readonly SecondRecord[]): SecondRecord {
  const first = records[0]!;
  const errors: Partial<Record<ErrorClass, number>> = {};
  for (const record of records) {
    for (const [errorClass, count] of Object.entries(record.errors) as [ErrorClass, number][]) {
      errors[errorClass] = (errors[errorClass] ?? 0) + count;
    }
  }
  const serverTimes = records.flatMap((r) => (r.serverTime === undefined ? [] : [r.serverTime]));
  const merged: SecondRecord = {
    second: first.second,
    phase: first.phase,
    targetRate: sum(records, (r) => r.targetRate),
    offered: sum(records, (r) => r.offered),
    sent: sum(records, (r) => r.sent),
    dropped: sum(records, (r) => r.dropped),
    late: sum(records, (r) => r.late),
    ok: sum(records, (r) => r.ok),
    errors,
    throughput: sum(records, (r) => r.throughput),
    inFlightMax: sum(records, (r) => r.inFlightMax),
    sendLag: addHistograms(records.map((r) => r.sendLag)),
    responseTime: addHistograms(records.map((r) => r.responseTime)),
    serviceTime: addHistograms(records.map((r) => r.serviceTime)),
    generator: {
      eventLoopDelayP99Us: Math.max(...records.map((r) => r.generator.eventLoopDelayP99Us)),
      eventLoopUtilization: Math.max(...records.map((r) => r.generator.eventLoopUtilization)),
    },
  };
  if (serverTimes.length > 0) merged.serverTime = addHistograms(serverTimes);
  return merged;
}

/** Adds encoded histograms exactly (same bucket structure: 3 significant digits). */
export function addHistograms(encoded: readonly EncodedHistogram[]): EncodedHistogram {
  const total = hdr.build({ numberOfSignificantValueDigits: 3, autoResize: true, bitBucketSize: 64 });
  for (const text of encoded) {
    const histogram = hdr.decodeFromCompressedBase64(text, 64);
    total.add(histogram);
    histogram.destroy();
  }
  const result = hdr.encodeIntoCompressedBase64(total);
  total.destroy();
  return result;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
