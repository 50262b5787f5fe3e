import type { SecondRecord } from "../loadgen/types.ts";
import type { Spec, TargetSpec } from "../spec/types.ts";

export type Verdict = "pass" | "fail" | "invalid";

/** One side of a comparison: the same spec run against another target (the base branch's image, say). */
export interface Variant {
  label: string;
  target: TargetSpec;
}

export interface BenchmarkOptions {
  spec: Spec;
  /** Identifies the run's cluster resources (`etude-<runId>`) and its output. */
  runId: string;
  /** Where results.json, report.md and chart.svg are written. */
  outDir: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
  onSecond?: (event: { variant: string; repetition: number; record: SecondRecord }) => void;
  /** Pull-request facts recorded on cluster resources and in the environment block. */
  labels?: { repository?: string; pullRequest?: number };
  /** Stream one JSON line per request to `requests-<variant>-<repetition>.jsonl` in outDir (local targets). */
  requestLog?: boolean;
}

export interface BenchmarkFiles {
  results: string;
  report: string;
  chart: string;
}
