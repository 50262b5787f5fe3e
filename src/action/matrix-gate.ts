/**
 * The gate's verdicts for a spec with a matrix, kept pure. Constraints are judged per scenario on
 * measured setups only: Table I may extrapolate more machines, but a pass needs a measurement.
 * Regressions are judged per cell that both the head and the base sweep measured.
 */
import type { ResultsDocument } from "../analysis/results.ts";
import type { Verdict } from "../analysis/types.ts";
import { answerCell, cheapestOption } from "../matrix/cost.ts";
import type { Cell } from "../matrix/expand.ts";
import type { CellRecord, SweepDocument } from "../matrix/types.ts";
import { assessRegression, type RegressionAssessment, type RegressionVerdict } from "./gate.ts";

export interface ScenarioJudgement {
  scenario: string;
  verdict: Verdict;
  /** Why, in one or two sentences naming the cells; plain text. */
  reason: string;
}

export interface SweepJudgement {
  verdict: Verdict;
  scenarios: ScenarioJudgement[];
}

/**
 * Per scenario: `pass` when some measured cell met every budget at the scenario's rate as deployed,
 * `fail` when cells were measured but none did, `invalid` when no cell could be measured (all failed,
 * invalid or not run). The sweep fails when a scenario fails, else is invalid when a scenario is
 * invalid, else passes.
 */
export function judgeSweep(document: SweepDocument, cells: readonly Cell[]): SweepJudgement {
  const records = new Map(document.cells.map((record) => [record.id, record]));
  const scenarioNames = [...new Set(cells.map((cell) => cell.scenario.name))];
  const scenarios = scenarioNames.map((name) =>
    judgeScenario(
      cells.filter((cell) => cell.scenario.name === name),
      records,
    ),
  );
  const verdicts = scenarios.map((scenario) => scenario.verdict);
  const verdict: Verdict = verdicts.includes("fail")
    ? "fail"
    : verdicts.includes("invalid")
      ? "invalid"
      : "pass";
  return { verdict, scenarios };
}

function judgeScenario(cells: readonly Cell[], records: Map<string, CellRecord>): ScenarioJudgement {
  const scenario = cells[0]!.scenario;
  const unmeasured: string[] = [];
  const fellShort: string[] = [];
  const met: string[] = [];
  for (const cell of cells) {
    const record = records.get(cell.id);
    if (record === undefined) unmeasured.push(`${cell.id} (not run)`);
    else if (record.status === "failed") unmeasured.push(`${cell.id} (${record.error})`);
    else if (record.summary.verdict === "invalid")
      unmeasured.push(
        `${cell.id} (invalid: ${record.summary.invalidReasons.join("; ") || "no reason recorded"})`,
      );
    else (record.summary.verdict === "pass" ? met : fellShort).push(cell.id);
  }
  const rate = `${scenario.targetRate.toLocaleString("en-US")} req/s`;
  const notMeasured = unmeasured.length > 0 ? ` Not measured: ${unmeasured.join(", ")}.` : "";
  if (met.length > 0) {
    return {
      scenario: scenario.name,
      verdict: "pass",
      reason: `Scenario ${scenario.name}: ${met.join(", ")} met every budget at ${rate} as deployed.${notMeasured}`,
    };
  }
  if (fellShort.length > 0) {
    const answers = cells.flatMap((cell) => {
      const record = records.get(cell.id);
      return record === undefined ? [] : [answerCell(record, cell.deployment, scenario)];
    });
    const cheapest = cheapestOption(answers);
    const extrapolated =
      cheapest === undefined
        ? ""
        : ` Table I's answer, ${cheapest.machines} x ${cheapest.instanceType} running ${cheapest.model}, ` +
          "assumes throughput grows linearly with machines and was not measured.";
    return {
      scenario: scenario.name,
      verdict: "fail",
      reason: `Scenario ${scenario.name}: no measured setup met the budget at ${rate} (${fellShort.join(", ")} fell short).${extrapolated}${notMeasured}`,
    };
  }
  return {
    scenario: scenario.name,
    verdict: "invalid",
    reason: `Scenario ${scenario.name}: no cell could be measured.${notMeasured}`,
  };
}

/** One cell's two measurements; `base` is an Error when the base cell's results could not be read. */
export interface CellPair {
  id: string;
  head: ResultsDocument;
  base: ResultsDocument | Error;
}

export interface CellRegression {
  id: string;
  /** Confidence level of the cell's intervals, from the head's spec. */
  confidence: number;
  assessment: Exclude<RegressionAssessment, { verdict: "none" }>;
}

export interface SweepRegression {
  verdict: RegressionVerdict;
  cells: CellRegression[];
  /** Cells measured on one side only, with why; plain text. */
  notCompared: string[];
  /** The sweep's verdict in the form `decide` takes; metrics and reasons are prefixed with the cell id. */
  combined: RegressionAssessment;
}

/**
 * Compares each cell measured on both sides as a stored baseline (same spec and kind of machine).
 * The sweep regresses when a cell regresses; otherwise it is invalid when a comparison cannot be
 * trusted or no cell could be compared, else it passes.
 */
export function assessSweepRegression(
  pairs: readonly CellPair[],
  notCompared: readonly string[],
): SweepRegression {
  const cells: CellRegression[] = pairs.map((pair) => {
    const confidence = pair.head.spec.regression.confidence;
    if (pair.base instanceof Error) {
      return {
        id: pair.id,
        confidence,
        assessment: {
          verdict: "invalid",
          reasons: [`The base cell's results cannot be read: ${pair.base.message}`],
          comparisons: [],
        },
      };
    }
    const assessment = assessRegression(pair.head, { results: pair.base, stored: true });
    if (assessment.verdict === "none") throw new Error("a stored baseline always gives a comparison");
    return { id: pair.id, confidence, assessment };
  });
  const comparisons = cells.flatMap((cell) =>
    cell.assessment.comparisons.map((comparison) => ({
      ...comparison,
      metric: `${cell.id} ${comparison.metric}`,
    })),
  );
  const verdicts = cells.map((cell) => cell.assessment.verdict);
  if (verdicts.includes("fail")) {
    return {
      verdict: "fail",
      cells,
      notCompared: [...notCompared],
      combined: { verdict: "fail", comparisons },
    };
  }
  const reasons = cells.flatMap((cell) =>
    cell.assessment.verdict === "invalid"
      ? cell.assessment.reasons.map((reason) => `${cell.id}: ${reason}`)
      : [],
  );
  if (cells.length === 0) {
    reasons.push(
      `No cell was measured in both the head and the base sweep${notCompared.length > 0 ? ` (${notCompared.join("; ")})` : ""}.`,
    );
  }
  if (reasons.length > 0) {
    return {
      verdict: "invalid",
      cells,
      notCompared: [...notCompared],
      combined: { verdict: "invalid", reasons, comparisons },
    };
  }
  return {
    verdict: "pass",
    cells,
    notCompared: [...notCompared],
    combined: { verdict: "pass", comparisons },
  };
}
