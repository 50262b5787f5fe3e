/** The sweep report: per scenario, ETUDE's Table I (cheapest setup that meets the budget) and charts. */
import { markdownTable } from "markdown-table";
import { escapeMarkdown } from "../report/escape.ts";
import type { MatrixScenario, Percentile, Spec } from "../spec/types.ts";
import { lineChartMermaid, lineChartSvg } from "./charts.ts";
import { answerCell, type CellAnswer, cheapestOption, compareOptions } from "./cost.ts";
import type { Cell } from "./expand.ts";
import type { CellRecord, SweepDocument } from "./types.ts";

export interface SweepReportOptions {
  /** Level of the report's title; sections sit one level below. Default 1. */
  headingLevel?: number;
  /**
   * Link the SVG charts as images next to sweep.md (default). Off where the files cannot be reached,
   * as in a pull-request comment: the charts are then named as files of the results directory.
   */
  linkCharts?: boolean;
}

export interface SweepReport {
  markdown: string;
  throughputSvg: string;
  /** Present when the scenarios vary the catalog size. */
  catalogSvg?: string;
}

const THROUGHPUT_BINS = 8;

function money(amount: number, currency: string): string {
  const formatted = amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency === "USD" ? `$${formatted}` : `${formatted} ${currency}`;
}

function figure(value: number | null, digits = 1): string {
  return value === null ? "–" : value.toFixed(digits);
}

function budgetText(scenario: MatrixScenario): string {
  const budgets = Object.entries(scenario.constraints.latencyMs) as [Percentile, number][];
  return budgets.length === 0 ? "no latency budget" : budgets.map(([p, ms]) => `${p} <= ${ms} ms`).join(", ");
}

function costText(answer: CellAnswer): string {
  return answer.monthlyCost === null || answer.currency === null
    ? "no price"
    : money(answer.monthlyCost, answer.currency);
}

/** Table I: one row per instance type and machine count, listing the models that meet the budget. */
function optionsTable(answers: readonly CellAnswer[], cheapest: CellAnswer | undefined): string {
  const rows: string[][] = [];
  const deployments = [...new Set(answers.map((answer) => answer.deployment))];
  for (const deployment of deployments) {
    const ofDeployment = answers.filter((answer) => answer.deployment === deployment);
    const feasible = ofDeployment.filter((answer) => answer.status === "feasible").toSorted(compareOptions);
    const instanceType = escapeMarkdown(ofDeployment[0]!.instanceType);
    if (feasible.length === 0) {
      rows.push([instanceType, "–", "–", "none"]);
      continue;
    }
    for (const machines of [...new Set(feasible.map((answer) => answer.machines!))]) {
      const group = feasible.filter((answer) => answer.machines === machines);
      const models = group.map((answer) => escapeMarkdown(answer.model)).join(", ");
      const row = [instanceType, String(machines), costText(group[0]!), models];
      rows.push(group.includes(cheapest!) ? row.map((cell) => `**${cell}**`) : row);
    }
  }
  return markdownTable(
    [["Instance type", "Machines", "Cost per month", "Models that meet the budget"], ...rows],
    {
      align: ["l", "r", "r", "l"],
    },
  );
}

function cellsTable(answers: readonly CellAnswer[]): string {
  const rows = answers.map((answer) => [
    escapeMarkdown(answer.model),
    escapeMarkdown(answer.deployment),
    figure(answer.perReplicaThroughput),
    figure(answer.p90AtTarget, 2),
    answer.machines === null ? "–" : String(answer.machines),
    answer.status === "feasible" ? costText(answer) : "–",
    answer.status === "feasible" ? "meets the budget" : escapeMarkdown(`${answer.status}: ${answer.reason}`),
  ]);
  return markdownTable(
    [
      [
        "Model",
        "Deployment",
        "Sustainable req/s per replica",
        "p90 at target (ms)",
        "Machines",
        "Cost per month",
        "Outcome",
      ],
      ...rows,
    ],
    { align: ["l", "l", "r", "r", "r", "r", "l"] },
  );
}

/** p90 per throughput bin of the scenario's target rate, for the Mermaid version of the throughput chart. */
function throughputMermaid(
  scenario: MatrixScenario,
  cells: readonly Cell[],
  records: Map<string, CellRecord>,
): string {
  const step = scenario.targetRate / THROUGHPUT_BINS;
  const categories = Array.from(
    { length: THROUGHPUT_BINS },
    (_, index) => `${Math.round((index + 1) * step)}`,
  );
  const series = cells.flatMap((cell) => {
    const record = records.get(cell.id);
    if (record?.status !== "measured") return [];
    const values = categories.map((_, index) => {
      const inBin = record.summary.curve.filter(
        (point) => point.throughput > index * step && point.throughput <= (index + 1) * step,
      );
      return inBin.length === 0 ? null : Math.max(...inBin.map((point) => point.p90));
    });
    return [{ label: `${cell.model.name}/${cell.deployment.name}`, values }];
  });
  const { chart, omitted } = lineChartMermaid({
    title: `p90 against throughput, ${scenario.name}`,
    xLabel: "throughput up to (req/s)",
    yLabel: "p90 (ms)",
    categories,
    series,
  });
  const lines = series.filter((line) => !omitted.includes(line.label)).map((line) => line.label);
  const notes = [`Lines in order: ${lines.join(", ") || "none"}.`];
  if (omitted.length > 0)
    notes.push(`Left out (no answers in some throughput range): ${omitted.join(", ")}.`);
  return `${chart}\n\n${escapeMarkdown(notes.join(" "))}`;
}

