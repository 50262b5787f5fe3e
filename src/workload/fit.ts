import { hurwitzZeta } from "./zeta.ts";

/** A discrete power law fitted by maximum likelihood (Clauset, Shalizi and Newman 2009). */
export interface PowerLawFit {
  exponent: number;
  xmin: number;
  /** Kolmogorov–Smirnov distance between the tail's empirical CDF and the fitted law. */
  ks: number;
  /** Number of values given. */
  n: number;
  /** Number of values >= xmin, the ones the exponent was fitted to. */
  nTail: number;
  /** Asymptotic standard error of the exponent, (α - 1) / sqrt(nTail). */
  standardError: number;
}

export interface FitOptions {
  /** Fix x_min instead of choosing the one that minimises the KS distance. */
  xmin?: number;
  /** Most x_min candidates tried; beyond it they are spread evenly in log scale. */
  maxCandidates?: number;
}

const DEFAULT_MAX_CANDIDATES = 100;
/** A candidate x_min needs this many values in its tail; smaller tails give noisy, too-small KS distances. */
const MIN_TAIL = 50;
const EXPONENT_LOWER = 1 + 1e-9;
const EXPONENT_UPPER = 50;
const EXPONENT_TOLERANCE = 1e-9;
/** Gaps between evaluation points longer than this are bridged with a fresh zeta, not term by term. */
const LONGEST_STEPPED_GAP = 32;
const INVERSE_GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Distinct sorted values with their multiplicities and suffix sums, so each tail costs O(1). */
interface Tails {
  values: Float64Array;
  /** count[j]: values >= values[j]. */
  count: Float64Array;
  /** logSum[j]: sum of ln(x) over values >= values[j]. */
  logSum: Float64Array;
}

function summarise(values: ArrayLike<number>): Tails {
  const sorted = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (!(Number.isSafeInteger(value) && value >= 1)) {
      throw new RangeError(`values[${index}] must be a positive integer, got ${value}`);
    }
    sorted[index] = value;
  }
  sorted.sort();
  const distinct: number[] = [];
  const multiplicity: number[] = [];
  for (const value of sorted) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === value)
      multiplicity[multiplicity.length - 1]!++;
    else {
      distinct.push(value);
      multiplicity.push(1);
    }
  }
  const size = distinct.length;
  const count = new Float64Array(size + 1);
  const logSum = new Float64Array(size + 1);
  for (let j = size - 1; j >= 0; j--) {
    count[j] = count[j + 1]! + multiplicity[j]!;
    logSum[j] = logSum[j + 1]! + multiplicity[j]! * Math.log(distinct[j]!);
  }
  return { values: Float64Array.from(distinct), count, logSum };
}

/** Maximises the concave log-likelihood -n ln ζ(α, xmin) - α Σ ln x by golden-section search. */
function maximumLikelihoodExponent(xmin: number, tailCount: number, tailLogSum: number): number {
  const logLikelihood = (exponent: number) =>
    -tailCount * Math.log(hurwitzZeta(exponent, xmin)) - exponent * tailLogSum;
  let low = EXPONENT_LOWER;
  let high = EXPONENT_UPPER;
  let left = high - INVERSE_GOLDEN * (high - low);
  let right = low + INVERSE_GOLDEN * (high - low);
  let leftValue = logLikelihood(left);
  let rightValue = logLikelihood(right);
  while (high - low > EXPONENT_TOLERANCE) {
    if (leftValue < rightValue) {
      low = left;
      left = right;
      leftValue = rightValue;
      right = low + INVERSE_GOLDEN * (high - low);
      rightValue = logLikelihood(right);
    } else {
      high = right;
      right = left;
      rightValue = leftValue;
      left = high - INVERSE_GOLDEN * (high - low);
      leftValue = logLikelihood(left);
    }
  }
  return (low + high) / 2;
}

/**
 * KS distance over the integers >= xmin. The empirical CDF is flat between observed values u < v while
 * the fitted one rises, so the supremum on [u, v - 1] is at one of its ends.
 */
