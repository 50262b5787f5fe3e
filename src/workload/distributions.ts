import type { CountDistribution, DiscretePowerLaw, PowerFunction, PowerLawWithBody } from "../spec/types.ts";
import type { RandomSource } from "./types.ts";
import { hurwitzZeta } from "./zeta.ts";

/** Draws non-negative integers from a count distribution by inverse transform sampling. */
export interface CountSampler {
  sample(random: RandomSource): number;
  /** P(X <= x) of the distribution as sampled, truncation included. */
  cdf(x: number): number;
  /** Smallest and largest value the sampler can return. */
  readonly min: number;
  readonly max: number;
}

export interface CountSamplerOptions {
  /** Truncation: values above it are excluded and the rest renormalised (no mass piles on the cap). */
  max?: number;
  /** Smallest value the support may start at, e.g. 1 for session lengths. */
  lowest?: number;
  /** Field path used in error messages, e.g. "workload.sessionLengths". */
  name?: string;
  /** Field path of `max` in error messages, e.g. "workload.maxSessionLength". */
  maxName?: string;
}

/**
 * Past this point the sampler switches from the exact table to the continuous approximation of
 * Clauset, Shalizi and Newman (2009, Appendix D), applied to the tail above the cut-over: P(X >= x)
 * is approximated by ((x - 1/2) / (cut - 1/2))^(1 - α). Euler–Maclaurin shows its relative error is
 * about α / (24 x^2), below 1e-7 for x >= 1024; the mass of the tail itself is taken from the exact
 * Hurwitz zeta, so only the shape within the far tail is approximate.
 */
const EXACT_TABLE_END = 1024;
/** The table always holds at least this many exact values above x_min. */
const MIN_EXACT_VALUES = 64;
/** Untruncated draws are clamped here, so that a count stays an exact integer. */
const LARGEST_COUNT = Number.MAX_SAFE_INTEGER;

function fail(name: string, field: string, value: unknown, valid: string): never {
  throw new RangeError(`${name}.${field} must be ${valid}, got ${String(value)}`);
}

function checkMax(name: string, max: number | undefined): number {
  if (max === undefined) return Number.POSITIVE_INFINITY;
  if (!(Number.isSafeInteger(max) && max >= 0)) fail(name, "max", max, "a non-negative integer");
  return max;
}

function capName(name: string, lawMax: number | undefined, options: CountSamplerOptions): string {
  if (options.max === undefined || (lawMax !== undefined && lawMax <= options.max)) return `${name}.max`;
  return options.maxName ?? "max";
}

class DiscretePowerLawSampler implements CountSampler {
  readonly min: number;
  readonly max: number;
  private readonly exponent: number;
  /** cumulative[k] = P(X <= min + k) for the exact part of the support. */
  private readonly cumulative: Float64Array;
  private readonly tailStart: number;
  /** P(X < tailStart); the rest of the mass lies in the approximated tail. */
  private readonly exactMass: number;
  /** P(X >= max + 1 | X >= tailStart) before truncation, from the continuous approximation. */
  private readonly tailFloor: number;

  constructor(law: DiscretePowerLaw, options: CountSamplerOptions) {
    const name = options.name ?? "distribution";
    const { exponent, xmin } = law;
    if (!(Number.isFinite(exponent) && exponent > 1)) fail(name, "exponent", exponent, "a number > 1");
    const lowest = Math.max(1, options.lowest ?? 1);
    if (!(Number.isSafeInteger(xmin) && xmin >= lowest)) fail(name, "xmin", xmin, `an integer >= ${lowest}`);
    const max = Math.min(checkMax(name, law.max), checkMax(name, options.max));
    if (max < xmin)
      fail(name, "xmin", xmin, `<= the largest value allowed, ${capName(name, law.max, options)} = ${max}`);
    this.exponent = exponent;
    this.min = xmin;
    this.max = Number.isFinite(max) ? max : LARGEST_COUNT;

    this.tailStart = Math.min(Math.max(EXACT_TABLE_END, xmin + MIN_EXACT_VALUES), max + 1);
    const tableLength = this.tailStart - xmin;
    // ζ(α, x) for x from tailStart down to xmin, by adding terms: stable, unlike subtracting.
    const zetaFrom = new Float64Array(tableLength + 1);
    zetaFrom[tableLength] = hurwitzZeta(exponent, this.tailStart);
    for (let k = tableLength - 1; k >= 0; k--) zetaFrom[k] = zetaFrom[k + 1]! + (xmin + k) ** -exponent;
    const beyondMax = Number.isFinite(max) ? hurwitzZeta(exponent, max + 1) : 0;
    const total = zetaFrom[0]! - beyondMax;
    this.cumulative = new Float64Array(tableLength);
    for (let k = 0; k < tableLength; k++) this.cumulative[k] = (zetaFrom[0]! - zetaFrom[k + 1]!) / total;
    this.exactMass = tableLength > 0 ? this.cumulative[tableLength - 1]! : 0;
    this.tailFloor = Number.isFinite(max) && max >= this.tailStart ? this.tailSurvival(max + 1) : 0;
  }

