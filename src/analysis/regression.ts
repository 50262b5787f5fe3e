/**
 * The regression verdict of a head run against its base: per metric, the difference of the medians
 * over repetitions, a bootstrap confidence interval of that difference, and a practical floor.
 * A change counts only when it is both statistically clear and large enough to matter.
 */
import type { RegressionSpec } from "../spec/types.ts";
import { createRandom } from "../workload/random.ts";
import type { RandomSource } from "../workload/types.ts";

/** One value per repetition for each metric, e.g. `{ p90Ms: [41.2, 40.8, 42.0], maxThroughput: [...] }`. */
export type MetricSamples = Record<string, readonly number[]>;

export type MetricDirection = "lower-is-better" | "higher-is-better";
export type RegressionVerdict = "regression" | "improvement" | "unchanged";

/**
 * How the interval was obtained. "bootstrap": percentile bootstrap of the difference of medians.
 * "range": fewer than MIN_BOOTSTRAP_REPETITIONS on a side, where resampling cannot estimate the
 * noise; the interval is then the range of all head-minus-base differences, which collapses to the
 * one difference with a single repetition each, so only the practical floor guards against noise.
 */
export type IntervalMethod = "bootstrap" | "range";

export interface MetricComparison {
  metric: string;
  direction: MetricDirection;
  /** Median over the base repetitions. */
  base: number;
  /** Median over the head repetitions. */
  head: number;
  /** head - base. */
  delta: number;
  /** delta / base; null when the base is zero. */
  deltaRelative: number | null;
  /** Confidence interval of `delta` at the configured level. */
  interval: [number, number];
  intervalMethod: IntervalMethod;
  repetitions: { base: number; head: number };
  /** The interval excludes zero. */
  significant: boolean;
  /** The smallest change that counts: max(minRelative * |base|, the metric's absolute floor). */
  floor: number;
  /** |delta| exceeds the floor. */
  practical: boolean;
  verdict: RegressionVerdict;
}

export interface CompareOptions {
  /** Source of the resampling; defaults to a fixed seed so equal inputs give equal verdicts. */
  random?: RandomSource;
  /** Bootstrap resamples per metric. */
  resamples?: number;
}

/**
 * Below this many repetitions on either side the bootstrap gives no usable interval. Even at three,
 * the percentile bootstrap of a median is optimistic (about 10% of equal-distribution pairs come out
 * significant at 95%, against 3-4% from five repetitions up), so the practical floor matters there too.
 */
export const MIN_BOOTSTRAP_REPETITIONS = 3;
const DEFAULT_RESAMPLES = 4000;
const DEFAULT_SEED = 0x45_54_55_44;

/**
 * Compares every metric present on both sides (metrics on one side only are left out).
 * Latency metrics end in `Ms` (lower is better, absolute floor `minLatencyMs`); throughput metrics
 * contain `throughput` (higher is better, absolute floor `minThroughput`).
 */
export function compareRuns(
  base: MetricSamples,
  head: MetricSamples,
  settings: RegressionSpec,
  options: CompareOptions = {},
): MetricComparison[] {
  validateSettings(settings);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 100) {
    throw new RangeError(`resamples must be an integer of at least 100, got ${resamples}`);
  }
  const random = options.random ?? createRandom(DEFAULT_SEED);

  const comparisons: MetricComparison[] = [];
  for (const [metric, headValues] of Object.entries(head)) {
    const baseValues = base[metric];
    if (baseValues === undefined) continue;
    const kind = metricKind(metric);
    const baseSorted = validSamples(baseValues, `base.${metric}`);
    const headSorted = validSamples(headValues, `head.${metric}`);

    const baseMedian = median(baseSorted);
    const headMedian = median(headSorted);
    const delta = headMedian - baseMedian;
    const small = Math.min(baseSorted.length, headSorted.length) < MIN_BOOTSTRAP_REPETITIONS;
    const interval = small
      ? differenceRange(baseSorted, headSorted)
      : bootstrapInterval(baseSorted, headSorted, settings.confidence, resamples, random);
    // One repetition gives one difference and no idea of the noise: it can never be significant.
    const single = Math.min(baseSorted.length, headSorted.length) === 1;
    const significant = !single && (interval[0] > 0 || interval[1] < 0);
    const absoluteFloor =
      kind.direction === "lower-is-better" ? settings.minLatencyMs : settings.minThroughput;
    const floor = Math.max(settings.minRelative * Math.abs(baseMedian), absoluteFloor);
    const practical = Math.abs(delta) > floor;
    const worse = kind.direction === "lower-is-better" ? delta > 0 : delta < 0;

    comparisons.push({
      metric,
      direction: kind.direction,
      base: baseMedian,
      head: headMedian,
      delta,
      deltaRelative: baseMedian === 0 ? null : delta / baseMedian,
      interval,
      intervalMethod: small ? "range" : "bootstrap",
      repetitions: { base: baseSorted.length, head: headSorted.length },
      significant,
      floor,
      practical,
      verdict: significant && practical ? (worse ? "regression" : "improvement") : "unchanged",
    });
  }
  return comparisons;
}

