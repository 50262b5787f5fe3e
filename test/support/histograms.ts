import * as hdr from "hdr-histogram-js";
import type { EncodedHistogram, SecondRecord } from "../../src/loadgen/types.ts";

type HistogramField = "sendLag" | "responseTime" | "serviceTime" | "serverTime";

/** Merges one histogram field over the given seconds (microseconds). */
export function mergeField(seconds: readonly SecondRecord[], field: HistogramField): hdr.Histogram {
  const merged = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const record of seconds) {
    const encoded: EncodedHistogram | undefined = record[field];
    if (encoded !== undefined) merged.add(hdr.decodeFromCompressedBase64(encoded));
  }
  return merged;
}

export function sum(seconds: readonly SecondRecord[], pick: (record: SecondRecord) => number): number {
  return seconds.reduce((total, record) => total + pick(record), 0);
}
