import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createCountSampler } from "../../src/workload/distributions.ts";
import { fitDiscretePowerLaw } from "../../src/workload/fit.ts";
import { createRandom } from "../../src/workload/random.ts";

function powerLawSample(exponent: number, xmin: number, count: number, seed: number): number[] {
  const sampler = createCountSampler({ kind: "powerlaw", exponent, xmin });
  const random = createRandom(seed);
  return Array.from({ length: count }, () => sampler.sample(random));
}

describe("fitDiscretePowerLaw", () => {
  for (const exponent of [1.6, 1.868, 2.5, 3.2]) {
    it(`recovers exponent ${exponent} with a fixed x_min = 1 within 0.05`, () => {
      const fit = fitDiscretePowerLaw(powerLawSample(exponent, 1, 50_000, 31), { xmin: 1 });
      assert.ok(Math.abs(fit.exponent - exponent) < 0.05, `fitted ${fit.exponent}`);
      assert.equal(fit.nTail, 50_000);
      assert.ok(fit.ks < 0.02, `KS ${fit.ks}`);
      assert.ok(Math.abs(fit.standardError - (fit.exponent - 1) / Math.sqrt(50_000)) < 1e-12);
    });
  }

  it("finds x_min above a body that is no power law, and the tail's exponent within 0.05", () => {
    const random = createRandom(32);
    const body = Array.from({ length: 30_000 }, () => 1 + Math.floor(random.nextDouble() * 9));
    const tail = powerLawSample(2.5, 10, 20_000, 33);
    const fit = fitDiscretePowerLaw([...body, ...tail]);
    assert.ok(fit.xmin >= 10 && fit.xmin <= 15, `x_min ${fit.xmin}`);
    assert.ok(Math.abs(fit.exponent - 2.5) < 0.05, `fitted ${fit.exponent}`);
    assert.equal(fit.n, 50_000);
    const forced = fitDiscretePowerLaw([...body, ...tail], { xmin: 1 });
    assert.ok(forced.ks > fit.ks, "the whole range fits worse than the tail");
  });

  it("gives the same answer on every run and for any order of the values", () => {
    const values = powerLawSample(2.1, 1, 20_000, 34);
    const reversed = [...values].reverse();
    assert.deepEqual(fitDiscretePowerLaw(values), fitDiscretePowerLaw(reversed));
  });

  it("rejects values that are not positive integers and too little data, naming them", () => {
    assert.throws(() => fitDiscretePowerLaw([1, 2, 2.5]), /values\[2\] must be a positive integer, got 2\.5/);
    assert.throws(() => fitDiscretePowerLaw([3, 0]), /values\[1\] must be a positive integer, got 0/);
    assert.throws(
      () => fitDiscretePowerLaw([1, 2, 3]),
      /at least 50 values over at least two distinct values/,
    );
    assert.throws(
      () => fitDiscretePowerLaw([1, 2, 3], { xmin: 3 }),
      /xmin 3 leaves fewer than two distinct values/,
    );
    assert.throws(
      () => fitDiscretePowerLaw([1, 2, 3], { maxCandidates: 1 }),
      /maxCandidates must be an integer >= 2/,
    );
  });
});
