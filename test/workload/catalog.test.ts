import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkloadSpec } from "../../src/spec/types.ts";
import { buildCatalog, catalogFromCounts, drawItemCounts } from "../../src/workload/catalog.ts";
import { createRandom } from "../../src/workload/random.ts";
import { chiSquare, chiSquareCritical } from "./stats.ts";

const workload: WorkloadSpec = {
  catalogSize: 2000,
  sessionLengths: { kind: "powerlaw", exponent: 2.4, xmin: 1 },
  itemPopularity: { kind: "powerlaw", exponent: 1.9, xmin: 1, max: 5000 },
  topK: 21,
  maxSessionLength: 50,
  seed: 5,
};

function frequencies(
  sample: (random: ReturnType<typeof createRandom>) => number,
  size: number,
  draws: number,
) {
  const random = createRandom(77);
  const observed = new Float64Array(size);
  for (let draw = 0; draw < draws; draw++) observed[sample(random)]!++;
  return observed;
}

function assertProportional(observed: Float64Array, counts: ArrayLike<number>, draws: number): void {
  let total = 0;
  for (let item = 0; item < counts.length; item++) total += counts[item]!;
  const probabilities = Array.from(counts, (count) => count / total);
  const { statistic, degrees } = chiSquare(observed, probabilities, draws);
  const critical = chiSquareCritical(degrees);
  assert.ok(
    statistic < critical,
    `chi-square ${statistic.toFixed(1)} >= ${critical.toFixed(1)} (${degrees} degrees)`,
  );
}

describe("catalog", () => {
  it("samples items in proportion to their click counts (chi-square)", () => {
    const counts = drawItemCounts(workload);
    const catalog = buildCatalog(workload);
    const draws = 400_000;
    assert.equal(catalog.size, workload.catalogSize);
    assert.equal(
      catalog.totalClicks,
      counts.reduce((sum, count) => sum + count, 0),
    );
    assertProportional(
      frequencies((random) => catalog.sampleItem(random), catalog.size, draws),
      counts,
      draws,
    );
  });

  it("draws the same counts for the same spec and different ones for another seed", () => {
    assert.deepEqual(drawItemCounts(workload), drawItemCounts(workload));
    assert.notDeepEqual(drawItemCounts(workload), drawItemCounts({ ...workload, seed: 6 }));
  });

  it("never samples an item without clicks, and handles one dominant item", () => {
    const counts = [0, 1000, 0, 1, 0, 3, 0];
    const catalog = catalogFromCounts(counts);
    const draws = 200_000;
    const observed = frequencies((random) => catalog.sampleItem(random), counts.length, draws);
    for (const [item, count] of counts.entries())
      if (count === 0) assert.equal(observed[item], 0, `item ${item}`);
    assertProportional(observed, counts, draws);
  });

  it("leaves the caller's counts untouched", () => {
    const counts = Float64Array.from([1, 2, 3]);
    catalogFromCounts(counts);
    assert.deepEqual(counts, Float64Array.from([1, 2, 3]));
  });

  it("rejects a bad catalog size or counts, naming them", () => {
    assert.throws(
      () => drawItemCounts({ ...workload, catalogSize: 0 }),
      /workload\.catalogSize must be an integer from 1 to 1073741824, got 0/,
    );
    assert.throws(() => catalogFromCounts([1, -2]), /counts\[1\] must be a finite number >= 0, got -2/);
    assert.throws(() => catalogFromCounts([0, 0]), /counts must hold at least one positive count/);
  });
});
