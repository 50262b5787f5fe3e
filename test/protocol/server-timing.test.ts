import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseServerTiming } from "../../src/protocol/index.ts";

describe("parseServerTiming", () => {
  it("reads the phases and sums them into the total", () => {
    assert.deepEqual(parseServerTiming("pre;dur=0.5,inf;dur=12.25,post;dur=0.25"), {
      preMs: 0.5,
      infMs: 12.25,
      postMs: 0.25,
      totalMs: 13,
    });
  });

  it("understands the long phase names, case-insensitively", () => {
    assert.deepEqual(parseServerTiming("Preprocess;dur=1, INFERENCE;dur=2, postprocess;dur=3"), {
      preMs: 1,
      infMs: 2,
      postMs: 3,
      totalMs: 6,
    });
  });

  it("prefers a declared total and counts other metrics otherwise", () => {
    assert.deepEqual(parseServerTiming("inf;dur=2, total;dur=9"), { infMs: 2, totalMs: 9 });
    assert.deepEqual(parseServerTiming("db;dur=3, inf;dur=2, queue;dur=1"), { infMs: 2, totalMs: 6 });
  });

  it("keeps quoted descriptions whole and takes the first dur", () => {
    assert.deepEqual(parseServerTiming('inf;desc="a, b; c";dur=4;dur=99, cache;desc="hit"'), {
      infMs: 4,
      totalMs: 4,
    });
    assert.deepEqual(parseServerTiming('inf;dur="1.5"'), { infMs: 1.5, totalMs: 1.5 });
  });

  it("ignores metrics without a usable duration", () => {
    assert.equal(parseServerTiming(undefined), undefined);
    assert.equal(parseServerTiming(""), undefined);
    assert.equal(parseServerTiming("miss, inf;dur=abc, pre;dur=-1, post;dur="), undefined);
    assert.deepEqual(parseServerTiming("miss, inf;dur=abc, post;dur=2"), { postMs: 2, totalMs: 2 });
  });
});