function ksDistance(tails: Tails, first: number, xmin: number, exponent: number): number {
  const tailCount = tails.count[first]!;
  const normaliser = hurwitzZeta(exponent, xmin);
  let at = xmin;
  let zeta = normaliser;
  // ζ(α, x + 1) walking upwards; the fitted CDF at x is 1 - ζ(α, x + 1) / ζ(α, xmin).
  const fittedCdf = (x: number): number => {
    const target = x + 1;
    if (target - at > LONGEST_STEPPED_GAP) zeta = hurwitzZeta(exponent, target);
    else for (; at < target; at++) zeta -= at ** -exponent;
    at = target;
    return 1 - Math.max(0, zeta) / normaliser;
  };
  let distance = 0;
  let empirical = 0;
  let previous = xmin - 1;
  for (let j = first; j < tails.values.length; j++) {
    const value = tails.values[j]!;
    if (value - 1 > previous) distance = Math.max(distance, Math.abs(fittedCdf(value - 1) - empirical));
    empirical = 1 - tails.count[j + 1]! / tailCount;
    distance = Math.max(distance, Math.abs(fittedCdf(value) - empirical));
    previous = value;
  }
  return distance;
}

function candidateIndices(tails: Tails, maxCandidates: number): number[] {
  const eligible: number[] = [];
  // The last distinct value is never a candidate: a tail of one value has no exponent.
  for (let j = 0; j < tails.values.length - 1; j++) if (tails.count[j]! >= MIN_TAIL) eligible.push(j);
  if (eligible.length <= maxCandidates) return eligible;
  const lowest = Math.log(tails.values[eligible[0]!]!);
  const highest = Math.log(tails.values[eligible[eligible.length - 1]!]!);
  const chosen = new Set<number>();
  let cursor = 0;
  for (let step = 0; step < maxCandidates; step++) {
    const target = lowest + ((highest - lowest) * step) / (maxCandidates - 1);
    while (cursor < eligible.length - 1 && Math.log(tails.values[eligible[cursor]!]!) < target) cursor++;
    chosen.add(eligible[cursor]!);
  }
  return [...chosen];
}

function fitTail(tails: Tails, first: number, xmin: number, n: number): PowerLawFit {
  const nTail = tails.count[first]!;
  const exponent = maximumLikelihoodExponent(xmin, nTail, tails.logSum[first]!);
  const ks = ksDistance(tails, first, xmin, exponent);
  return { exponent, xmin, ks, n, nTail, standardError: (exponent - 1) / Math.sqrt(nTail) };
}

/**
 * Fits P(x) ∝ x^-α for x >= x_min to positive integers: the discrete maximum-likelihood exponent for each
 * candidate x_min, keeping the x_min whose fit has the smallest KS distance.
 */
export function fitDiscretePowerLaw(values: ArrayLike<number>, options: FitOptions = {}): PowerLawFit {
  const maxCandidates = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  if (!(Number.isSafeInteger(maxCandidates) && maxCandidates >= 2)) {
    throw new RangeError(`maxCandidates must be an integer >= 2, got ${maxCandidates}`);
  }
  const tails = summarise(values);
  const n = values.length;
  if (options.xmin !== undefined) {
    const xmin = options.xmin;
    if (!(Number.isSafeInteger(xmin) && xmin >= 1))
      throw new RangeError(`xmin must be a positive integer, got ${xmin}`);
    const first = tails.values.findIndex((value) => value >= xmin);
    if (first < 0 || first === tails.values.length - 1) {
      throw new RangeError(
        `xmin ${xmin} leaves fewer than two distinct values to fit; largest value is ${tails.values.at(-1)}`,
      );
    }
    return fitTail(tails, first, xmin, n);
  }
  const candidates = candidateIndices(tails, maxCandidates);
  if (candidates.length === 0) {
    throw new RangeError(
      `values must hold at least ${MIN_TAIL} values over at least two distinct values to fit a power law, got ${n} values and ${tails.values.length} distinct`,
    );
  }
  let best: PowerLawFit | undefined;
  for (const first of candidates) {
    const fit = fitTail(tails, first, tails.values[first]!, n);
    if (best === undefined || fit.ks < best.ks) best = fit;
  }
  return best!;
}
