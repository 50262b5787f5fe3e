import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSeededRandom, selectTopK, TopK } from "../../src/server/index.ts";

/** Full sort by the documented rule: higher score first, equal scores by lower id. */
function bruteForce(scores: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: scores.length }, (_, id) => id)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

describe("top-k selection", () => {
  it("matches a full sort on distinct scores", () => {
    const random = createSeededRandom(1);
    for (const k of [1, 5, 21, 64]) {
      const scores = Float64Array.from({ length: 1000 }, () => random.nextDouble() * 2 - 1);
      assert.deepEqual(selectTopK(scores, k), bruteForce(scores, k));
    }
  });

  it("breaks ties by the lower id, also across the heap boundary", () => {
    const random = createSeededRandom(2);
    for (const levels of [1, 2, 3, 10]) {
      const scores = Float64Array.from({ length: 500 }, () => random.nextUint32() % levels);
      for (const k of [1, 7, 21, 499, 500]) {
        assert.deepEqual(selectTopK(scores, k), bruteForce(scores, k), `levels ${levels}, k ${k}`);
      }
    }
  });

  it("ranks ties by id whatever order the pairs arrive in", () => {
    const best = new TopK(3);
    for (const id of [9, 4, 7, 1, 8]) best.offer(id, 0.5);
    best.offer(3, 0.25);
    assert.deepEqual(best.ids(), [1, 4, 7]);
  });

  it("keeps every item when there are fewer than k", () => {
    assert.deepEqual(selectTopK([0.1, 0.3, 0.2], 21), [1, 2, 0]);
  });

  it("reports its floor once full and starts over after clear", () => {
    const best = new TopK(2);
    best.offer(0, 5);
    assert.equal(best.floor, Number.NEGATIVE_INFINITY);
    best.offer(1, 3);
    assert.equal(best.floor, 3);
    best.offer(2, 4);
    assert.equal(best.floor, 4);
    best.clear();
    assert.deepEqual(best.ids(), []);
    assert.equal(best.floor, Number.NEGATIVE_INFINITY);
  });

  it("refuses a k that is not a positive integer, naming it", () => {
    assert.throws(() => new TopK(0), /topK is 0, but it must be a positive integer/);
    assert.throws(() => new TopK(2.5), /topK is 2.5/);
  });
});
