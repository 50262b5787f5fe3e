import type { RunMeasurement } from "../loadgen/types.ts";
import type { Constraints, Percentile } from "../spec/types.ts";
import { formatNumber, formatRate } from "./format.ts";
import { generatorHealth, lagToleranceMs } from "./health.ts";
import { mergeHistograms, summariseLatency } from "./histograms.ts";
import { summarisePhase } from "./phases.ts";
import { type DecodedSecond, decodeSecond, summariseSecond } from "./seconds.ts";
import { maxSustainableThroughput, windowSeconds } from "./sustainable.ts";
import type { ConstraintResult, RunAnalysis, TargetRegion, Verdict } from "./types.ts";

/**
 * A span of seconds counts as "at target" when it offered at least this share of the target rate; by the
 * same token the minimum throughput is met at this share of it. A ramp-only plan's last window averages
 * just under the target, and Poisson arrivals scatter around it, even for a model that copes.
 */
export const AT_TARGET_SHARE = 0.95;

const PERCENTILE_ORDER: readonly Percentile[] = ["p50", "p90", "p99", "p99.9"];

/**
 * The seconds where latency budgets are judged: the hold phase when the plan has one, else the last
 * window of the ramp. Null when there is no such second.
 */
function targetRegion(ramp: DecodedSecond[], hold: DecodedSecond[], length: number): TargetRegion | null {
  const basis = hold.length > 0 ? "hold" : "end-of-ramp";
  const seconds = hold.length > 0 ? hold : ramp.slice(-length);
  if (seconds.length === 0) return null;
  const offered = seconds.reduce((sum, second) => sum + second.record.offered, 0);
  return {
    basis,
    fromSecond: seconds[0]!.record.second,
    toSecond: seconds[seconds.length - 1]!.record.second,
    offeredRate: offered / seconds.length,
    responseTime: summariseLatency(mergeHistograms(seconds.map((second) => second.responseTime))),
  };
}

/** Why the target rate was not offered for a full window, or null when it was. */
function targetShortfall(run: RunMeasurement, region: TargetRegion | null, length: number): string | null {
  const target = run.load.targetRate;
  const stopped = run.aborted
    ? `The run stopped at second ${run.aborted.atSecond} (${run.aborted.reason}) and `
    : "The plan ";
  if (region === null) {
    return `${stopped}never reached the ramp or hold phase: no second was measured at the target rate of ${formatRate(target)}.`;
  }
  const seconds = region.toSecond - region.fromSecond + 1;
  if (seconds < length && region.basis === "hold") {
    return (
      `${stopped}held the target rate for ${seconds} s, shorter than the ${length} s window ` +
      `the budgets are judged on${run.aborted ? "" : ": lengthen the hold phase"}.`
    );
  }
  if (seconds < length) {
    return (
      `${stopped}measured only ${seconds} s of the ramp, at ${formatRate(region.offeredRate)} on average, ` +
      `never the target rate of ${formatRate(target)} for a full ${length} s window.`
    );
  }
  if (region.offeredRate < AT_TARGET_SHARE * target) {
    const where = region.basis === "hold" ? "the hold phase" : `the last ${length} s of the ramp`;
    return (
      `${stopped}offered ${formatRate(region.offeredRate)} on average in ${where}, below ` +
      `${formatNumber(AT_TARGET_SHARE * 100)}% of the target rate of ${formatRate(target)}` +
      `${run.aborted ? "" : `: add a hold phase of at least ${length} s`}.`
    );
  }
  return null;
}

function judge(met: boolean, judgeable: boolean): Verdict {
  if (!judgeable) return "invalid";
  return met ? "pass" : "fail";
}

/** Analyses one repetition: per-second figures, phases, the maximum sustainable throughput and verdicts. */
export function analyseRun(run: RunMeasurement, constraints: Constraints): RunAnalysis {
  const decoded = run.seconds.map(decodeSecond).sort((a, b) => a.record.second - b.record.second);
  const ramp = decoded.filter((second) => second.record.phase === "ramp");
  const hold = decoded.filter((second) => second.record.phase === "hold");
  const measured = decoded.filter((second) => second.record.phase !== "warmup");
  const length = windowSeconds(constraints);

  const measuredPhase = summarisePhase("measured", measured);
  const atTarget = targetRegion(ramp, hold, length);
  const sustainable = maxSustainableThroughput(measured, constraints);

  const shortfall = targetShortfall(run, atTarget, length);
  const generator = generatorHealth(measured, run.connections, lagToleranceMs(constraints));
  const invalidReasons = [...(shortfall === null ? [] : [shortfall]), ...generator.problems];
  const notes: string[] = [];
  if (run.aborted && shortfall === null) {
    notes.push(
      `The run stopped at second ${run.aborted.atSecond} (${run.aborted.reason}) after the target rate was held for a full window.`,
    );
  }

  const trustworthy = generator.problems.length === 0;
  const constraintResults: ConstraintResult[] = [];
  for (const percentile of PERCENTILE_ORDER) {
    const budget = constraints.latencyMs[percentile];
    if (budget === undefined) continue;
    const measuredValue = atTarget?.responseTime?.[percentile] ?? null;
    constraintResults.push({
      name: `${percentile} response time at target`,
      kind: "latency",
      percentile,
      budget,
      measured: measuredValue,
      verdict: judge(measuredValue !== null && measuredValue <= budget, trustworthy && shortfall === null),
    });
  }
  const minThroughput = constraints.minThroughput ?? run.load.targetRate;
  const throughputMet = sustainable.throughput >= minThroughput * AT_TARGET_SHARE;
  constraintResults.push({
    name: "maximum sustainable throughput",
    kind: "throughput",
    budget: minThroughput,
    measured: sustainable.throughput,
    // A run that never offered the target can still prove a throughput, but cannot disprove it.
    verdict: judge(throughputMet, trustworthy && (shortfall === null || throughputMet)),
  });
  constraintResults.push({
    name: "error rate (ramp and hold)",
    kind: "errorRate",
    budget: constraints.maxErrorRate,
    measured: measuredPhase?.errorRate ?? null,
    verdict: judge(
      measuredPhase !== null &&
        measuredPhase.completed > 0 &&
        measuredPhase.errorRate <= constraints.maxErrorRate,
      trustworthy,
    ),
  });

  let verdict: Verdict = "pass";
  if (invalidReasons.length > 0) verdict = "invalid";
  else if (constraintResults.some((result) => result.verdict !== "pass")) verdict = "fail";

  return {
    verdict,
    invalidReasons,
    notes,
    constraints: constraintResults,
    phases: {
      ramp: summarisePhase("ramp", ramp),
      hold: summarisePhase("hold", hold),
      measured: measuredPhase,
    },
    atTarget,
    maxSustainableThroughput: sustainable,
    generator: generator.summary,
    seconds: decoded.map(summariseSecond),
  };
}
