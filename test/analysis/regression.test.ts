import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareRuns, type MetricComparison, type MetricSamples } from "../../src/analysis/regression.ts";
import type { RegressionSpec } from "../../src/spec/types.ts";
import { createRandom } from "../../src/workload/random.ts";
import type { RandomSource } from "../../src/workload/types.ts";

const settings: RegressionSpec = { minRelative: 0.05, minLatencyMs: 1, minThroughput: 10, confidence: 0.95 };

/** Normal draws around `mean` with relative spread `cv`, from a seeded source. */
function normalSamples(random: RandomSource, count: number, mean: number, cv: number): number[] {
  return Array.from({ length: count }, () => {
    const u = 1 - random.nextDouble();
    const v = random.nextDouble();
    return mean * (1 + cv * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  });
}

function only(comparisons: MetricComparison[], metric: string): MetricComparison {
  const found = comparisons.find((c) => c.metric === metric);
  assert.ok(found, `no comparison for ${metric}`);
  return found;
}

describe("compareRuns", () => {
  test("flags a head that is consistently 20% slower as a regression", () => {
    const data = createRandom(1);
    const base = { p90Ms: normalSamples(data, 5, 40, 0.02) };
    const head = { p90Ms: normalSamples(data, 5, 48, 0.02) };
    const result = only(compareRuns(base, head, settings, { random: createRandom(7) }), "p90Ms");

    assert.equal(result.direction, "lower-is-better");
    assert.equal(result.intervalMethod, "bootstrap");
    assert.ok(result.interval[0] > 0, `interval ${result.interval}`);
    assert.ok(result.interval[0] <= result.delta && result.delta <= result.interval[1]);
    assert.ok(Math.abs(result.deltaRelative! - 0.2) < 0.05, `deltaRelative ${result.deltaRelative}`);
    assert.equal(result.significant, true);
    assert.equal(result.practical, true);
    assert.equal(result.verdict, "regression");
  });

  test("calls noise from one distribution unchanged, whatever the samples", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const data = createRandom(seed);
      const base = { p50Ms: normalSamples(data, 5, 20, 0.03), p99Ms: normalSamples(data, 5, 80, 0.03) };
      const head = { p50Ms: normalSamples(data, 5, 20, 0.03), p99Ms: normalSamples(data, 5, 80, 0.03) };
      for (const result of compareRuns(base, head, settings, { random: createRandom(seed) })) {
        assert.equal(
          result.verdict,
          "unchanged",
          `seed ${seed}, ${result.metric}: ${JSON.stringify(result)}`,
        );
      }
    }
  });

  test("keeps a significant change below the practical floor unchanged", () => {
    const base = { p90Ms: [40.0, 40.1, 39.9, 40.05, 39.95] };
    const head = { p90Ms: [40.5, 40.6, 40.4, 40.55, 40.45] };
    const result = only(compareRuns(base, head, settings, { random: createRandom(3) }), "p90Ms");

    assert.equal(result.significant, true);
    assert.equal(result.floor, 2, "5% of 40 ms beats the 1 ms floor");
    assert.equal(result.practical, false);
    assert.equal(result.verdict, "unchanged");
  });

  test("uses the absolute floor when it exceeds the relative one", () => {
    const base = { p50Ms: [2.0, 2.02, 1.98, 2.01, 1.99] };
    const head = { p50Ms: [2.6, 2.62, 2.58, 2.61, 2.59] };
    const result = only(compareRuns(base, head, settings, { random: createRandom(3) }), "p50Ms");
    assert.equal(result.floor, 1);
    assert.equal(result.significant, true);
    assert.equal(result.verdict, "unchanged", "30% of 2 ms is 0.6 ms, under the 1 ms floor");
  });

  test("treats lower throughput as the regression and higher as the improvement", () => {
    const data = createRandom(11);
    const base = { maxThroughput: normalSamples(data, 5, 1000, 0.02) };
    const slower = compareRuns(base, { maxThroughput: normalSamples(data, 5, 800, 0.02) }, settings);
    const faster = compareRuns(base, { maxThroughput: normalSamples(data, 5, 1200, 0.02) }, settings);

    assert.equal(only(slower, "maxThroughput").direction, "higher-is-better");
    assert.ok(only(slower, "maxThroughput").delta < 0);
    assert.equal(only(slower, "maxThroughput").verdict, "regression");
    assert.equal(only(faster, "maxThroughput").verdict, "improvement");
  });

  test("reports a latency drop as an improvement", () => {
    const data = createRandom(5);
    const base = { p99Ms: normalSamples(data, 7, 120, 0.03) };
    const head = { p99Ms: normalSamples(data, 7, 84, 0.03) };
    const result = only(compareRuns(base, head, settings), "p99Ms");
    assert.ok(result.interval[1] < 0);
    assert.equal(result.verdict, "improvement");
  });

  test("one repetition per side can never show a significant change: the noise is unknown", () => {
    const big = only(compareRuns({ p90Ms: [40] }, { p90Ms: [52] }, settings), "p90Ms");
    assert.equal(big.intervalMethod, "range");
    assert.deepEqual(big.interval, [12, 12]);
    assert.deepEqual(big.repetitions, { base: 1, head: 1 });
    assert.equal(big.practical, true);
    assert.equal(big.significant, false);
    assert.equal(big.verdict, "unchanged");
  });

  test("with two repetitions the interval spans every head-minus-base difference", () => {
    const overlapping = only(compareRuns({ p90Ms: [40, 60] }, { p90Ms: [45, 65] }, settings), "p90Ms");
    assert.equal(overlapping.intervalMethod, "range");
    assert.deepEqual(overlapping.interval, [-15, 25]);
    assert.equal(overlapping.practical, true);
    assert.equal(overlapping.significant, false);
    assert.equal(overlapping.verdict, "unchanged");

    const apart = only(compareRuns({ p90Ms: [40, 41] }, { p90Ms: [50, 52] }, settings), "p90Ms");
    assert.deepEqual(apart.interval, [9, 12]);
    assert.equal(apart.verdict, "regression");
  });

  test("gives the same answer for the same inputs", () => {
    const data = createRandom(9);
    const base: MetricSamples = { p90Ms: normalSamples(data, 5, 40, 0.1) };
    const head: MetricSamples = { p90Ms: normalSamples(data, 5, 43, 0.1) };
    assert.deepEqual(compareRuns(base, head, settings), compareRuns(base, head, settings));
    assert.deepEqual(
      compareRuns(base, head, settings, { random: createRandom(4) }),
      compareRuns(base, head, settings, { random: createRandom(4) }),
    );
  });

  test("compares only the metrics both sides have", () => {
    const result = compareRuns(
      { p90Ms: [1, 2, 3], p99Ms: [4, 5, 6] },
      { p90Ms: [1, 2, 3], maxThroughput: [9] },
      settings,
    );
    assert.deepEqual(
      result.map((c) => c.metric),
      ["p90Ms"],
    );
  });

  test("names the field and value of bad input", () => {
    assert.throws(
      () => compareRuns({ p90Ms: [] }, { p90Ms: [1] }, settings),
      /base\.p90Ms has no repetitions/,
    );
    assert.throws(
      () => compareRuns({ p90Ms: [1] }, { p90Ms: [1, Number.NaN] }, settings),
      /head\.p90Ms\[1\] is NaN/,
    );
    assert.throws(
      () => compareRuns({ errors: [1] }, { errors: [1] }, settings),
      /metric "errors" has no known direction/,
    );
    assert.throws(
      () => compareRuns({}, {}, { ...settings, confidence: 95 }),
      /regression\.confidence must be between 0 and 1 exclusive, e\.g\. 0\.95, got 95/,
    );
    assert.throws(
      () => compareRuns({}, {}, { ...settings, minRelative: -1 }),
      /regression\.minRelative must be/,
    );
    assert.throws(
      () => compareRuns({}, {}, settings, { resamples: 10 }),
      /resamples must be an integer of at least 100/,
    );
  });
});
