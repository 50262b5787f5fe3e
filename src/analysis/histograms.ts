import * as hdr from "hdr-histogram-js";
import type { EncodedHistogram } from "../loadgen/types.ts";
import type { Percentile } from "../spec/types.ts";
import type { LatencySummary } from "./types.ts";

export type Histogram = hdr.Histogram;

const MICROSECONDS_PER_MS = 1000;

const PERCENTILE_VALUES: Record<Percentile, number> = { p50: 50, p90: 90, p99: 99, "p99.9": 99.9 };

export function decodeHistogram(encoded: EncodedHistogram): Histogram {
  try {
    return hdr.decodeFromCompressedBase64(encoded);
  } catch (error) {
    const shown = encoded.length > 40 ? `${encoded.slice(0, 40)}…` : encoded;
    throw new Error(
      `histogram "${shown}" is not an hdr-histogram compressed base64 encoding (encodeIntoCompressedBase64)`,
      { cause: error },
    );
  }
}

function emptyHistogram(): Histogram {
  return hdr.build({ numberOfSignificantValueDigits: 3 });
}

/** Adds the counts of every histogram into one: the only sound way to get percentiles over many seconds. */
export function mergeHistograms(histograms: Iterable<Histogram>): Histogram {
  const merged = emptyHistogram();
  for (const histogram of histograms) merged.add(histogram);
  return merged;
}

/** Merges encoded histograms, skipping absent ones (a second without server timings). */
export function mergeEncoded(encoded: Iterable<EncodedHistogram | undefined>): Histogram {
  const merged = emptyHistogram();
  for (const item of encoded) if (item !== undefined) merged.add(decodeHistogram(item));
  return merged;
}

/** Value at a percentile of a microsecond histogram, in milliseconds. */
export function percentileMs(histogram: Histogram, percentile: Percentile): number {
  return histogram.getValueAtPercentile(PERCENTILE_VALUES[percentile]) / MICROSECONDS_PER_MS;
}

/** Percentiles in milliseconds of a microsecond histogram; null when it holds no value. */
export function summariseLatency(histogram: Histogram): LatencySummary | null {
  if (histogram.totalCount === 0) return null;
  return {
    count: histogram.totalCount,
    p50: percentileMs(histogram, "p50"),
    p90: percentileMs(histogram, "p90"),
    p99: percentileMs(histogram, "p99"),
    "p99.9": percentileMs(histogram, "p99.9"),
    max: histogram.maxValue / MICROSECONDS_PER_MS,
    mean: histogram.mean / MICROSECONDS_PER_MS,
  };
}
