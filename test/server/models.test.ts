import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createReferenceModel,
  createSeededRandom,
  createSyntheticWeights,
  embeddingDimension,
  SyntheticModel,
  scoreOnce,
} from "../../src/server/index.ts";

function bruteForce(scores: Float64Array, k: number): number[] {
  return Array.from({ length: scores.length }, (_, id) => id)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

describe("embeddingDimension", () => {
  it("is the fourth root of C rounded up to a power of two", () => {
    const cases: [number, number][] = [
      [1, 1],
      [16, 2],
      [17, 4],
      [256, 4],
      [257, 8],
      [10_000, 16],
      [65_536, 16],
      [65_537, 32],
      [100_000, 32],
      [1_000_000, 32],
      [1_048_577, 64],
      [10_000_000, 64],
      [20_000_000, 128],
    ];
    for (const [catalogSize, dimension] of cases) {
      assert.equal(embeddingDimension(catalogSize), dimension, `C = ${catalogSize}`);
    }
  });

  it("refuses a catalog size that is not a positive integer", () => {
    assert.throws(() => embeddingDimension(0), /catalogSize is 0/);
    assert.throws(() => embeddingDimension(1.5), /catalogSize is 1.5/);
  });
});

describe("synthetic model", () => {
  const model = new SyntheticModel(createSyntheticWeights(1000, 7));

  it("has C x d embeddings with d from the catalog size", () => {
    assert.equal(model.dimension, 8);
    assert.equal(model.embeddings.length, 1000 * 8);
    assert.equal(model.topK, 21);
  });

  it("recommends exactly the top 21 of a full sort of all scores", () => {
    const random = createSeededRandom(3);
    for (let s = 0; s < 8; s++) {
      const length = 1 + (random.nextUint32() % 12);
      const session = Array.from({ length }, () => random.nextUint32() % 1000);
      assert.deepEqual(
        model.recommend(session),
        bruteForce(model.scoreAll(session), 21),
        `session ${session}`,
      );
    }
  });

  it("matches a full sort with tie-heavy embeddings", () => {
    const weights = createSyntheticWeights(1000, 8);
    // Two distinct rows only: every score is one of two values, so the id rule decides the order.
    for (let id = 0; id < 1000; id++) {
      weights.embeddings.copyWithin(
        id * weights.dimension,
        (id % 2) * weights.dimension,
        ((id % 2) + 1) * weights.dimension,
      );
    }
    const tied = new SyntheticModel(weights, 21);
    const session = [3, 4];
    assert.deepEqual(tied.recommend(session), bruteForce(tied.scoreAll(session), 21));
  });

  it("encodes different sessions into different vectors, order included", () => {
    const a = model.encodeSession([1, 2, 3]);
    const b = model.encodeSession([3, 2, 1]);
    assert.equal(a.length, 8);
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(model.recommend([1, 2, 3]), model.recommend([3, 2, 1]));
  });

  it("gives the same answers for the same seed and different ones for another", () => {
    const again = createReferenceModel({ model: "synthetic", catalogSize: 1000, seed: 7 });
    const other = createReferenceModel({ model: "synthetic", catalogSize: 1000, seed: 9 });
    assert.deepEqual(scoreOnce(again, [5, 6]), model.recommend([5, 6]));
    assert.notDeepEqual(scoreOnce(other, [5, 6]), model.recommend([5, 6]));
  });

  it("honours topK and small catalogs", () => {
    const small = createReferenceModel({ model: "synthetic", catalogSize: 5, topK: 21 });
    assert.deepEqual([...scoreOnce(small, [0])].sort(), [0, 1, 2, 3, 4]);
    const three = createReferenceModel({ model: "synthetic", catalogSize: 100, topK: 3 });
    assert.equal(scoreOnce(three, [0]).length, 3);
  });
});

describe("noop model and options", () => {
  it("answers the first topK ids whatever the session", () => {
    const noop = createReferenceModel({ model: "noop", catalogSize: 100, topK: 4 });
    assert.deepEqual(scoreOnce(noop, [9, 9]), [0, 1, 2, 3]);
    assert.deepEqual(scoreOnce(noop, [1]), [0, 1, 2, 3]);
  });

  it("refuses bad options, naming the field, the value and what is valid", () => {
    assert.throws(
      () => createReferenceModel({ model: "gru4rec" as "noop", catalogSize: 10 }),
      /model is "gru4rec", but it must be "noop" or "synthetic"/,
    );
    assert.throws(
      () => createReferenceModel({ model: "noop", catalogSize: -1 }),
      /catalogSize is -1, but it must be an integer in \[1, 2\^32\]/,
    );
    assert.throws(() => createReferenceModel({ model: "noop", catalogSize: 10, topK: 0 }), /topK is 0/);
    assert.throws(
      () => createReferenceModel({ model: "synthetic", catalogSize: 10, seed: -3 }),
      /seed is -3/,
    );
  });
});
