/**
 * The main step for a spec with a matrix: the sweep, the verdict per scenario, the regression per
 * cell against a stored sweep, the report with Table I, and the outputs.
 */
import { dirname, resolve } from "node:path";
import { expandMatrix } from "../matrix/expand.ts";
import { renderSweepReport } from "../matrix/report.ts";
import type { SweepDocument } from "../matrix/types.ts";
import type { Spec } from "../spec/types.ts";
import type { ActionIO } from "./action.ts";
import { Inputs, Outputs } from "./constants.ts";
import { decide } from "./gate.ts";
import { type ActionSettings, InputError } from "./inputs.ts";
import { assessSweepRegression, type CellPair, judgeSweep, type SweepRegression } from "./matrix-gate.ts";
import { conclude } from "./publish.ts";
import { renderMatrixGateReport } from "./report.ts";

export interface MatrixGateRun {
  spec: Spec;
  settings: ActionSettings;
  workingDirectory: string;
  runId: string;
  outDir: string;
  labels: { repository?: string; pullRequest?: number };
  /** Posts the report as the comment and job summary. */
  publish(report: { body: string; passed: boolean }): Promise<void>;
}

/** A base image would have to be deployed for every cell: only a stored sweep serves as a baseline. */
export function refuseImageBaseline(spec: Spec, settings: ActionSettings): void {
  if (spec.matrix === undefined || settings.baseline.kind !== "image") return;
  throw new InputError(
    `input ${Inputs.baseline} is "image:${settings.baseline.image}", but the spec has a matrix, whose cells ` +
      "may run several models and deployments: a single base image does not say which cell it replaces. " +
      `Set ${Inputs.baseline} to "results:<path to the main branch's sweep.json>" or to "none"`,
  );
}

export async function runMatrixGate(io: ActionIO, run: MatrixGateRun): Promise<void> {
  const { spec, settings, outDir } = run;
  const outcome = await io.runSweep({
    spec,
    runId: run.runId,
    outDir,
    log: io.info,
    ...(io.signal ? { signal: io.signal } : {}),
    labels: run.labels,
  });
  const cells = expandMatrix(spec);
  const judgement = judgeSweep(outcome.document, cells);
  const base = await loadBaselineSweep(io, settings, run.workingDirectory, outcome.document, outDir);
  // One short sentence per verdict; the report's Scenarios section says why, cell by cell.
  const scenariosWith = (verdict: "fail" | "invalid") =>
    judgement.scenarios
      .filter((scenario) => scenario.verdict === verdict)
      .map((scenario) => scenario.scenario);
  const failing = scenariosWith("fail");
  const unmeasured = scenariosWith("invalid");
  const decision = decide({
    constraints: {
      verdict: judgement.verdict,
      invalidReasons: [
        `no cell of scenario ${unmeasured.join(", ")} could be measured (see the report's Scenarios section).`,
      ],
      failReasons: [
        `No measured setup met the budget in scenario ${failing.join(", ")} (see the report's Scenarios section).`,
      ],
    },
    regression: base?.regression.combined ?? { verdict: "none" },
    failOn: settings.failOn,
  });

  const sweepMarkdown = renderSweepReport(spec, outcome.document, cells, {
    headingLevel: 3,
    linkCharts: false,
  }).markdown;
  const report = renderMatrixGateReport({
    specName: spec.name,
    specPath: settings.specPath,
    decision,
    judgement,
    sweepMarkdown,
    interrupted: outcome.interrupted,
    ...(base ? { regression: base.regression, baselineDescription: base.description } : {}),
  });
  const reportPath = resolve(outDir, "pull-request-report.md");
  await io.writeFile(reportPath, report);
  io.setOutput(Outputs.verdict, decision.verdict);
  io.setOutput(Outputs.constraintsVerdict, decision.constraintsVerdict);
  io.setOutput(Outputs.regressionVerdict, decision.regressionVerdict);
  // One figure cannot stand for many cells: the per-cell figures are in sweep.json.
  for (const output of [Outputs.p50Ms, Outputs.p90Ms, Outputs.p99Ms, Outputs.maxThroughput])
    io.setOutput(output, "");
  io.setOutput(Outputs.resultsPath, outcome.files.sweep);
  io.setOutput(Outputs.reportPath, reportPath);
  await run.publish({ body: report, passed: decision.verdict === "pass" && !outcome.interrupted });
  conclude(io, settings, decision, {
    happened: outcome.interrupted,
    message: "The sweep was interrupted before every cell ran.",
  });
}

/** The stored sweep of `baseline: results:<path>` and the comparison of every cell measured on both sides. */
async function loadBaselineSweep(
  io: ActionIO,
  settings: ActionSettings,
  workingDirectory: string,
  head: SweepDocument,
  outDir: string,
): Promise<{ regression: SweepRegression; description: string } | undefined> {
  const { baseline } = settings;
  if (baseline.kind !== "results") return undefined;
  const path = resolve(workingDirectory, baseline.path);
  const refuse = (why: string) =>
    new Error(
      `input ${Inputs.baseline} is "results:${baseline.path}", which cannot be used (${path}): ${why}. ` +
        "With a matrix, point it at the sweep.json of the main branch's results artifact, downloaded with its cells/ directory.",
    );
  let base: SweepDocument | undefined;
  try {
    base = await io.readSweep(path);
  } catch (error) {
    throw refuse((error as Error).message);
  }
  if (base === undefined) throw refuse("no such file");

  const measured = (document: SweepDocument) =>
    new Map(
      document.cells.flatMap((record) =>
        record.status === "measured" ? [[record.id, record] as const] : [],
      ),
    );
  const headCells = measured(head);
  const baseCells = measured(base);
  const pairs: CellPair[] = [];
  const notCompared: string[] = [];
  for (const [id, record] of headCells) {
    const stored = baseCells.get(id);
    if (stored === undefined) {
      notCompared.push(`${id} was not measured in the base sweep`);
      continue;
    }
    const baseResults = await io
      .readResults(resolve(dirname(path), stored.resultsPath))
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    pairs.push({ id, head: await io.readResults(resolve(outDir, record.resultsPath)), base: baseResults });
  }
  for (const id of baseCells.keys()) {
    if (!headCells.has(id)) notCompared.push(`${id} was not measured in this run`);
  }
  const finished = base.cells.map((record) => record.finishedAt).toSorted();
  return {
    regression: assessSweepRegression(pairs, notCompared),
    description: `stored sweep ${base.name}, finished ${finished.at(-1) ?? "at an unknown time"}, ${baseCells.size} measured cell(s)`,
  };
}
