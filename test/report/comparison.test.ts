import assert from "node:assert/strict";
import { test } from "node:test";
import { compareRuns } from "../../src/analysis/regression.ts";
import { comparisonMethod, comparisonTable } from "../../src/report/comparison.ts";
import type { RegressionSpec } from "../../src/spec/types.ts";

const settings: RegressionSpec = { minRelative: 0.05, minLatencyMs: 1, minThroughput: 10, confidence: 0.95 };

test("the comparison table gives base, head, delta, interval and a verdict per metric", () => {
  const table = comparisonTable(
    compareRuns(
      { p90Ms: [40, 41, 40.5, 39.8, 40.2], maxThroughput: [1000, 990, 1010, 1005, 995] },
      { p90Ms: [50, 51, 50.5, 49.8, 50.2], maxThroughput: [1001, 992, 1008, 1003, 996] },
      settings,
    ),
  );
  const rows = table.split("\n");
  const p90 = rows.find((row) => row.includes("p90"));
  assert.ok(p90, table);
  assert.match(p90, /40\.2 ms/);
  assert.match(p90, /50\.2 ms/);
  assert.match(p90, /\+10 ms \(\+24\.9%\)/);
  assert.match(p90, /regression/i);
  const throughput = rows.find((row) => /throughput/i.test(row));
  assert.ok(throughput, table);
  assert.match(throughput, /unchanged/i);
});

test("one repetition says it cannot tell a change from noise instead of calling a regression", () => {
  const table = comparisonTable(compareRuns({ p90Ms: [40] }, { p90Ms: [52] }, settings));
  assert.match(table, /one repetition cannot tell a change from noise/);
  assert.doesNotMatch(table, /regression/i);
  assert.match(
    comparisonMethod(compareRuns({ p90Ms: [40] }, { p90Ms: [52] }, settings), 0.95),
    /no change is called a regression: run 3 or more repetitions/,
  );
});
