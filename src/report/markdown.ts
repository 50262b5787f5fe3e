import { markdownTable } from "markdown-table";
import { formatMs, formatNumber, formatPercent, formatRate } from "../analysis/format.ts";
import { type IntervalSummary, summariseIntervals } from "../analysis/intervals.ts";
import type { ResultsDocument } from "../analysis/results.ts";
import type { ConstraintResult, LatencySummary, PhaseSummary, Spread, Verdict } from "../analysis/types.ts";
import { escapeMarkdown } from "./escape.ts";
import { latencyChart, rateChart } from "./mermaid.ts";

export interface MarkdownOptions {
  /** Heading level of the headline, 1..4; sections sit one level below. Default 2. */
  headingLevel?: number;
  /** Rows of the per-second table before seconds are grouped into intervals. Default 120. */
  maxTableRows?: number;
  /** Points of the Mermaid charts before seconds are grouped into intervals. Default 60. */
  maxChartPoints?: number;
}

const VERDICT_LABEL: Record<Verdict, string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  invalid: "⚠️ invalid",
};

const HEADLINE: Record<Verdict, string> = {
  pass: "✅ passed: every budget met",
  fail: "❌ failed: a budget was broken",
  invalid: "⚠️ invalid: the measurement cannot be trusted",
};

const NONE = "—";

function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? NONE : formatMs(value);
}

function budgetText(result: ConstraintResult): string {
  if (result.kind === "latency") return `≤ ${formatMs(result.budget)}`;
  if (result.kind === "throughput") return `≥ ${formatRate(result.budget)}`;
  return `≤ ${formatPercent(result.budget)}`;
}

function measuredText(result: ConstraintResult): string {
  if (result.measured === null) return NONE;
  if (result.kind === "latency") return formatMs(result.measured);
  if (result.kind === "throughput") return formatRate(result.measured);
  return formatPercent(result.measured);
}

function constraintsTable(constraints: readonly ConstraintResult[]): string {
  return markdownTable(
    [
      ["Constraint", "Budget", "Measured", "Verdict"],
      ...constraints.map((c) => [c.name, budgetText(c), measuredText(c), VERDICT_LABEL[c.verdict]]),
    ],
    { align: ["l", "r", "r", "l"] },
  );
}

function phaseRow(phase: PhaseSummary | null, label: string): string[] | null {
  if (phase === null) return null;
  const response: LatencySummary | null = phase.responseTime;
  return [
    label,
    `${phase.seconds} s`,
    formatNumber(phase.offered),
    formatNumber(phase.ok),
    formatNumber(phase.errorCount),
    formatNumber(phase.dropped),
    formatPercent(phase.errorRate),
    formatRate(phase.achievedThroughput),
    ms(response?.p50),
    ms(response?.p90),
    ms(response?.p99),
    ms(response?.max),
    ms(phase.serviceTime?.p90),
    ms(phase.serverTime?.p90),
  ];
}

function phasesTable(phases: ResultsDocument["analysis"]["runs"][number]["phases"]): string {
  const rows = [
    phaseRow(phases.ramp, "ramp"),
    phaseRow(phases.hold, "hold"),
    phaseRow(phases.measured, "**measured** (ramp + hold)"),
  ].filter((row): row is string[] => row !== null);
  const header = [
    "Phase",
    "Length",
    "Offered",
    "OK",
    "Errors",
    "Dropped",
    "Error rate",
    "Throughput",
    "p50",
    "p90",
    "p99",
    "max",
    "service p90",
    "server p90",
  ];
  return markdownTable([header, ...rows], { align: ["l", ...header.slice(1).map(() => "r")] });
}

function spreadRow(label: string, spread: Spread | null, format: (value: number) => string): string[] {
  if (spread === null) return [label, NONE, NONE, NONE];
  return [label, format(spread.min), format(spread.median), format(spread.max)];
}

function spreadTable(results: ResultsDocument): string {
  const { spread } = results.analysis.combined;
  return markdownTable(
    [
      ["At target", "Min", "Median", "Max"],
      spreadRow("p50 response time", spread.p50, formatMs),
      spreadRow("p90 response time", spread.p90, formatMs),
      spreadRow("p99 response time", spread.p99, formatMs),
      spreadRow("max sustainable throughput", spread.maxSustainableThroughput, formatRate),
    ],
    { align: ["l", "r", "r", "r"] },
  );
}

