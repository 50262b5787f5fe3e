import type { CountDistribution, DiscretePowerLaw, PowerLawWithBody } from "../spec/types.ts";
import { createCountSampler } from "./distributions.ts";
import { fitDiscretePowerLaw, type PowerLawFit } from "./fit.ts";

/** A model of a count distribution as a spec distribution, with its distance from the data. */
export interface CandidateModel {
  distribution: CountDistribution;
  /** KS distance between the data's CDF and the model's over the whole range, body included. */
  ks: number;
}

export type ModelKind = "powerlaw" | "powerlaw-tail";

export interface CountModelFit {
  /** Maximum-likelihood power law over the whole range (x_min = 1). */
  wholeRange: PowerLawFit;
  /** Clauset's x_min (smallest KS distance) and the exponent fitted above it. */
  tail: PowerLawFit;
  /** The whole-range power law as a spec distribution. */
  powerLaw: CandidateModel;
  /** The empirical body below Clauset's x_min with the power-law tail; absent when x_min is 1. */
  powerLawTail?: CandidateModel;
  /** See chooseModel. */
  recommended: ModelKind;
}

export interface CountModelOptions {
  /** Truncation of both models' power laws, e.g. the largest count seen. Default: unbounded. */
  max?: number;
}

const EXPONENT_DECIMALS = 3;
/** Body probabilities keep at least this many significant digits. */
const MIN_BODY_DIGITS = 3;
/** Rounding the body may move the tail's mass 1 - sum(body) by at most this share of it. */
const TAIL_MASS_TOLERANCE = 0.02;
const MAX_DIGITS = 17;

function roundExponent(exponent: number): number {
  return Number(exponent.toFixed(EXPONENT_DECIMALS));
}

/**
 * P(x) for x = 1 .. xmin - 1, rounded to the fewest significant digits (at least three) that keep the
 * tail's mass within 2% of the data's: the tail is small and drives the top items' share of clicks.
 */
export function empiricalBody(values: ArrayLike<number>, xmin: number): number[] {
  const counts = new Float64Array(xmin - 1);
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (value < xmin) counts[value - 1]!++;
  }
  const exact = Array.from(counts, (count) => count / values.length);
  const tailMass = 1 - exact.reduce((sum, probability) => sum + probability, 0);
  for (let digits = MIN_BODY_DIGITS; ; digits++) {
    const rounded = exact.map((probability) => Number(probability.toPrecision(digits)));
    const roundedTail = 1 - rounded.reduce((sum, probability) => sum + probability, 0);
    if (digits === MAX_DIGITS || Math.abs(roundedTail - tailMass) <= TAIL_MASS_TOLERANCE * tailMass)
      return rounded;
  }
}

/**
 * KS distance between the empirical CDF of positive integers and a distribution's CDF. Both are steps
 * on the integers, and between observed values u < v the empirical one is flat while the model's
 * rises, so the supremum is at u or v - 1.
 */
export function distanceFromModel(values: ArrayLike<number>, distribution: CountDistribution): number {
  const sampler = createCountSampler(distribution);
  const sorted = Float64Array.from(values).sort();
  let distance = 0;
  let index = 0;
  while (index < sorted.length) {
    const value = sorted[index]!;
    distance = Math.max(distance, Math.abs(index / sorted.length - sampler.cdf(value - 1)));
    while (index < sorted.length && sorted[index] === value) index++;
    distance = Math.max(distance, Math.abs(index / sorted.length - sampler.cdf(value)));
  }
  return distance;
}

/**
 * The power-law tail over the empirical body is chosen when Clauset's x_min is above 1 and the
 * whole-range power law fits worse than the tail (larger KS distance): then the data follow a power law
 * only from x_min on, and the counts below it are better given as they are. Otherwise one power law
 * describes the whole range and is the simpler model.
 */
export function chooseModel(wholeRange: PowerLawFit, tail: PowerLawFit): ModelKind {
  return tail.xmin > 1 && wholeRange.ks > tail.ks ? "powerlaw-tail" : "powerlaw";
}

/** Fits both models of a count distribution (item popularity, session lengths) to positive integers. */
export function fitCountModel(values: ArrayLike<number>, options: CountModelOptions = {}): CountModelFit {
  const limit = options.max === undefined ? {} : { max: options.max };
  const wholeRange = fitDiscretePowerLaw(values, { xmin: 1 });
  const tail = fitDiscretePowerLaw(values);
  const powerLawDistribution: DiscretePowerLaw = {
    kind: "powerlaw",
    exponent: roundExponent(wholeRange.exponent),
    xmin: 1,
    ...limit,
  };
  const fit: CountModelFit = {
    wholeRange,
    tail,
    powerLaw: { distribution: powerLawDistribution, ks: distanceFromModel(values, powerLawDistribution) },
    recommended: chooseModel(wholeRange, tail),
  };
  if (tail.xmin > 1) {
    const withBody: PowerLawWithBody = {
      kind: "powerlaw-tail",
      body: empiricalBody(values, tail.xmin),
      tail: { exponent: roundExponent(tail.exponent), xmin: tail.xmin, ...limit },
    };
    fit.powerLawTail = { distribution: withBody, ks: distanceFromModel(values, withBody) };
  }
  return fit;
}

/** The distribution of the recommended model. */
export function recommendedDistribution(fit: CountModelFit): CountDistribution {
  return fit.recommended === "powerlaw-tail" ? fit.powerLawTail!.distribution : fit.powerLaw.distribution;
}
