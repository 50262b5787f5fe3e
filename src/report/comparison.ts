/** The base / head comparison table of a pull-request report: one row per metric. */
import { markdownTable } from "markdown-table";
import { formatMs, formatNumber, formatPercent, formatRate } from "../analysis/format.ts";
import type { MetricComparison, RegressionVerdict } from "../analysis/regression.ts";

const METRIC_LABEL: Record<string, string> = {
  p50Ms: "p50 response time at target",
  p90Ms: "p90 response time at target",
  p99Ms: "p99 response time at target",
  maxThroughput: "maximum sustainable throughput",
};

const VERDICT_LABEL: Record<RegressionVerdict, string> = {
  regression: "❌ regression",
  improvement: "🚀 improvement",
  unchanged: "✅ unchanged",
};

function isLatency(comparison: MetricComparison): boolean {
  return comparison.direction === "lower-is-better";
}

function value(comparison: MetricComparison, amount: number): string {
  return isLatency(comparison) ? formatMs(amount) : formatRate(amount);
}

function signed(comparison: MetricComparison, amount: number): string {
  const text = value(comparison, Math.abs(amount));
  return amount > 0 ? `+${text}` : amount < 0 ? `−${text}` : text;
}

function deltaText(comparison: MetricComparison): string {
  const relative =
    comparison.deltaRelative === null
      ? ""
      : ` (${comparison.deltaRelative > 0 ? "+" : comparison.deltaRelative < 0 ? "−" : ""}${formatPercent(Math.abs(comparison.deltaRelative), 1)})`;
  return `${signed(comparison, comparison.delta)}${relative}`;
}

function verdictText(comparison: MetricComparison): string {
  const label = VERDICT_LABEL[comparison.verdict];
  if (comparison.verdict !== "unchanged") return label;
  if (comparison.significant) return `${label} (below the ${value(comparison, comparison.floor)} floor)`;
  const { base, head } = comparison.repetitions;
  if (comparison.practical && Math.min(base, head) === 1) {
    return `${label} (one repetition cannot tell a change from noise)`;
  }
  if (comparison.practical) return `${label} (within the noise)`;
  return label;
}

/**
 * Base, head, delta, the interval of the delta and the verdict per metric. Deltas are head minus
 * base; a regression needs an interval that excludes zero and a delta above the floor.
 */
export function comparisonTable(comparisons: readonly MetricComparison[]): string {
  const rows = comparisons.map((comparison) => [
    METRIC_LABEL[comparison.metric] ?? comparison.metric,
    value(comparison, comparison.base),
    value(comparison, comparison.head),
    deltaText(comparison),
    `${signed(comparison, comparison.interval[0])} … ${signed(comparison, comparison.interval[1])}`,
    verdictText(comparison),
  ]);
  return markdownTable([["Metric", "Base", "Head", "Delta", "Interval", "Verdict"], ...rows], {
    align: ["l", "r", "r", "r", "r", "l"],
  });
}

/** One sentence on how the intervals were obtained, for under the table. */
export function comparisonMethod(comparisons: readonly MetricComparison[], confidence: number): string {
  const first = comparisons[0];
  if (first === undefined) return "No metric was measured on both sides.";
  const { base, head } = first.repetitions;
  const runs = `medians of ${formatNumber(base)} base and ${formatNumber(head)} head repetitions`;
  if (Math.min(base, head) === 1) {
    return (
      `Deltas are head minus base, ${runs}. One repetition a side gives one difference and no estimate of ` +
      "the noise, so no change is called a regression: run 3 or more repetitions to gate on regressions."
    );
  }
  if (comparisons.some((comparison) => comparison.intervalMethod === "range")) {
    return (
      `Deltas are head minus base, ${runs}. With 2 repetitions a side the interval is the range of all ` +
      "head-minus-base differences: a change counts only when every head run is worse than every base run."
    );
  }
  return `Deltas are head minus base, ${runs}; intervals are ${formatPercent(confidence, 0)} bootstrap intervals of the delta.`;
}
