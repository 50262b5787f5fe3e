/**
 * The gate's decision, kept pure: the constraints verdict of the head, the regression verdict
 * against the base, and `fail-on` give the final verdict and whether the step fails.
 */

import { comparable } from "../analysis/environment.ts";
import { type CompareOptions, compareRuns, type MetricComparison } from "../analysis/regression.ts";
import type { ResultsDocument } from "../analysis/results.ts";
import type { Verdict } from "../analysis/types.ts";
import type { FailOn } from "./inputs.ts";
import { metricSamples } from "./samples.ts";

export type RegressionVerdict = "pass" | "fail" | "invalid" | "none";

export type RegressionAssessment =
  | { verdict: "none" }
  | { verdict: "pass" | "fail"; comparisons: MetricComparison[] }
  | { verdict: "invalid"; reasons: string[]; comparisons: MetricComparison[] };

export interface BaselineRun {
  results: ResultsDocument;
  /** A stored run from elsewhere, which must come from the same spec and kind of machine. */
  stored: boolean;
}

/** Compares head with base per metric; a regression needs a significant change above the floor. */
export function assessRegression(
  head: ResultsDocument,
  base: BaselineRun | null,
  options: CompareOptions = {},
): RegressionAssessment {
  if (base === null) return { verdict: "none" };
  const reasons: string[] = [];
  if (base.results.analysis.combined.verdict === "invalid") {
    reasons.push(
      `The base measurement is invalid: ${base.results.analysis.combined.invalidReasons.join(" ") || "no reason recorded"}`,
    );
  }
  if (base.stored) {
    const check = comparable(base.results, head);
    if (!check.ok) {
      reasons.push(
        `The stored baseline was measured differently, so the difference would not be the change's: ${check.differences.join("; ")} (base vs head). ` +
          "Run the baseline workflow on the main branch again to store a comparable baseline.",
      );
    }
  }
  const comparisons = compareRuns(
    metricSamples(base.results),
    metricSamples(head),
    head.spec.regression,
    options,
  );
  if (comparisons.length === 0) reasons.push("No metric was measured at target on both base and head.");
  if (reasons.length > 0) return { verdict: "invalid", reasons, comparisons };
  const regressed = comparisons.some((comparison) => comparison.verdict === "regression");
  return { verdict: regressed ? "fail" : "pass", comparisons };
}

export interface GateInput {
  constraints: {
    verdict: Verdict;
    invalidReasons: readonly string[];
    /** Which budgets were broken, in sentences; default: a sentence saying that one was. */
    failReasons?: readonly string[];
  };
  regression: RegressionAssessment;
  failOn: FailOn;
}

export interface GateDecision {
  verdict: Verdict;
  constraintsVerdict: Verdict;
  regressionVerdict: RegressionVerdict;
  /** The step fails: a verdict that `fail-on` enforces is not a pass. */
  failed: boolean;
  /** Sentences saying what decided the verdict, most important first. */
  reasons: string[];
}

/**
 * An invalid head measurement is invalid whatever `fail-on` says. Otherwise the verdict combines the
 * verdicts `fail-on` enforces (both when it is "nothing", to report them) and the step fails unless
 * that combination passes. "nothing" never fails the step.
 */
export function decide(input: GateInput): GateDecision {
  const { constraints, regression, failOn } = input;
  const regressionVerdict = regression.verdict;
  const enforceConstraints = failOn !== "regression";
  const enforceRegression = failOn !== "constraints" && regressionVerdict !== "none";

  const reasons: string[] = [];
  if (constraints.verdict === "invalid") {
    reasons.push(
      `The measurement is invalid: ${constraints.invalidReasons.join(" ") || "no reason recorded"}`,
    );
  }
  if (constraints.verdict === "fail") {
    const broken = constraints.failReasons?.join(" ") || "A budget was broken.";
    reasons.push(
      enforceConstraints ? broken : `${broken.replace(/\.$/, "")} (not enforced: fail-on is regression).`,
    );
  }
  if (regression.verdict === "fail") {
    const regressed = regression.comparisons.filter((c) => c.verdict === "regression").map((c) => c.metric);
    reasons.push(
      `Regression against the base in ${regressed.join(", ")}${enforceRegression ? "" : " (not enforced: fail-on is constraints)"}.`,
    );
  }
  if (regression.verdict === "invalid") {
    reasons.push(
      `The comparison with the base cannot be trusted${enforceRegression ? "" : " (not enforced: fail-on is constraints)"}: ${regression.reasons.join(" ")}`,
    );
  }

  const counted: Verdict[] = [];
  if (enforceConstraints) counted.push(constraints.verdict);
  if (enforceRegression) counted.push(regressionVerdict);
  const verdict: Verdict =
    constraints.verdict === "invalid"
      ? "invalid"
      : counted.includes("fail")
        ? "fail"
        : counted.includes("invalid")
          ? "invalid"
          : "pass";
  return {
    verdict,
    constraintsVerdict: constraints.verdict,
    regressionVerdict,
    failed: failOn !== "nothing" && verdict !== "pass",
    reasons,
  };
}
