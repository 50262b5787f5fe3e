import type { Verdict } from "../analysis/types.ts";

/** What a measured cell's report needs, kept in sweep.json so a resumed sweep need not reread results. */
export interface CellSummary {
  verdict: Verdict;
  invalidReasons: string[];
  /** Median across repetitions, requests per second, of the whole deployment (all replicas). */
  maxSustainableThroughput: number;
  /** Response time at the target rate (median across repetitions), milliseconds; null when unmeasured. */
  p50AtTarget: number | null;
  p90AtTarget: number | null;
  p99AtTarget: number | null;
  /** Per second of the representative run: achieved throughput and p90 response time. */
  curve: { throughput: number; p90: number }[];
}

interface CellRecordBase {
  id: string;
  model: string;
  deployment: string;
  scenario: string;
  /** Digest of the cell's spec: a changed spec runs the cell again. */
  specDigest: string;
  finishedAt: string;
}

export type CellRecord =
  | (CellRecordBase & {
      status: "measured";
      /** results.json of the cell, relative to the sweep's directory. */
      resultsPath: string;
      summary: CellSummary;
    })
  | (CellRecordBase & { status: "failed"; error: string });

export interface SweepDocument {
  schemaVersion: 1;
  name: string;
  cells: CellRecord[];
}
