import type { RunMeasurement } from "../loadgen/types.ts";
import type { Constraints } from "../spec/types.ts";
import { analyseRun } from "./run.ts";
import type { Analysis, CombinedAnalysis, RunAnalysis, Spread } from "./types.ts";

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function spreadOf(values: readonly (number | null | undefined)[]): Spread | null {
  const present = values.filter((value): value is number => typeof value === "number");
  if (present.length === 0) return null;
  const sorted = [...present].sort((a, b) => a - b);
  return { min: sorted[0]!, median: median(sorted), max: sorted[sorted.length - 1]! };
}

function p90AtTarget(run: RunAnalysis): number {
  return run.atTarget?.responseTime?.p90 ?? Number.POSITIVE_INFINITY;
}

/**
 * Picks the run that represents the repetitions: the median by p90 response time at target (with three
 * runs, ETUDE's "drop the best and the worst"). With an even count it is the slower of the two middle
 * runs, so a gate never rests on the luckier one. Runs without a p90 at target count as slowest.
 * The combined verdict is that run's, except that any invalid run makes it invalid.
 */
export function combineRepetitions(runs: readonly RunAnalysis[]): CombinedAnalysis {
  if (runs.length === 0) throw new Error("combineRepetitions: runs is empty; pass at least one analysed run");
  const order = runs.map((_, index) => index).sort((a, b) => p90AtTarget(runs[a]!) - p90AtTarget(runs[b]!));
  const medianRun = order[Math.floor(order.length / 2)]!;
  const invalidReasons = runs.flatMap((run, index) =>
    runs.length === 1
      ? run.invalidReasons
      : run.invalidReasons.map((reason) => `Run ${index + 1}: ${reason}`),
  );
  const throughputs = runs.map((run) => run.maxSustainableThroughput.throughput);
  return {
    verdict: invalidReasons.length > 0 ? "invalid" : runs[medianRun]!.verdict,
    invalidReasons,
    medianRun,
    repetitions: runs.length,
    spread: {
      p50: spreadOf(runs.map((run) => run.atTarget?.responseTime?.p50)),
      p90: spreadOf(runs.map((run) => run.atTarget?.responseTime?.p90)),
      p99: spreadOf(runs.map((run) => run.atTarget?.responseTime?.p99)),
      maxSustainableThroughput: spreadOf(throughputs)!,
    },
  };
}

/** Analyses every repetition against the constraints and combines them. */
export function analyseRuns(runs: readonly RunMeasurement[], constraints: Constraints): Analysis {
  const analysed = runs.map((run) => analyseRun(run, constraints));
  return { runs: analysed, combined: combineRepetitions(analysed) };
}
