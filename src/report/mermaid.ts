import type { IntervalSummary } from "../analysis/intervals.ts";
import type { Percentile } from "../spec/types.ts";

function number(value: number): string {
  return String(Number(value.toPrecision(4)));
}

function axisLabels(intervals: readonly IntervalSummary[]): string {
  return intervals.map((interval) => `"${interval.fromSecond}"`).join(", ");
}

function line(values: readonly number[]): string {
  return `    line [${values.map(number).join(", ")}]`;
}

function upperBound(values: readonly number[]): number {
  const max = Math.max(0, ...values);
  return max === 0 ? 1 : Number((max * 1.1).toPrecision(2));
}

function chart(title: string, labels: string, yAxis: string, series: readonly number[][]): string {
  return [
    "```mermaid",
    "xychart-beta",
    `    title "${title}"`,
    `    x-axis "second of the run" [${labels}]`,
    `    y-axis "${yAxis}" 0 --> ${number(upperBound(series.flat()))}`,
    ...series.map(line),
    "```",
  ].join("\n");
}

/** Offered and achieved rate per interval; lines in that order. */
export function rateChart(intervals: readonly IntervalSummary[]): string {
  return chart("Request rate", axisLabels(intervals), "requests per second", [
    intervals.map((interval) => interval.offeredRate),
    intervals.map((interval) => interval.achievedRate),
  ]);
}

/**
 * p50, p90 and p99 response time per interval, then one flat line per latency budget. Intervals without
 * a successful answer have no latency and are left out rather than drawn as zero.
 */
export function latencyChart(
  intervals: readonly IntervalSummary[],
  budgets: Partial<Record<Percentile, number>>,
): string {
  const answered = intervals.filter((interval) => interval.responseTime !== null);
  const percentiles = (["p50", "p90", "p99"] as const).map((percentile) =>
    answered.map((interval) => interval.responseTime![percentile]),
  );
  const budgetLines = Object.values(budgets)
    .filter((budget): budget is number => budget !== undefined)
    .map((budget) => answered.map(() => budget));
  return chart("Response time", axisLabels(answered), "milliseconds", [...percentiles, ...budgetLines]);
}
