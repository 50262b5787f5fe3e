import type { ResultsDocument } from "../analysis/results.ts";
import type { CellSummary } from "./types.ts";

/** The figures of a cell's results that the sweep report needs. */
export function summariseResults(results: ResultsDocument): CellSummary {
  const { combined, runs } = results.analysis;
  const representative = runs[combined.medianRun];
  return {
    verdict: combined.verdict,
    invalidReasons: combined.invalidReasons,
    maxSustainableThroughput: combined.spread.maxSustainableThroughput.median,
    p50AtTarget: combined.spread.p50?.median ?? null,
    p90AtTarget: combined.spread.p90?.median ?? null,
    p99AtTarget: combined.spread.p99?.median ?? null,
    curve: (representative?.seconds ?? []).flatMap((second) =>
      second.phase === "warmup" || second.responseTime === null
        ? []
        : [{ throughput: second.throughput, p90: second.responseTime.p90 }],
    ),
  };
}