function secondsLabel(interval: IntervalSummary): string {
  return interval.fromSecond === interval.toSecond
    ? String(interval.fromSecond)
    : `${interval.fromSecond}–${interval.toSecond}`;
}

function intervalsTable(intervals: readonly IntervalSummary[]): string {
  const header = [
    "Second",
    "Phase",
    "Target",
    "Offered",
    "Achieved",
    "Errors",
    "Dropped",
    "Late",
    "In flight max",
    "p50",
    "p90",
    "p99",
    "max",
  ];
  const rows = intervals.map((interval) => [
    secondsLabel(interval),
    interval.phase,
    formatNumber(interval.targetRate),
    formatNumber(interval.offeredRate),
    formatNumber(interval.achievedRate),
    formatNumber(interval.errorCount),
    formatNumber(interval.dropped),
    interval.sent === 0 ? NONE : formatPercent(interval.late / interval.sent),
    formatNumber(interval.inFlightMax),
    ms(interval.responseTime?.p50),
    ms(interval.responseTime?.p90),
    ms(interval.responseTime?.p99),
    ms(interval.responseTime?.max),
  ]);
  return markdownTable([header, ...rows], { align: ["r", "l", ...header.slice(2).map(() => "r")] });
}

function environmentTable(results: ResultsDocument): string {
  const env = results.environment;
  const rows: string[][] = [
    ["etude", escapeMarkdown(results.etude.version)],
    ["Node", escapeMarkdown(env.node)],
    ["OS", escapeMarkdown(env.os)],
    ["CPU", `${escapeMarkdown(env.cpuModel)} × ${env.cpus}`],
    ["Memory", `${formatNumber(env.memoryBytes / 1024 ** 3)} GiB`],
    ["Target", escapeMarkdown(env.target)],
    ...Object.entries(env.kubernetes ?? {})
      .filter(([, value]) => podsOf(value) === undefined)
      .map(([key, value]) => [
        `Kubernetes ${escapeMarkdown(key)}`,
        escapeMarkdown(typeof value === "string" ? value : JSON.stringify(value)),
      ]),
    ["Spec digest", escapeMarkdown(results.specDigest)],
    ["Fingerprint", escapeMarkdown(env.fingerprint)],
    ["Measured at", escapeMarkdown(results.createdAt)],
  ];
  return markdownTable([["", ""], ...rows], { align: ["l", "l"] });
}

interface PodFacts {
  pod?: string;
  node?: string;
  instanceType?: string;
  allocatable?: { cpu?: string; memory?: string; gpu?: string };
  images?: { image?: string; imageID?: string }[];
}

function podsOf(value: unknown): PodFacts[] | undefined {
  const pods = (value as { pods?: unknown } | null)?.pods;
  return Array.isArray(pods) ? (pods as PodFacts[]) : undefined;
}

/** Where each pod of a Kubernetes run ran: node, instance type, allocatable resources, image digest. */
function podsTable(results: ResultsDocument): string | undefined {
  const rows = Object.entries(results.environment.kubernetes ?? {}).flatMap(([role, value]) =>
    (podsOf(value) ?? []).map((pod) => [
      escapeMarkdown(role),
      escapeMarkdown(pod.pod ?? "?"),
      escapeMarkdown(pod.node ?? "?"),
      escapeMarkdown(pod.instanceType ?? "?"),
      escapeMarkdown(
        `${pod.allocatable?.cpu ?? "?"} CPU, ${pod.allocatable?.memory ?? "?"}, ${pod.allocatable?.gpu ?? "0"} GPU`,
      ),
      escapeMarkdown((pod.images ?? []).map((image) => image.imageID || image.image || "?").join(", ")),
    ]),
  );
  if (rows.length === 0) return undefined;
  return markdownTable([["Role", "Pod", "Node", "Instance type", "Node allocatable", "Image"], ...rows]);
}

function secondsSpan(from: number, to: number): string {
  return from === to ? `second ${from}` : `seconds ${from}–${to}`;
}

function generatorText(results: ResultsDocument, run: number): string {
  const generator = results.analysis.runs[run]!.generator;
  return (
    `**Load generator:** p99 send lag ${formatMs(generator.sendLagP99Ms)} ` +
    `(the run is invalid past ${formatMs(generator.lagToleranceMs)}), ` +
    `${formatPercent(generator.lateShare)} of requests sent more than 1 ms late, ` +
    `worst event-loop delay p99 ${formatMs(generator.worstEventLoopDelayP99Ms)}.`
  );
}

