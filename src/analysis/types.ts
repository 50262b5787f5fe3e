import type { ErrorClass, Phase } from "../loadgen/types.ts";
import type { Percentile } from "../spec/types.ts";

/** Percentiles of one merged latency histogram, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  "p99.9": number;
  max: number;
  mean: number;
}

/** One second of a run, decoded. Latency summaries are null when no request of the second succeeded. */
export interface SecondSummary {
  second: number;
  phase: Phase;
  targetRate: number;
  offered: number;
  sent: number;
  ok: number;
  /** ok plus errors: slots of this second that got an answer or a failure. */
  completed: number;
  dropped: number;
  errors: Partial<Record<ErrorClass, number>>;
  errorCount: number;
  /** Successful answers that arrived during this wall-clock second. */
  throughput: number;
  inFlightMax: number;
  /** Share of sent requests that left more than 1 ms after their intended time. */
  lateShare: number;
  responseTime: LatencySummary | null;
  serviceTime: LatencySummary | null;
  generator: { eventLoopDelayP99Ms: number; eventLoopUtilization: number };
}

export type PhaseName = "ramp" | "hold" | "measured";

/** Totals and merged percentiles over the seconds of one phase; warm-up is never included. */
export interface PhaseSummary {
  phase: PhaseName;
  seconds: number;
  offered: number;
  sent: number;
  ok: number;
  errorCount: number;
  completed: number;
  dropped: number;
  late: number;
  /** errors / completed; 0 when nothing completed. */
  errorRate: number;
  /** ok / seconds, requests per second. */
  achievedThroughput: number;
  responseTime: LatencySummary | null;
  serviceTime: LatencySummary | null;
  serverTime: LatencySummary | null;
}

/** The best sliding window that met every budget. */
export interface SustainableWindow {
  /** First and last second (inclusive) of the window, seconds since the run started. */
  fromSecond: number;
  toSecond: number;
  throughput: number;
  offeredRate: number;
  responseTime: LatencySummary;
}

export interface MaxSustainableThroughput {
  /** Requests per second; 0 when no window met the budgets. */
  throughput: number;
  windowSeconds: number;
  window: SustainableWindow | null;
}

export type Verdict = "pass" | "fail" | "invalid";

export type ConstraintKind = "latency" | "throughput" | "errorRate";

export interface ConstraintResult {
  /** Readable name, for example "p90 response time at target". */
  name: string;
  kind: ConstraintKind;
  percentile?: Percentile;
  /** ms for latency, req/s for throughput, a share 0..1 for the error rate. */
  budget: number;
  /** null when nothing could be measured (no successful answer at target). */
  measured: number | null;
  verdict: Verdict;
}

/** The seconds where the latency budgets are judged. */
export interface TargetRegion {
  basis: "hold" | "end-of-ramp";
  fromSecond: number;
  toSecond: number;
  offeredRate: number;
  responseTime: LatencySummary | null;
}

/** How well the load generator kept its schedule over the measured seconds. */
export interface GeneratorSummary {
  /** The 99th percentile of send lag (actual minus intended send time) while the model kept up, ms. */
  sendLagP99Ms: number;
  /** Lag past which the generator counts as the bottleneck, ms. */
  lagToleranceMs: number;
  /** Share of all sent requests that left more than 1 ms late. */
  lateShare: number;
  /** The worst second's event-loop delay p99, ms. */
  worstEventLoopDelayP99Ms: number;
}

export interface RunAnalysis {
  verdict: Verdict;
  /** Why the run cannot be trusted, as sentences with numbers; empty unless the verdict is "invalid". */
  invalidReasons: string[];
  /** Facts worth knowing that do not invalidate the run, such as an early stop after the target was held. */
  notes: string[];
  constraints: ConstraintResult[];
  phases: { ramp: PhaseSummary | null; hold: PhaseSummary | null; measured: PhaseSummary | null };
  atTarget: TargetRegion | null;
  maxSustainableThroughput: MaxSustainableThroughput;
  generator: GeneratorSummary;
  seconds: SecondSummary[];
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface CombinedAnalysis {
  verdict: Verdict;
  invalidReasons: string[];
  /** Index into the runs of the run that represents them all. */
  medianRun: number;
  repetitions: number;
  /** Across runs, of values at target (ms) and of the maximum sustainable throughput (req/s); null when no run had a value. */
  spread: {
    p50: Spread | null;
    p90: Spread | null;
    p99: Spread | null;
    maxSustainableThroughput: Spread;
  };
}

export interface Analysis {
  runs: RunAnalysis[];
  combined: CombinedAnalysis;
}
