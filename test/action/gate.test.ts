import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assessRegression, decide, type RegressionAssessment } from "../../src/action/gate.ts";
import type { MetricComparison } from "../../src/analysis/regression.ts";
import type { Verdict } from "../../src/analysis/types.ts";
import { resultsOf, steadyRun } from "../report/fixtures.ts";

const NO_BASELINE: RegressionAssessment = { verdict: "none" };

function comparison(verdict: MetricComparison["verdict"]): MetricComparison {
  return {
    metric: "p90Ms",
    direction: "lower-is-better",
    base: 40,
    head: verdict === "regression" ? 60 : 40,
    delta: verdict === "regression" ? 20 : 0,
    deltaRelative: verdict === "regression" ? 0.5 : 0,
    interval: verdict === "regression" ? [18, 22] : [-1, 1],
    intervalMethod: "bootstrap",
    repetitions: { base: 3, head: 3 },
    significant: verdict === "regression",
    floor: 2,
    practical: verdict === "regression",
    verdict,
  };
}

const regressed: RegressionAssessment = { verdict: "fail", comparisons: [comparison("regression")] };
const unchanged: RegressionAssessment = { verdict: "pass", comparisons: [comparison("unchanged")] };
const untrusted: RegressionAssessment = {
  verdict: "invalid",
  reasons: ["The base measurement is invalid."],
  comparisons: [],
};

function constraints(verdict: Verdict) {
  return { verdict, invalidReasons: verdict === "invalid" ? ["the generator could not keep up"] : [] };
}

describe("decide", () => {
  test("passes when the budgets are met and nothing regressed", () => {
    const decision = decide({ constraints: constraints("pass"), regression: unchanged, failOn: "both" });
    assert.deepEqual(
      [decision.verdict, decision.constraintsVerdict, decision.regressionVerdict, decision.failed],
      ["pass", "pass", "pass", false],
    );
    assert.deepEqual(decision.reasons, []);
  });

  test("keeps the two verdicts apart and enforces only what fail-on names", () => {
    const constraintsOnly = decide({
      constraints: constraints("pass"),
      regression: regressed,
      failOn: "constraints",
    });
    assert.deepEqual([constraintsOnly.verdict, constraintsOnly.failed], ["pass", false]);
    assert.equal(constraintsOnly.regressionVerdict, "fail");
    assert.match(constraintsOnly.reasons.join(" "), /Regression against the base in p90Ms \(not enforced/);

    const regressionOnly = decide({
      constraints: constraints("fail"),
      regression: unchanged,
      failOn: "regression",
    });
    assert.deepEqual([regressionOnly.verdict, regressionOnly.failed], ["pass", false]);
    assert.equal(regressionOnly.constraintsVerdict, "fail");

    const both = decide({ constraints: constraints("pass"), regression: regressed, failOn: "both" });
    assert.deepEqual([both.verdict, both.failed], ["fail", true]);
  });

  test("a broken budget fails under constraints and both", () => {
    for (const failOn of ["constraints", "both"] as const) {
      const decision = decide({ constraints: constraints("fail"), regression: NO_BASELINE, failOn });
      assert.deepEqual([decision.verdict, decision.failed], ["fail", true], failOn);
    }
  });

  test("an invalid head is invalid whatever fail-on says, and fails the step unless fail-on is nothing", () => {
    for (const failOn of ["constraints", "regression", "both"] as const) {
      const decision = decide({ constraints: constraints("invalid"), regression: unchanged, failOn });
      assert.deepEqual([decision.verdict, decision.failed], ["invalid", true], failOn);
      assert.match(decision.reasons[0]!, /invalid: the generator could not keep up/);
    }
    const reported = decide({
      constraints: constraints("invalid"),
      regression: unchanged,
      failOn: "nothing",
    });
    assert.deepEqual([reported.verdict, reported.failed], ["invalid", false]);
  });

  test("an untrusted comparison is invalid when the regression verdict is enforced", () => {
    const enforced = decide({ constraints: constraints("pass"), regression: untrusted, failOn: "both" });
    assert.deepEqual(
      [enforced.verdict, enforced.regressionVerdict, enforced.failed],
      ["invalid", "invalid", true],
    );
    const ignored = decide({
      constraints: constraints("pass"),
      regression: untrusted,
      failOn: "constraints",
    });
    assert.deepEqual([ignored.verdict, ignored.failed], ["pass", false]);
  });

  test("nothing reports both verdicts without failing", () => {
    const decision = decide({ constraints: constraints("fail"), regression: regressed, failOn: "nothing" });
    assert.deepEqual([decision.verdict, decision.failed], ["fail", false]);
  });
});

describe("assessRegression", () => {
  const runs = (maxMs: number[]) => maxMs.map((ms) => steadyRun(ms));

  test("without a baseline there is no regression verdict", () => {
    assert.deepEqual(assessRegression(resultsOf(runs([40, 41, 42])), null), { verdict: "none" });
  });

  test("a clearly slower head is a regression", () => {
    const base = resultsOf(runs([40, 41, 42]));
    const head = resultsOf(runs([60, 61, 62]));
    const assessment = assessRegression(head, { results: base, stored: true });
    assert.equal(assessment.verdict, "fail");
    const p90 =
      assessment.verdict === "fail" ? assessment.comparisons.find((c) => c.metric === "p90Ms") : undefined;
    assert.equal(p90?.verdict, "regression");
  });

  test("noise within the floor passes", () => {
    const base = resultsOf(runs([40, 41, 42]));
    const head = resultsOf(runs([41, 40, 42]));
    assert.equal(assessRegression(head, { results: base, stored: true }).verdict, "pass");
  });

  test("a stored baseline from another kind of machine is refused as invalid, naming the difference", () => {
    const base = resultsOf(runs([40, 41, 42]), { environment: { cpuModel: "AMD EPYC" } });
    const head = resultsOf(runs([40, 41, 42]));
    const assessment = assessRegression(head, { results: base, stored: true });
    assert.equal(assessment.verdict, "invalid");
    assert.match(
      assessment.verdict === "invalid" ? assessment.reasons.join(" ") : "",
      /CPU model: "AMD EPYC" vs "Intel Xeon"/,
    );
  });

  test("the same base measured in this run needs no fingerprint match", () => {
    const base = resultsOf(runs([40, 41, 42]), { environment: { target: "image base" } });
    const head = resultsOf(runs([40, 41, 42]), { environment: { target: "image head" } });
    assert.equal(assessRegression(head, { results: base, stored: false }).verdict, "pass");
  });

  test("an invalid base makes the comparison invalid", () => {
    const short = { holdMs: 0, rampUpMs: 3_000 };
    const base = resultsOf(
      [40, 41, 42].map((ms) => steadyRun(ms, short)),
      { load: short },
    );
    assert.equal(base.analysis.combined.verdict, "invalid", "a 3 s ramp never fills a 5 s window at target");
    const head = resultsOf(runs([40, 41, 42]));
    const assessment = assessRegression(head, { results: base, stored: false });
    assert.equal(assessment.verdict, "invalid");
  });
});