  /** Continuous approximation of P(X >= x | X >= tailStart). */
  private tailSurvival(x: number): number {
    return ((x - 0.5) / (this.tailStart - 0.5)) ** (1 - this.exponent);
  }

  sample(random: RandomSource): number {
    return this.quantile(random.nextDouble());
  }

  /** The smallest x with P(X <= x) > u, for u in [0, 1). */
  quantile(u: number): number {
    if (u < this.exactMass) {
      const cumulative = this.cumulative;
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (cumulative[middle]! > u) high = middle;
        else low = middle + 1;
      }
      return this.min + low;
    }
    // Reusing u keeps the transform monotone; it still carries ample random bits here.
    const withinTail = (u - this.exactMass) / (1 - this.exactMass);
    const survival = 1 - withinTail * (1 - this.tailFloor);
    const x = Math.floor((this.tailStart - 0.5) * survival ** (-1 / (this.exponent - 1)) + 0.5);
    return Math.min(Math.max(x, this.tailStart), this.max);
  }

  cdf(x: number): number {
    const value = Math.floor(x);
    if (value < this.min) return 0;
    if (value >= this.max) return 1;
    if (value < this.tailStart) return this.cumulative[value - this.min]!;
    const withinTail = (1 - this.tailSurvival(value + 1)) / (1 - this.tailFloor);
    return this.exactMass + (1 - this.exactMass) * withinTail;
  }
}

class PowerFunctionSampler implements CountSampler {
  readonly min: number;
  readonly max: number;
  private readonly inverseA: number;
  private readonly a: number;
  private readonly loc: number;
  private readonly scale: number;
  /** Largest U^(1/a) quantile kept under truncation: ((max + 1 - loc) / scale)^a, at most 1. */
  private readonly keptMass: number;

  constructor(law: PowerFunction, options: CountSamplerOptions) {
    const name = options.name ?? "distribution";
    const { a, loc, scale } = law;
    if (!(Number.isFinite(a) && a > 0)) fail(name, "a", a, "a number > 0");
    if (!(Number.isFinite(scale) && scale > 0)) fail(name, "scale", scale, "a number > 0");
    const lowest = options.lowest ?? 0;
    if (!(Number.isFinite(loc) && Math.floor(loc) >= lowest)) fail(name, "loc", loc, `a number >= ${lowest}`);
    const max = checkMax(name, options.max);
    if (max < Math.floor(loc)) {
      fail(
        name,
        "loc",
        loc,
        `a number < ${max + 1}, one above ${capName(name, undefined, options)} = ${max}`,
      );
    }
    this.a = a;
    this.inverseA = 1 / a;
    this.loc = loc;
    this.scale = scale;
    this.min = Math.floor(loc);
    this.keptMass = Math.min(1, ((max + 1 - loc) / scale) ** a);
    this.max = Math.min(max, Math.ceil(loc + scale) - 1);
  }

  sample(random: RandomSource): number {
    const u = random.nextDouble() * this.keptMass;
    const x = Math.floor(this.loc + this.scale * u ** this.inverseA);
    return Math.min(x, this.max);
  }

  cdf(x: number): number {
    const value = Math.floor(x);
    if (value < this.min) return 0;
    if (value >= this.max) return 1;
    return Math.min(1, ((value + 1 - this.loc) / this.scale) ** this.a / this.keptMass);
  }
}

/**
 * The empirical body below x_min with the power-law tail above it, by exact inverse transform on one
 * uniform draw: a binary search over the body's cumulative table, else the tail sampler's quantile of
 * the draw rescaled into the tail. Truncation at `options.max` scales the draw down to the kept mass.
 */
