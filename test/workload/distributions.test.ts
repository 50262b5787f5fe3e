import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CountDistribution } from "../../src/spec/types.ts";
import { createCountSampler } from "../../src/workload/distributions.ts";
import { createRandom } from "../../src/workload/random.ts";
import { hurwitzZeta } from "../../src/workload/zeta.ts";
import { chiSquare, chiSquareCritical, ksAgainst, ksCritical } from "./stats.ts";

const DRAWS = 200_000;

function lowest(values: Float64Array): number {
  return values.reduce((least, value) => Math.min(least, value), Number.POSITIVE_INFINITY);
}

function highest(values: Float64Array): number {
  return values.reduce((most, value) => Math.max(most, value), 0);
}

function draw(distribution: CountDistribution, seed: number, max?: number): Float64Array {
  const sampler = createCountSampler(distribution, max === undefined ? {} : { max });
  const random = createRandom(seed);
  const values = new Float64Array(DRAWS);
  for (let index = 0; index < DRAWS; index++) values[index] = sampler.sample(random);
  return values;
}

/** Exact P(X = x) of the discrete power law on [xmin, max], for x = xmin..last, plus P(X > last). */
function powerLawBins(exponent: number, xmin: number, last: number, max = Number.POSITIVE_INFINITY) {
  const beyondMax = Number.isFinite(max) ? hurwitzZeta(exponent, max + 1) : 0;
  const total = hurwitzZeta(exponent, xmin) - beyondMax;
  const probabilities: number[] = [];
  for (let x = xmin; x <= last; x++) probabilities.push(x ** -exponent / total);
  probabilities.push((hurwitzZeta(exponent, last + 1) - beyondMax) / total);
  return probabilities;
}

function histogram(values: Float64Array, xmin: number, last: number): number[] {
  const bins = new Array<number>(last - xmin + 2).fill(0);
  for (const value of values) bins[Math.min(value, last + 1) - xmin]!++;
  return bins;
}

function assertChiSquare(values: Float64Array, probabilities: number[], xmin: number, last: number): void {
  const { statistic, degrees } = chiSquare(histogram(values, xmin, last), probabilities, values.length);
  const critical = chiSquareCritical(degrees);
  assert.ok(
    statistic < critical,
    `chi-square ${statistic.toFixed(1)} >= ${critical.toFixed(1)} (${degrees} degrees)`,
  );
}

describe("discrete power law sampler", () => {
  it("follows the exact law, cut-over tail included (chi-square)", () => {
    const values = draw({ kind: "powerlaw", exponent: 2.2, xmin: 1 }, 11);
    assertChiSquare(values, powerLawBins(2.2, 1, 3000), 1, 3000);
  });

  it("follows the exact law from x_min > 1", () => {
    const values = draw({ kind: "powerlaw", exponent: 2.8, xmin: 5 }, 12);
    assert.equal(lowest(values), 5);
    assertChiSquare(values, powerLawBins(2.8, 5, 400), 5, 400);
  });

  it("matches the exact conditional CDF beyond the cut-over to the continuous approximation (KS)", () => {
    const exponent = 1.5;
    const start = 1024;
    const tail = draw({ kind: "powerlaw", exponent, xmin: 1 }, 13).filter((value) => value >= start);
    assert.ok(tail.length > 3000, `only ${tail.length} draws in the tail`);
    const normaliser = hurwitzZeta(exponent, start);
    const distance = ksAgainst(tail, (x) => (x < start ? 0 : 1 - hurwitzZeta(exponent, x + 1) / normaliser));
    assert.ok(distance < ksCritical(tail.length), `KS ${distance} over ${tail.length} draws`);
  });

  it("truncates by renormalising: no mass piles up on the maximum", () => {
    const values = draw({ kind: "powerlaw", exponent: 1.7, xmin: 2 }, 14, 50);
    assert.equal(highest(values), 50);
    const probabilities = powerLawBins(1.7, 2, 50, 50);
    assert.ok(probabilities[probabilities.length - 1]! < 1e-15);
    assertChiSquare(values, probabilities, 2, 50);
  });

  it("truncates beyond the cut-over, where the approximation applies, and honours the law's own max", () => {
    const max = 5000;
    const values = draw({ kind: "powerlaw", exponent: 1.3, xmin: 1, max }, 15);
    assert.ok(highest(values) <= max);
    assertChiSquare(values, powerLawBins(1.3, 1, max, max), 1, max);
  });

  it("reports the CDF it samples", () => {
    const sampler = createCountSampler({ kind: "powerlaw", exponent: 2, xmin: 1 }, { max: 10 });
    const total = hurwitzZeta(2, 1) - hurwitzZeta(2, 11);
    assert.ok(Math.abs(sampler.cdf(1) - 1 / total) < 1e-12);
    assert.equal(sampler.cdf(0), 0);
    assert.equal(sampler.cdf(10), 1);
  });

  it("rejects bad parameters, naming the field, the value and what is valid", () => {
    const law = (exponent: number, xmin: number): CountDistribution => ({ kind: "powerlaw", exponent, xmin });
    assert.throws(
      () => createCountSampler(law(1, 1), { name: "workload.itemPopularity" }),
      /workload\.itemPopularity\.exponent must be a number > 1, got 1/,
    );
    assert.throws(
      () => createCountSampler(law(2, 0), { name: "w" }),
      /w\.xmin must be an integer >= 1, got 0/,
    );
    assert.throws(
      () => createCountSampler(law(2, 8), { name: "w", max: 5, maxName: "workload.maxSessionLength" }),
      /w\.xmin must be <= the largest value allowed, workload\.maxSessionLength = 5, got 8/,
    );
  });
});

describe("power-function sampler", () => {
  const bolcomSessions: CountDistribution = { kind: "power-function", a: 0.07, loc: 2, scale: 277 };

  it("follows floor(loc + scale * U^(1/a)) (KS against its CDF)", () => {
    const values = draw(bolcomSessions, 21);
    const cdf = (x: number) => (x < 2 ? 0 : Math.min(1, ((x + 1 - 2) / 277) ** 0.07));
    const distance = ksAgainst(values, cdf);
    assert.ok(distance < ksCritical(values.length), `KS ${distance}`);
    assert.ok(lowest(values) >= 2 && highest(values) <= 278);
  });

  it("truncates by renormalising below the cap", () => {
    const values = draw(bolcomSessions, 22, 50);
    const kept = (49 / 277) ** 0.07;
    const cdf = (x: number) => (x < 2 ? 0 : Math.min(1, ((x - 1) / 277) ** 0.07 / kept));
    const distance = ksAgainst(values, cdf);
    assert.ok(distance < ksCritical(values.length), `KS ${distance}`);
    assert.equal(highest(values), 50);
    const atCap = values.filter((value) => value === 50).length / values.length;
    const expected = cdf(50) - cdf(49);
    assert.ok(Math.abs(atCap - expected) < 0.01, `share at the cap ${atCap}, expected ${expected}`);
  });

  it("rejects a shape <= 0 and a support starting below the lowest allowed value", () => {
    assert.throws(
      () => createCountSampler({ kind: "power-function", a: 0, loc: 1, scale: 3 }, { name: "s" }),
      /s\.a must be a number > 0, got 0/,
    );
    assert.throws(
      () =>
        createCountSampler({ kind: "power-function", a: 1, loc: 0.5, scale: 3 }, { name: "s", lowest: 1 }),
      /s\.loc must be a number >= 1, got 0\.5/,
    );
  });
});
