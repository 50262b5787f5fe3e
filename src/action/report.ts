/** The pull-request report: verdicts first, then the comparison, the evidence and how to reproduce. */
import type { ResultsDocument } from "../analysis/results.ts";
import type { Verdict } from "../analysis/types.ts";
import { comparisonMethod, comparisonTable } from "../report/comparison.ts";
import { escapeMarkdown } from "../report/escape.ts";
import { renderMarkdown } from "../report/markdown.ts";
import { LOCAL_COMMAND } from "./constants.ts";
import type { GateDecision, RegressionAssessment, RegressionVerdict } from "./gate.ts";
import type { CellRegression, SweepJudgement, SweepRegression } from "./matrix-gate.ts";

const HEADLINE: Record<Verdict | "skipped", string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  invalid: "⚠️ invalid",
  skipped: "⏭️ skipped",
};

const CONSTRAINTS_LINE: Record<Verdict, string> = {
  pass: "✅ every budget met",
  fail: "❌ a budget was broken",
  invalid: "⚠️ invalid: the measurement cannot be trusted",
};

const REGRESSION_LINE: Record<RegressionVerdict, string> = {
  pass: "✅ no regression",
  fail: "❌ regression",
  invalid: "⚠️ invalid: the comparison cannot be trusted",
  none: "— no baseline configured",
};

const MATRIX_CONSTRAINTS_LINE: Record<Verdict, string> = {
  pass: "✅ every scenario has a measured setup that meets its budget",
  fail: "❌ a scenario has no measured setup that meets its budget",
  invalid: "⚠️ invalid: a scenario has no cell that could be measured",
};

const SCENARIO_ICON: Record<Verdict, string> = { pass: "✅", fail: "❌", invalid: "⚠️" };

const CELL_REGRESSION: Record<CellRegression["assessment"]["verdict"], string> = {
  pass: "✅ no regression",
  fail: "❌ regression",
  invalid: "⚠️ the comparison cannot be trusted",
};

export interface GateReportInput {
  specName: string;
  specPath: string;
  decision: GateDecision;
  regression: RegressionAssessment;
  /** What the head was compared with, in words; plain text, escaped here. */
  baselineDescription?: string;
  head: ResultsDocument;
  base?: ResultsDocument;
  /** Set when the run was stopped before all repetitions ran. */
  interrupted: boolean;
}

function title(specName: string, verdict: Verdict | "skipped"): string {
  return `## etude · ${escapeMarkdown(specName)} · ${HEADLINE[verdict]}`;
}

function reproduce(specPath: string): string {
  const path = specPath.replace(/[`\r\n]/g, "_");
  return [
    "### Reproduce locally",
    "",
    "```sh",
    `${LOCAL_COMMAND} ${/^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`}`,
    "```",
  ].join("\n");
}

export function renderGateReport(input: GateReportInput): string {
  const { decision, regression } = input;
  const parts: string[] = [title(input.specName, decision.verdict)];
  parts.push(
    [
      `- **Constraints:** ${CONSTRAINTS_LINE[decision.constraintsVerdict]}`,
      `- **Regression against the base:** ${REGRESSION_LINE[decision.regressionVerdict]}`,
    ].join("\n"),
  );
  if (input.interrupted) parts.push("> [!WARNING]\n> The run was interrupted: not every repetition ran.");
  if (decision.reasons.length > 0) {
    parts.push(decision.reasons.map((reason) => `- ${escapeMarkdown(reason)}`).join("\n"));
  }
  if (regression.verdict !== "none") {
    parts.push("### Comparison with the base");
    if (input.baselineDescription !== undefined) {
      parts.push(`Base: ${escapeMarkdown(input.baselineDescription)}.`);
    }
    if (regression.comparisons.length > 0) {
      parts.push(
        comparisonTable(regression.comparisons),
        comparisonMethod(regression.comparisons, input.head.spec.regression.confidence),
      );
    }
  }
  parts.push(renderMarkdown(input.head, { headingLevel: 3 }).trimEnd());
  if (input.base !== undefined) {
    parts.push(
      [
        "<details>",
        "<summary>Base measurement</summary>",
        "",
        renderMarkdown(input.base, { headingLevel: 4 }).trimEnd(),
        "",
        "</details>",
      ].join("\n"),
    );
  }
  parts.push(reproduce(input.specPath));
  return `${parts.join("\n\n")}\n`;
}