class PowerLawWithBodySampler implements CountSampler {
  readonly min: number;
  readonly max: number;
  /** bodyCumulative[k] = P(X <= k + 1) of the untruncated model. */
  private readonly bodyCumulative: Float64Array;
  private readonly bodyMass: number;
  /** Tail over the tail law's own range; undefined when the truncation cuts it off entirely. */
  private readonly tail: DiscretePowerLawSampler | undefined;
  /** P(X <= max) of the untruncated model: draws are scaled into [0, keptMass). */
  private readonly keptMass: number;

  constructor(law: PowerLawWithBody, options: CountSamplerOptions) {
    const name = options.name ?? "distribution";
    const { body, tail } = law;
    if (!Array.isArray(body)) fail(name, "body", body, "a list of probabilities");
    const xmin = tail.xmin;
    if (!(Number.isSafeInteger(xmin) && xmin >= 1)) fail(`${name}.tail`, "xmin", xmin, "an integer >= 1");
    if (body.length !== xmin - 1) {
      fail(name, "body", `a list of ${body.length}`, `a list of xmin - 1 = ${xmin - 1} probabilities`);
    }
    const lowest = Math.max(1, options.lowest ?? 1);
    this.bodyCumulative = new Float64Array(body.length);
    let mass = 0;
    let first = 0;
    body.forEach((probability, index) => {
      if (!(Number.isFinite(probability) && probability >= 0)) {
        fail(name, `body[${index}]`, probability, "a probability >= 0");
      }
      if (probability > 0 && index + 1 < lowest) {
        fail(name, `body[${index}]`, probability, `0: values below ${lowest} are not allowed here`);
      }
      if (probability > 0 && first === 0) first = index + 1;
      mass += probability;
      this.bodyCumulative[index] = mass;
    });
    if (!(mass < 1)) fail(name, "body", `a list summing to ${mass}`, "a list summing to less than 1");
    this.bodyMass = mass;
    const cap = checkMax(name, options.max);
    const tailMass = 1 - mass;
    if (cap >= xmin) {
      this.tail = new DiscretePowerLawSampler({ kind: "powerlaw", ...tail }, { name: `${name}.tail` });
      this.keptMass = mass + tailMass * this.tail.cdf(cap);
      this.max = Math.min(this.tail.max, cap);
    } else {
      this.tail = undefined;
      this.keptMass = cap >= 1 ? this.bodyCumulative[cap - 1]! : 0;
      this.max = cap;
    }
    if (!(this.keptMass > 0)) {
      const probabilities = `[${body.slice(0, Math.max(0, cap)).join(", ")}]`;
      fail(name, "body", probabilities, `some mass at or below ${options.maxName ?? "max"} = ${cap}`);
    }
    this.min = first === 0 ? xmin : first;
  }

  sample(random: RandomSource): number {
    const u = random.nextDouble() * this.keptMass;
    if (u < this.bodyMass || this.tail === undefined) {
      const cumulative = this.bodyCumulative;
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (cumulative[middle]! > u) high = middle;
        else low = middle + 1;
      }
      return low + 1;
    }
    return Math.min(this.tail.quantile((u - this.bodyMass) / (1 - this.bodyMass)), this.max);
  }

  cdf(x: number): number {
    const value = Math.floor(x);
    if (value < this.min) return 0;
    if (value >= this.max) return 1;
    const untruncated =
      value < this.bodyCumulative.length + 1
        ? this.bodyCumulative[value - 1]!
        : this.bodyMass + (1 - this.bodyMass) * this.tail!.cdf(value);
    return untruncated / this.keptMass;
  }
}

/** A sampler for a spec's count distribution, optionally truncated at `options.max`. */
export function createCountSampler(
  distribution: CountDistribution,
  options: CountSamplerOptions = {},
): CountSampler {
  switch (distribution.kind) {
    case "powerlaw":
      return new DiscretePowerLawSampler(distribution, options);
    case "power-function":
      return new PowerFunctionSampler(distribution, options);
    case "powerlaw-tail":
      return new PowerLawWithBodySampler(distribution, options);
    default: {
      const kind: unknown = (distribution as { kind: unknown }).kind;
      throw new RangeError(
        `${options.name ?? "distribution"}.kind must be "powerlaw", "power-function" or "powerlaw-tail", got ${String(kind)}`,
      );
    }
  }
}
