import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PowerLawWithBody } from "../../src/spec/types.ts";
import { chooseModel, distanceFromModel, fitCountModel } from "../../src/workload/count-model.ts";
import { createCountSampler } from "../../src/workload/distributions.ts";
import { createRandom } from "../../src/workload/random.ts";
import { hurwitzZeta } from "../../src/workload/zeta.ts";
import { chiSquare, chiSquareCritical, ksAgainst, ksCritical } from "./stats.ts";

const DRAWS = 200_000;

const MODEL: PowerLawWithBody = {
  kind: "powerlaw-tail",
  body: [0.3, 0.05, 0.2, 0, 0.1],
  tail: { exponent: 2.5, xmin: 6 },
};

function draws(law: PowerLawWithBody, seed: number, count: number, max?: number): Float64Array {
  const sampler = createCountSampler(law, max === undefined ? {} : { max });
  const random = createRandom(seed);
  const values = new Float64Array(count);
  for (let index = 0; index < count; index++) values[index] = sampler.sample(random);
  return values;
}

/** Exact P(X = x) for x = 1..last and P(X > last), computed from the definition, not from the sampler. */
function exactBins(law: PowerLawWithBody, last: number, max = Number.POSITIVE_INFINITY): number[] {
  const { exponent, xmin } = law.tail;
  const tailMass = 1 - law.body.reduce((sum, p) => sum + p, 0);
  const tailNormaliser =
    hurwitzZeta(exponent, xmin) - (law.tail.max ? hurwitzZeta(exponent, law.tail.max + 1) : 0);
  const probability = (x: number) =>
    x < xmin ? law.body[x - 1]! : (tailMass * x ** -exponent) / tailNormaliser;
  const kept = (() => {
    if (!Number.isFinite(max)) return 1;
    let total = 0;
    for (let x = 1; x <= max; x++) total += probability(x);
    return total;
  })();
  const bins: number[] = [];
  let below = 0;
  for (let x = 1; x <= last; x++) {
    const p = x <= max ? probability(x) / kept : 0;
    bins.push(p);
    below += p;
  }
  bins.push(1 - below);
  return bins;
}

function histogram(values: Float64Array, last: number): number[] {
  const bins = new Array<number>(last + 1).fill(0);
  for (const value of values) bins[Math.min(value, last + 1) - 1]!++;
  return bins;
}

function assertFollows(values: Float64Array, probabilities: number[], last: number): void {
  const { statistic, degrees } = chiSquare(histogram(values, last), probabilities, values.length);
  const critical = chiSquareCritical(degrees);
  assert.ok(
    statistic < critical,
    `chi-square ${statistic.toFixed(1)} >= ${critical.toFixed(1)} (${degrees})`,
  );
}

describe("power-law tail over an empirical body: sampler", () => {
  it("follows the body below x_min and the power law above it (chi-square against the exact law)", () => {
    const values = draws(MODEL, 41, DRAWS);
    assertFollows(values, exactBins(MODEL, 2000), 2000);
    assert.equal(values.filter((value) => value === 4).length, 0, "a body entry of 0 is never drawn");
  });

  it("reports the CDF it samples, which matches the definition (KS)", () => {
    const sampler = createCountSampler(MODEL);
    assert.equal(sampler.min, 1);
    assert.equal(sampler.cdf(0), 0);
    assert.ok(Math.abs(sampler.cdf(3) - 0.55) < 1e-12);
    assert.ok(Math.abs(sampler.cdf(5) - 0.65) < 1e-12);
    const tailAt6 = (0.35 * 6 ** -2.5) / hurwitzZeta(2.5, 6);
    assert.ok(Math.abs(sampler.cdf(6) - (0.65 + tailAt6)) < 1e-12);
    const values = draws(MODEL, 42, DRAWS);
    const distance = ksAgainst(values, (x) => sampler.cdf(x));
    assert.ok(distance < ksCritical(values.length), `KS ${distance}`);
  });

  it("honours the tail's own max and a truncation, renormalising the whole model", () => {
    const bounded: PowerLawWithBody = { ...MODEL, tail: { ...MODEL.tail, max: 300 } };
    const values = draws(bounded, 43, DRAWS, 40);
    assert.ok(values.every((value) => value <= 40));
    assertFollows(values, exactBins(bounded, 40, 40), 40);
    const own = draws(bounded, 44, DRAWS);
    assert.ok(own.every((value) => value <= 300));
    assertFollows(own, exactBins(bounded, 300, 300), 300);
  });

  it("keeps only the body when the truncation is below x_min", () => {
    const values = draws(MODEL, 45, 50_000, 3);
    assertFollows(values, exactBins(MODEL, 3, 3), 3);
    const sampler = createCountSampler(MODEL, { max: 3 });
    assert.equal(sampler.max, 3);
    assert.ok(Math.abs(sampler.cdf(1) - 0.3 / 0.55) < 1e-12);
  });

  it("rejects bad parameters, naming the field, the value and what is valid", () => {
    const name = { name: "workload.itemPopularity" };
    assert.throws(
      () => createCountSampler({ ...MODEL, body: [0.5, 0.2] }, name),
      /workload\.itemPopularity\.body must be a list of xmin - 1 = 5 probabilities, got a list of 2/,
    );
    assert.throws(
      () => createCountSampler({ ...MODEL, body: [0.5, 0.2, 0.2, 0.05, 0.05] }, name),
      /workload\.itemPopularity\.body must be a list summing to less than 1, got a list summing to 1/,
    );
    assert.throws(
      () => createCountSampler({ ...MODEL, body: [0.5, -0.1, 0, 0, 0] }, name),
      /workload\.itemPopularity\.body\[1\] must be a probability >= 0, got -0\.1/,
    );
    assert.throws(
      () => createCountSampler({ ...MODEL, tail: { exponent: 1, xmin: 6 } }, name),
      /workload\.itemPopularity\.tail\.exponent must be a number > 1, got 1/,
    );
    assert.throws(
      () =>
        createCountSampler(
          { ...MODEL, body: [0, 0, 0, 0, 0.5] },
          { max: 3, maxName: "workload.maxSessionLength" },
        ),
      /distribution\.body must be some mass at or below workload\.maxSessionLength = 3, got \[0, 0, 0\]/,
    );
  });
});

