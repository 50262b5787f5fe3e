import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeHistogram, mergeEncoded, summariseLatency } from "../../src/analysis/histograms.ts";
import { encode } from "../support/measurements.ts";

describe("histograms", () => {
  test("merging encoded histograms adds their counts and skips absent ones", () => {
    const merged = mergeEncoded([encode([[2, 90]]), undefined, encode([[40, 10]])]);
    const summary = summariseLatency(merged)!;
    assert.equal(summary.count, 100);
    assert.ok(Math.abs(summary.p90 - 2) < 0.01, `p90 ${summary.p90}`);
    assert.ok(Math.abs(summary.p99 - 40) < 0.05, `p99 ${summary.p99}`);
  });

  test("an empty histogram has no latency summary", () => {
    assert.equal(summariseLatency(mergeEncoded([encode([])])), null);
  });

  test("a value that is not an encoded histogram is named in the error", () => {
    assert.throws(
      () => decodeHistogram("not-a-histogram"),
      /histogram "not-a-histogram" is not an hdr-histogram/,
    );
  });
});