function metricKind(metric: string): { direction: MetricDirection } {
  if (metric.endsWith("Ms")) return { direction: "lower-is-better" };
  if (/throughput/i.test(metric)) return { direction: "higher-is-better" };
  throw new Error(
    `metric "${metric}" has no known direction: name latency metrics with an "Ms" suffix (e.g. "p90Ms") ` +
      `and throughput metrics with "throughput" (e.g. "maxThroughput")`,
  );
}

function validateSettings(settings: RegressionSpec): void {
  const check = (field: keyof RegressionSpec, ok: boolean, valid: string) => {
    if (!ok) throw new RangeError(`regression.${field} must be ${valid}, got ${settings[field]}`);
  };
  check("minRelative", settings.minRelative >= 0 && Number.isFinite(settings.minRelative), "a number >= 0");
  check(
    "minLatencyMs",
    settings.minLatencyMs >= 0 && Number.isFinite(settings.minLatencyMs),
    "a number >= 0",
  );
  check(
    "minThroughput",
    settings.minThroughput >= 0 && Number.isFinite(settings.minThroughput),
    "a number >= 0",
  );
  check(
    "confidence",
    settings.confidence > 0 && settings.confidence < 1,
    "between 0 and 1 exclusive, e.g. 0.95",
  );
}

function validSamples(values: readonly number[], field: string): number[] {
  if (values.length === 0) throw new Error(`${field} has no repetitions; pass at least one value`);
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new Error(`${field}[${bad}] is ${values[bad]}; every repetition needs a finite number`);
  return [...values].sort((a, b) => a - b);
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function differenceRange(base: readonly number[], head: readonly number[]): [number, number] {
  return [head[0]! - base[base.length - 1]!, head[head.length - 1]! - base[0]!];
}

/** Percentile bootstrap: resample each side with replacement, take the difference of the medians. */
function bootstrapInterval(
  base: readonly number[],
  head: readonly number[],
  confidence: number,
  resamples: number,
  random: RandomSource,
): [number, number] {
  const differences = new Float64Array(resamples);
  const baseDraw = new Float64Array(base.length);
  const headDraw = new Float64Array(head.length);
  for (let i = 0; i < resamples; i++) {
    differences[i] = resampledMedian(head, headDraw, random) - resampledMedian(base, baseDraw, random);
  }
  differences.sort();
  const tail = (1 - confidence) / 2;
  return [quantile(differences, tail), quantile(differences, 1 - tail)];
}

function resampledMedian(values: readonly number[], draw: Float64Array, random: RandomSource): number {
  for (let i = 0; i < draw.length; i++) draw[i] = values[Math.floor(random.nextDouble() * values.length)]!;
  draw.sort();
  const middle = draw.length >> 1;
  return draw.length % 2 === 1 ? draw[middle]! : (draw[middle - 1]! + draw[middle]!) / 2;
}

/** Linear interpolation between order statistics (type 7, as R and NumPy default to). */
function quantile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