describe("power-law tail over an empirical body: fit", () => {
  it("recovers a known body and the tail exponent within 0.05, and recommends this model", () => {
    const law: PowerLawWithBody = {
      kind: "powerlaw-tail",
      body: [0.35, 0.1, 0.15, 0.05, 0.05, 0.02, 0.03],
      tail: { exponent: 2.7, xmin: 8 },
    };
    const values = draws(law, 46, 200_000);
    const fit = fitCountModel(values);
    assert.equal(fit.tail.xmin, 8);
    assert.ok(Math.abs(fit.tail.exponent - 2.7) < 0.05, `fitted ${fit.tail.exponent}`);
    assert.equal(fit.recommended, "powerlaw-tail");
    const model = fit.powerLawTail!.distribution as PowerLawWithBody;
    law.body.forEach((p, index) => {
      assert.ok(Math.abs(model.body[index]! - p) < 0.005, `body[${index}] ${model.body[index]} vs ${p}`);
    });
    assert.ok(fit.powerLawTail!.ks < 0.01, `KS ${fit.powerLawTail!.ks}`);
    assert.ok(fit.powerLaw.ks > 5 * fit.powerLawTail!.ks, `power law KS ${fit.powerLaw.ks}`);
  });

  it("keeps the tail's mass within 2% when rounding the body", () => {
    const values = draws(MODEL, 47, 100_000);
    const fit = fitCountModel(values, { max: 10_000 });
    const model = fit.powerLawTail!.distribution as PowerLawWithBody;
    assert.equal(model.tail.max, 10_000);
    assert.equal(model.body.length, fit.tail.xmin - 1);
    const tailShare = values.filter((value) => value >= fit.tail.xmin).length / values.length;
    const modelTail = 1 - model.body.reduce((sum, p) => sum + p, 0);
    assert.ok(Math.abs(modelTail - tailShare) <= 0.02 * tailShare, `${modelTail} vs ${tailShare}`);
  });

  it("chooses the power law when Clauset's x_min is 1 or the whole range fits as well", () => {
    const fit = (xmin: number, ks: number) => ({
      exponent: 2,
      xmin,
      ks,
      n: 100,
      nTail: 100,
      standardError: 0.1,
    });
    assert.equal(chooseModel(fit(1, 0.05), fit(1, 0.05)), "powerlaw");
    assert.equal(chooseModel(fit(1, 0.02), fit(4, 0.02)), "powerlaw");
    assert.equal(chooseModel(fit(1, 0.09), fit(4, 0.02)), "powerlaw-tail");
  });

  it("measures the whole-range KS distance of a model", () => {
    const values = [1, 1, 2, 6];
    // Empirical CDF 0.5, 0.75, 0.75, ..., 1; the model's 0.3, 0.35, 0.55, 0.55, 0.65, then the tail.
    assert.ok(Math.abs(distanceFromModel(values, MODEL) - 0.4) < 1e-12);
  });
});
