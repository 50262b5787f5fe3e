import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyseRuns, combineRepetitions } from "../../src/analysis/repetitions.ts";
import { analyseRun } from "../../src/analysis/run.ts";
import type { Constraints } from "../../src/spec/types.ts";
import { plannedRun, spread } from "../support/measurements.ts";

const constraints: Constraints = { latencyMs: { p90: 50 }, maxErrorRate: 0.01, windowMs: 5_000 };

/** A run whose hold latencies spread evenly from `fromMs` to twice that. */
function runAt(fromMs: number, aborted = false) {
  return plannedRun({
    ...(aborted ? { aborted: { reason: "out of memory", atSecond: 8 } } : {}),
    second: ({ targetRate }) => ({ responseMs: spread(fromMs, 2 * fromMs, Math.round(targetRate)) }),
  });
}

describe("combineRepetitions", () => {
  test("picks the median run by p90 at target and reports the spread across runs", () => {
    const analysis = analyseRuns([runAt(20), runAt(10), runAt(15)], constraints);
    const { combined } = analysis;

    assert.equal(combined.medianRun, 2);
    assert.equal(combined.repetitions, 3);
    assert.equal(combined.verdict, analysis.runs[2]!.verdict);
    const p90s = analysis.runs.map((run) => run.atTarget!.responseTime!.p90);
    assert.deepEqual(combined.spread.p90, { min: p90s[1], median: p90s[2], max: p90s[0] });
    assert.ok(p90s[1]! < p90s[2]! && p90s[2]! < p90s[0]!);
    assert.deepEqual(combined.spread.maxSustainableThroughput, { min: 100, median: 100, max: 100 });
  });

  test("with an even count the slower of the two middle runs represents them", () => {
    const runs = [runAt(30), runAt(10), runAt(20), runAt(40)].map((run) => analyseRun(run, constraints));
    const combined = combineRepetitions(runs);
    assert.equal(combined.medianRun, 0);
    const p50s = runs.map((run) => run.atTarget!.responseTime!.p50);
    assert.equal(combined.spread.p50?.median, (p50s[2]! + p50s[0]!) / 2);
  });

  test("one invalid run makes the combination invalid even when the median run passes", () => {
    const analysis = analyseRuns([runAt(10), runAt(12, true), runAt(11)], constraints);
    assert.equal(analysis.runs[analysis.combined.medianRun]!.verdict, "pass");
    assert.equal(analysis.combined.verdict, "invalid");
    assert.match(
      analysis.combined.invalidReasons[0]!,
      /^Run 2: The run stopped at second 8 \(out of memory\)/,
    );
  });

  test("an over-budget median fails the combination", () => {
    const analysis = analyseRuns([runAt(10), runAt(40), runAt(30)], constraints);
    assert.equal(analysis.combined.medianRun, 2);
    assert.equal(analysis.combined.verdict, "fail");
  });

  test("refuses an empty list of runs", () => {
    assert.throws(() => combineRepetitions([]), /runs is empty/);
  });
});