export interface MatrixGateReportInput {
  specName: string;
  specPath: string;
  decision: GateDecision;
  judgement: SweepJudgement;
  /** Absent without a baseline. */
  regression?: SweepRegression;
  /** What the head was compared with, in words; plain text, escaped here. */
  baselineDescription?: string;
  /** The sweep report (Table I per scenario, per-cell rows, charts), already escaped markdown. */
  sweepMarkdown: string;
  interrupted: boolean;
}

/** The report of a matrix: verdicts, the reason per scenario, one comparison per cell, then the sweep report. */
export function renderMatrixGateReport(input: MatrixGateReportInput): string {
  const { decision, regression } = input;
  const parts: string[] = [title(input.specName, decision.verdict)];
  parts.push(
    [
      `- **Constraints, per scenario:** ${MATRIX_CONSTRAINTS_LINE[decision.constraintsVerdict]}`,
      `- **Regression against the base, per cell:** ${REGRESSION_LINE[decision.regressionVerdict]}`,
    ].join("\n"),
  );
  if (input.interrupted) parts.push("> [!WARNING]\n> The sweep was interrupted: not every cell ran.");
  if (decision.reasons.length > 0) {
    parts.push(decision.reasons.map((reason) => `- ${escapeMarkdown(reason)}`).join("\n"));
  }
  parts.push(
    "### Scenarios",
    input.judgement.scenarios
      .map((scenario) => `- ${SCENARIO_ICON[scenario.verdict]} ${escapeMarkdown(scenario.reason)}`)
      .join("\n"),
  );
  if (regression !== undefined) {
    parts.push("### Comparison with the base, per cell");
    if (input.baselineDescription !== undefined) {
      parts.push(`Base: ${escapeMarkdown(input.baselineDescription)}.`);
    }
    if (regression.notCompared.length > 0) {
      parts.push(`Not compared: ${regression.notCompared.map((line) => escapeMarkdown(line)).join("; ")}.`);
    }
    parts.push(...regression.cells.map(cellComparison));
  }
  parts.push(input.sweepMarkdown.trimEnd(), reproduce(input.specPath));
  return `${parts.join("\n\n")}\n`;
}

/** Collapsed when the cell passed; open when it regressed or cannot be compared. */
function cellComparison(cell: CellRegression): string {
  const { assessment } = cell;
  const body: string[] = [];
  if (assessment.verdict === "invalid") {
    body.push(assessment.reasons.map((reason) => `- ${escapeMarkdown(reason)}`).join("\n"));
  }
  if (assessment.comparisons.length > 0) {
    body.push(
      comparisonTable(assessment.comparisons),
      comparisonMethod(assessment.comparisons, cell.confidence),
    );
  }
  return [
    assessment.verdict === "pass" ? "<details>" : "<details open>",
    `<summary>${escapeMarkdown(cell.id)}: ${CELL_REGRESSION[assessment.verdict]}</summary>`,
    "",
    body.join("\n\n"),
    "",
    "</details>",
  ].join("\n");
}

/** The report when no changed file matched the `paths` input. */
export function renderSkippedReport(input: {
  specName: string;
  specPath: string;
  paths: readonly string[];
}): string {
  const globs = input.paths.map((glob) => `\`${glob.replace(/`/g, "'")}\``).join(", ");
  return [
    title(input.specName, "skipped"),
    `No changed file matches the model code paths (${globs}), so the benchmark did not run.`,
    reproduce(input.specPath),
  ].join("\n\n");
}
