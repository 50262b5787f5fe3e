/**
 * Runs every cell of a spec's matrix, keeps finished cells in sweep.json so that an interrupted sweep
 * resumes where it stopped, and writes the sweep report. Cluster cells run up to `matrix.concurrency`
 * at once; local cells run alone, after them, since two servers on one machine disturb each other.
 */
import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { ResultsDocument } from "../analysis/results.ts";
import { type Cell, expandMatrix } from "../matrix/expand.ts";
import { renderSweepReport } from "../matrix/report.ts";
import { summariseResults } from "../matrix/summary.ts";
import { readSweep, SWEEP_FILE, writeSweep } from "../matrix/sweep-file.ts";
import type { CellRecord, SweepDocument } from "../matrix/types.ts";
import { specDigest } from "../spec/digest.ts";
import type { Spec } from "../spec/types.ts";
import { runBenchmark } from "./run.ts";
import type { BenchmarkOptions } from "./types.ts";

export interface CellRun {
  results: ResultsDocument;
  resultsPath: string;
  interrupted: boolean;
}

/** Runs one cell's benchmark into `outDir`; throws when the cell cannot be deployed or measured. */
export type CellRunner = (cell: Cell, options: Omit<BenchmarkOptions, "spec">) => Promise<CellRun>;

export interface SweepOptions extends Omit<BenchmarkOptions, "spec"> {
  spec: Spec;
  /** Run finished cells again instead of keeping them. */
  rerun?: boolean;
  /** Default: `runBenchmark` on the cell's spec. */
  runCell?: CellRunner;
  now?: () => Date;
}

export interface SweepFiles {
  sweep: string;
  report: string;
  throughputChart: string;
  /** Written when the scenarios vary the catalog size. */
  catalogChart?: string;
}

export interface SweepOutcome {
  document: SweepDocument;
  /** Ids of the cells run by this call; the others were kept from an earlier run. */
  ran: string[];
  interrupted: boolean;
  files: SweepFiles;
}

/** The run id of the n-th cell a sweep starts (1-based), which names its cluster resources. */
export function cellRunId(runId: string, n: number): string {
  return `${runId}-${n}`;
}

/** The default cell runner: `runBenchmark` on the cell's spec. */
export const runCellBenchmark: CellRunner = async (cell, options) => {
  const outcome = await runBenchmark({ ...options, spec: cell.spec });
  const variant = outcome.variants[0];
  if (variant === undefined) throw new Error("the benchmark ended before any repetition was measured");
  return { results: variant.results, resultsPath: variant.files.results, interrupted: outcome.interrupted };
};

export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const { spec, outDir, signal } = options;
  const log = options.log ?? (() => {});
  const runCell = options.runCell ?? runCellBenchmark;
  const now = options.now ?? (() => new Date());
  const sweepPath = join(outDir, SWEEP_FILE);
  const cells = expandMatrix(spec);
  const previous = options.rerun ? undefined : await readSweep(sweepPath);
  const records = new Map<string, CellRecord>();
  for (const record of previous?.cells ?? []) records.set(record.id, record);

  const digests = new Map(cells.map((cell) => [cell.id, specDigest(cell.spec)]));
  const pending = cells.filter((cell) => {
    const kept = records.get(cell.id);
    return !(kept?.status === "measured" && kept.specDigest === digests.get(cell.id));
  });
  for (const cell of cells) {
    if (!pending.includes(cell)) log(`cell ${cell.id}: kept from the earlier run`);
  }

  const document = (): SweepDocument => ({
    schemaVersion: 1,
    name: spec.name,
    cells: cells.flatMap((cell) => records.get(cell.id) ?? []),
  });
  let saving = Promise.resolve();
  const save = () => {
    saving = saving.then(() => writeSweep(sweepPath, document()));
    return saving;
  };

  const ran: string[] = [];
  let interrupted = false;
  const runOne = async (cell: Cell): Promise<void> => {
    if (signal?.aborted) {
      interrupted = true;
      return;
    }
    const digest = digests.get(cell.id)!;
    const identity = {
      id: cell.id,
      model: cell.model.name,
      deployment: cell.deployment.name,
      scenario: cell.scenario.name,
    };
    log(`cell ${cell.id}: running`);
    ran.push(cell.id);
    const cellDir = join(outDir, "cells", ...cell.id.split("/"));
    try {
      const run = await runCell(cell, {
        outDir: cellDir,
        runId: cellRunId(options.runId, ran.length),
        ...(signal === undefined ? {} : { signal }),
        log: (line) => log(`cell ${cell.id}: ${line}`),
        ...(options.onSecond === undefined ? {} : { onSecond: options.onSecond }),
        ...(options.labels === undefined ? {} : { labels: options.labels }),
      });
      // A cell cut short is not finished: it runs again when the sweep resumes.
      if (run.interrupted) {
        interrupted = true;
        return;
      }
      records.set(cell.id, {
        ...identity,
        specDigest: digest,
        finishedAt: now().toISOString(),
        status: "measured",
        resultsPath: relative(outDir, run.resultsPath),
        summary: summariseResults(run.results),
      });
    } catch (error) {
      if (signal?.aborted) {
        interrupted = true;
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      log(`cell ${cell.id}: failed: ${reason}`);
      records.set(cell.id, {
        ...identity,
        specDigest: digest,
        finishedAt: now().toISOString(),
        status: "failed",
        error: reason,
      });
    }
    await save();
  };

  const clusterCells = pending.filter((cell) => !cell.deployment.local);
  const concurrency = spec.matrix?.concurrency ?? 1;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, clusterCells.length) }, async () => {
      for (let cell = clusterCells.shift(); cell !== undefined; cell = clusterCells.shift())
        await runOne(cell);
    }),
  );
  for (const cell of pending.filter((cell) => cell.deployment.local)) await runOne(cell);

  await save();
  const files = await writeSweepReport(outDir, spec, document(), cells);
  return { document: document(), ran, interrupted, files: { sweep: sweepPath, ...files } };
}

async function writeSweepReport(
  outDir: string,
  spec: Spec,
  document: SweepDocument,
  cells: readonly Cell[],
): Promise<Omit<SweepFiles, "sweep">> {
  const report = renderSweepReport(spec, document, cells);
  const files: Omit<SweepFiles, "sweep"> = {
    report: join(outDir, "sweep.md"),
    throughputChart: join(outDir, "sweep-throughput.svg"),
  };
  await writeFile(files.report, report.markdown);
  await writeFile(files.throughputChart, report.throughputSvg);
  if (report.catalogSvg !== undefined) {
    files.catalogChart = join(outDir, "sweep-latency-vs-catalog.svg");
    await writeFile(files.catalogChart, report.catalogSvg);
  }
  return files;
}