function catalogCharts(spec: Spec, cells: readonly Cell[], records: Map<string, CellRecord>) {
  const sizes = [...new Set(cells.map((cell) => cell.scenario.catalogSize))].toSorted((a, b) => a - b);
  if (sizes.length < 2) return undefined;
  const pairs = [...new Set(cells.map((cell) => `${cell.model.name}/${cell.deployment.name}`))];
  const p90At = (pair: string, size: number): number | null => {
    const values = cells.flatMap((cell) => {
      const record = records.get(cell.id);
      return `${cell.model.name}/${cell.deployment.name}` === pair &&
        cell.scenario.catalogSize === size &&
        record?.status === "measured" &&
        record.summary.p90AtTarget !== null
        ? [record.summary.p90AtTarget]
        : [];
    });
    return values.length === 0 ? null : Math.max(...values);
  };
  const series = pairs.map((pair) => ({ label: pair, values: sizes.map((size) => p90At(pair, size)) }));
  const svg = lineChartSvg({
    title: `${spec.name}: p90 at the target rate against catalog size`,
    xLabel: "catalog size (items, log scale)",
    yLabel: "p90 response time (ms)",
    logX: true,
    series: series.map((line) => ({
      label: line.label,
      points: sizes.flatMap((size, index) =>
        line.values[index] === null ? [] : [{ x: size, y: line.values[index]! }],
      ),
    })),
  });
  const { chart, omitted } = lineChartMermaid({
    title: "p90 at target against catalog size",
    xLabel: "catalog size",
    yLabel: "p90 (ms)",
    categories: sizes.map((size) => size.toLocaleString("en-US")),
    series,
  });
  const drawn = pairs.filter((pair) => !omitted.includes(pair));
  const notes = [`Lines in order: ${drawn.join(", ") || "none"}.`];
  if (omitted.length > 0)
    notes.push(`Left out (a catalog size without a measurement): ${omitted.join(", ")}.`);
  return { svg, markdown: `${chart}\n\n${escapeMarkdown(notes.join(" "))}` };
}

export function renderSweepReport(
  spec: Spec,
  document: SweepDocument,
  cells: readonly Cell[],
  options: SweepReportOptions = {},
): SweepReport {
  const level = options.headingLevel ?? 1;
  const title = "#".repeat(level);
  const section = "#".repeat(level + 1);
  const linkCharts = options.linkCharts ?? true;
  const records = new Map(document.cells.map((record) => [record.id, record]));
  const scenarios = [...new Map(cells.map((cell) => [cell.scenario.name, cell.scenario])).values()];
  const sections = [
    `${title} ${escapeMarkdown(spec.name)}: cheapest setup that meets the budget`,
    "Machines assume throughput grows linearly with replicas (one per machine). A setup that met every " +
      "budget at the target rate needs its measured replica count; one that fell short needs " +
      "ceil(target / sustainable throughput per replica), and at least one machine more than measured. " +
      "The cheapest option is in bold; ties go to fewer machines, then the deployment name, then the model name. " +
      "Costs are per machine rounded to cents, times machines; a price per hour counts 730 hours a month.",
  ];
  for (const scenario of scenarios) {
    const ofScenario = cells.filter((cell) => cell.scenario.name === scenario.name);
    const answers = ofScenario.flatMap((cell) => {
      const record = records.get(cell.id);
      return record === undefined ? [] : [answerCell(record, cell.deployment, scenario)];
    });
    const missing = ofScenario.filter((cell) => !records.has(cell.id)).map((cell) => cell.id);
    const cheapest = cheapestOption(answers);
    sections.push(
      `${section} ${escapeMarkdown(scenario.name)}: ${scenario.catalogSize.toLocaleString("en-US")} items at ${scenario.targetRate.toLocaleString("en-US")} req/s, ${budgetText(scenario)}`,
      cheapest === undefined
        ? answers.length > 0 && answers.every((answer) => answer.status === "unmeasured")
          ? "**No cell of this scenario could be measured**; see the reasons below."
          : "**No measured setup meets the budget in this scenario.**"
        : `Cheapest: **${escapeMarkdown(`${cheapest.machines} x ${cheapest.instanceType}`)}** running ${escapeMarkdown(cheapest.model)}, ${costText(cheapest)} per month.`,
      optionsTable(answers, cheapest),
      cellsTable(answers),
    );
    if (missing.length > 0) sections.push(`Not run yet: ${escapeMarkdown(missing.join(", "))}.`);
    sections.push(throughputMermaid(scenario, ofScenario, records));
  }
  const throughputSvg = lineChartSvg({
    title: `${spec.name}: p90 against throughput per model, deployment and scenario`,
    xLabel: "throughput (req/s)",
    yLabel: "p90 response time (ms)",
    series: cells.flatMap((cell) => {
      const record = records.get(cell.id);
      if (record?.status !== "measured") return [];
      const points = record.summary.curve.map((point) => ({ x: point.throughput, y: point.p90 }));
      return [{ label: cell.id, points: points.toSorted((a, b) => a.x - b.x) }];
    }),
  });
  const catalog = catalogCharts(spec, cells, records);
  const charts = [
    { file: "sweep-throughput.svg", alt: "p90 against throughput" },
    ...(catalog === undefined
      ? []
      : [{ file: "sweep-latency-vs-catalog.svg", alt: "p90 against catalog size" }]),
  ];
  sections.push(`${section} Charts`);
  if (linkCharts) sections.push(...charts.map((chart) => `![${chart.alt}](${chart.file})`));
  else {
    sections.push(
      `SVG charts in the results directory: ${charts.map((chart) => `\`${chart.file}\` (${chart.alt})`).join(", ")}.`,
    );
  }
  if (catalog !== undefined) sections.push(catalog.markdown);
  const report: SweepReport = { markdown: `${sections.join("\n\n")}\n`, throughputSvg };
  if (catalog !== undefined) report.catalogSvg = catalog.svg;
  return report;
}