function sustainableText(results: ResultsDocument, run: number): string {
  const sustainable = results.analysis.runs[run]!.maxSustainableThroughput;
  if (sustainable.window === null) {
    return `**Maximum sustainable throughput:** none: no ${sustainable.windowSeconds} s window met every budget.`;
  }
  const { window } = sustainable;
  return (
    `**Maximum sustainable throughput:** ${formatRate(sustainable.throughput)}, ` +
    `the best ${sustainable.windowSeconds} s window within every budget (${secondsSpan(window.fromSecond, window.toSecond)}, ` +
    `offered ${formatRate(window.offeredRate)}, p90 ${formatMs(window.responseTime.p90)}).`
  );
}

/** The pull-request comment: verdict first, then the evidence. Text from outside is escaped. */
export function renderMarkdown(results: ResultsDocument, options: MarkdownOptions = {}): string {
  const level = Math.min(Math.max(options.headingLevel ?? 2, 1), 4);
  const heading = "#".repeat(level);
  const section = "#".repeat(level + 1);
  const { combined } = results.analysis;
  const run = combined.medianRun;
  const analysis = results.analysis.runs[run]!;
  const median = results.runs[run]!;
  const { load } = results.spec;

  const parts: string[] = [];
  parts.push(`${heading} etude · ${escapeMarkdown(results.spec.name)} · ${HEADLINE[combined.verdict]}`);
  const repetitionText =
    combined.repetitions === 1
      ? "one run"
      : `${combined.repetitions} runs; figures from run ${run + 1}, the median by p90 at target`;
  parts.push(
    `Target ${formatRate(load.targetRate)} after a ${formatNumber(load.rampUpMs / 1000)} s ramp, ` +
      `held ${formatNumber(load.holdMs / 1000)} s (${repetitionText}).`,
  );
  if (combined.invalidReasons.length > 0) {
    parts.push(combined.invalidReasons.map((reason) => `- ${escapeMarkdown(reason)}`).join("\n"));
  }
  const notes = results.analysis.runs.flatMap((r) => r.notes);
  if (notes.length > 0) parts.push(notes.map((note) => `- ${escapeMarkdown(note)}`).join("\n"));

  parts.push(`${section} Constraints`, constraintsTable(analysis.constraints));
  const atTarget = analysis.atTarget;
  if (atTarget !== null) {
    const where = atTarget.basis === "hold" ? "the hold phase" : "the last window of the ramp";
    parts.push(
      `Latency budgets are judged on ${where} (${secondsSpan(atTarget.fromSecond, atTarget.toSecond)}, ` +
        `offered ${formatRate(atTarget.offeredRate)}), on response time measured from the intended send time.`,
    );
  }
  parts.push(sustainableText(results, run), generatorText(results, run));

  parts.push(`${section} Phases`, phasesTable(analysis.phases));
  if (combined.repetitions > 1)
    parts.push(`${section} Spread across ${combined.repetitions} runs`, spreadTable(results));

  const measuredRun = { ...median, seconds: median.seconds.filter((second) => second.phase !== "warmup") };
  if (measuredRun.seconds.length > 0) {
    const chartIntervals = summariseIntervals(measuredRun, options.maxChartPoints ?? 60);
    parts.push(
      `${section} Over time`,
      "Request rate: offered (first line) and achieved (second line).",
      rateChart(chartIntervals),
      "Response time: p50, p90, p99, then the budgets as flat lines.",
      latencyChart(chartIntervals, results.spec.constraints.latencyMs),
    );
  }

  const tableIntervals = summariseIntervals(median, options.maxTableRows ?? 120);
  const grouped = tableIntervals.some((interval) => interval.toSecond > interval.fromSecond);
  parts.push(
    [
      "<details>",
      `<summary>Per-second measurements${grouped ? " (grouped into intervals; percentiles over each whole interval)" : ""}</summary>`,
      "",
      intervalsTable(tableIntervals),
      "",
      "</details>",
    ].join("\n"),
  );

  parts.push(`${section} Environment`, environmentTable(results));
  const pods = podsTable(results);
  if (pods !== undefined) parts.push(pods);
  return `${parts.join("\n\n")}\n`;
}
