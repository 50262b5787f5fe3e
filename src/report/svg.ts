import type { ResultsDocument } from "../analysis/results.ts";
import type { SecondSummary } from "../analysis/types.ts";
import type { Percentile } from "../spec/types.ts";
import { escapeXml } from "./escape.ts";

const WIDTH = 900;
const PANEL_HEIGHT = 260;
const MARGIN = { top: 56, right: 150, bottom: 44, left: 72 };
const PANEL_GAP = 40;
const HEIGHT = MARGIN.top + 2 * PANEL_HEIGHT + PANEL_GAP + MARGIN.bottom;
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;

const COLORS = {
  offered: "#8c8c8c",
  achieved: "#1f77b4",
  p50: "#2ca02c",
  p90: "#ff7f0e",
  p99: "#d62728",
  budget: "#6f42c1",
  warmup: "#eeeeee",
  grid: "#e3e3e3",
  axis: "#333333",
} as const;

interface Series {
  label: string;
  color: string;
  width: number;
  /** One value per second; null leaves a gap. */
  values: (number | null)[];
}

interface Panel {
  top: number;
  title: string;
  yLabel: string;
  scale: (value: number) => number;
  ticks: number[];
  formatTick: (value: number) => string;
}

function round(value: number): string {
  return value.toFixed(1);
}

function niceStep(range: number, targetTicks: number): number {
  const raw = range / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalised = raw / magnitude;
  const nice = [1, 2, 2.5, 5, 10].find((step) => normalised <= step) ?? 10;
  return nice * magnitude;
}

function linearPanel(top: number, title: string, yLabel: string, maxValue: number): Panel {
  const step = niceStep(Math.max(maxValue, 1), 5);
  const max = Math.ceil((Math.max(maxValue, 1) * 1.05) / step) * step;
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step);
  return {
    top,
    title,
    yLabel,
    scale: (value) => top + PANEL_HEIGHT - (value / max) * PANEL_HEIGHT,
    ticks,
    formatTick: (value) => value.toLocaleString("en-US"),
  };
}

/** Latencies span orders of magnitude (sub-millisecond to timeouts): a log axis keeps all readable. */
function logPanel(top: number, title: string, yLabel: string, minValue: number, maxValue: number): Panel {
  const low = 10 ** Math.floor(Math.log10(Math.max(minValue, 0.001)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(maxValue * 1.01, low * 10)));
  const span = Math.log10(high) - Math.log10(low);
  const ticks: number[] = [];
  for (let decade = low; decade < high * 1.001; decade *= 10) {
    for (const factor of span > 3 ? [1] : [1, 2, 5]) {
      const tick = Number((decade * factor).toPrecision(3));
      if (tick <= high * 1.001) ticks.push(tick);
    }
  }
  return {
    top,
    title,
    yLabel,
    scale: (value) =>
      top + PANEL_HEIGHT - ((Math.log10(Math.max(value, low)) - Math.log10(low)) / span) * PANEL_HEIGHT,
    ticks,
    formatTick: (value) => `${value.toLocaleString("en-US", { maximumFractionDigits: 3 })}`,
  };
}

function path(
  seconds: readonly SecondSummary[],
  series: Series,
  x: (s: number) => number,
  panel: Panel,
): string {
  const segments: string[] = [];
  let current: string[] = [];
  seconds.forEach((second, index) => {
    const value = series.values[index];
    if (value === null || value === undefined) {
      if (current.length > 0) segments.push(current.join(" "));
      current = [];
      return;
    }
    current.push(
      `${current.length === 0 ? "M" : "L"}${round(x(second.second + 0.5))},${round(panel.scale(value))}`,
    );
  });
  if (current.length > 0) segments.push(current.join(" "));
  if (segments.length === 0) return "";
  return `<path d="${segments.join(" ")}" fill="none" stroke="${series.color}" stroke-width="${series.width}"/>`;
}

function frame(panel: Panel, xTicks: readonly number[], x: (s: number) => number): string[] {
  const bottom = panel.top + PANEL_HEIGHT;
  const right = MARGIN.left + PLOT_WIDTH;
  const parts: string[] = [];
  for (const tick of panel.ticks) {
    const y = round(panel.scale(tick));
    parts.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${right}" y2="${y}" stroke="${COLORS.grid}"/>`);
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${panel.formatTick(tick)}</text>`,
    );
  }
  for (const tick of xTicks) {
    const xPosition = round(x(tick));
    parts.push(
      `<line x1="${xPosition}" y1="${bottom}" x2="${xPosition}" y2="${bottom + 4}" stroke="${COLORS.axis}"/>`,
    );
    parts.push(`<text x="${xPosition}" y="${bottom + 16}" text-anchor="middle">${tick}</text>`);
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${panel.top}" width="${PLOT_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="${COLORS.axis}"/>`,
    `<text x="${MARGIN.left}" y="${panel.top - 8}" font-weight="bold">${escapeXml(panel.title)}</text>`,
    `<text transform="translate(18,${round(panel.top + PANEL_HEIGHT / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
    `<text x="${round(MARGIN.left + PLOT_WIDTH / 2)}" y="${bottom + 32}" text-anchor="middle">time since start (s)</text>`,
  );
  return parts;
}

function legend(
  panel: Panel,
  entries: readonly { label: string; color: string; width?: number; dashed?: boolean }[],
): string[] {
  const left = MARGIN.left + PLOT_WIDTH + 14;
  return entries.flatMap((entry, index) => {
    const y = panel.top + 12 + index * 18;
    const dash = entry.dashed ? ' stroke-dasharray="6 4"' : "";
    return [
      `<line x1="${left}" y1="${y}" x2="${left + 22}" y2="${y}" stroke="${entry.color}" stroke-width="${entry.width ?? 2}"${dash}/>`,
      `<text x="${left + 28}" y="${y}" dominant-baseline="middle">${escapeXml(entry.label)}</text>`,
    ];
  });
}

/**
 * A self-contained SVG of the representative run: offered and achieved rate over time, and p50/p90/p99
 * response time on a log axis with the latency budgets as dashed lines. Warm-up is shaded.
 */
export function renderSvgChart(results: ResultsDocument): string {
  const run = results.analysis.runs[results.analysis.combined.medianRun]!;
  const seconds = run.seconds;
  const budgets = Object.entries(results.spec.constraints.latencyMs).filter(
    (entry): entry is [Percentile, number] => entry[1] !== undefined,
  );
  const first = seconds[0]?.second ?? 0;
  const last = (seconds[seconds.length - 1]?.second ?? 0) + 1;
  const x = (second: number) => MARGIN.left + ((second - first) / Math.max(last - first, 1)) * PLOT_WIDTH;
  const xStep = niceStep(Math.max(last - first, 1), 10);
  const xTicks: number[] = [];
  for (let tick = Math.ceil(first / xStep) * xStep; tick <= last; tick += xStep) xTicks.push(tick);

  const rates: Series[] = [
    // Offered is drawn wide underneath so that achieved stays visible where they coincide.
    { label: "offered", color: COLORS.offered, width: 5, values: seconds.map((s) => s.offered) },
    { label: "achieved", color: COLORS.achieved, width: 1.6, values: seconds.map((s) => s.ok) },
  ];
  const latencies: Series[] = (["p50", "p90", "p99"] as const).map((percentile) => ({
    label: percentile,
    color: COLORS[percentile],
    width: 1.6,
    values: seconds.map((s) => s.responseTime?.[percentile] ?? null),
  }));

  const ratePanel = linearPanel(
    MARGIN.top,
    "Request rate",
    "requests per second",
    Math.max(0, ...rates.flatMap((series) => series.values as number[])),
  );
  const latencyValues = [
    ...latencies.flatMap((series) => series.values.filter((v): v is number => v !== null)),
    ...budgets.map(([, budget]) => budget),
  ];
  const latencyPanel = logPanel(
    MARGIN.top + PANEL_HEIGHT + PANEL_GAP,
    "Response time (log scale)",
    "milliseconds",
    latencyValues.length > 0 ? Math.min(...latencyValues) : 1,
    latencyValues.length > 0 ? Math.max(...latencyValues) : 10,
  );

  const warmup = seconds.filter((s) => s.phase === "warmup");
  const shading = [ratePanel, latencyPanel].flatMap((panel) => {
    if (warmup.length === 0) return [];
    const from = x(warmup[0]!.second);
    const to = x(warmup[warmup.length - 1]!.second + 1);
    return [
      `<rect x="${round(from)}" y="${panel.top}" width="${round(to - from)}" height="${PANEL_HEIGHT}" fill="${COLORS.warmup}"/>`,
      `<text x="${round(from + 4)}" y="${panel.top + 14}" fill="#777777">warm-up</text>`,
    ];
  });

  const budgetLines = budgets.flatMap(([percentile, budget]) => {
    const y = latencyPanel.scale(budget);
    return [
      `<line class="budget" x1="${MARGIN.left}" y1="${round(y)}" x2="${MARGIN.left + PLOT_WIDTH}" y2="${round(y)}" stroke="${COLORS.budget}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      `<text x="${MARGIN.left + PLOT_WIDTH - 4}" y="${round(y - 4)}" text-anchor="end" fill="${COLORS.budget}">${percentile} budget ${budget} ms</text>`,
    ];
  });

  const title = `etude · ${results.spec.name} · ${results.analysis.combined.verdict}`;
  const body = [
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="26" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...shading,
    ...frame(ratePanel, xTicks, x),
    ...rates.map((series) => path(seconds, series, x, ratePanel)),
    ...legend(ratePanel, rates),
    ...frame(latencyPanel, xTicks, x),
    ...budgetLines,
    ...latencies.map((series) => path(seconds, series, x, latencyPanel)),
    ...legend(latencyPanel, [
      ...latencies,
      ...budgets.map(([percentile]) => ({
        label: `${percentile} budget`,
        color: COLORS.budget,
        dashed: true,
      })),
    ]),
  ].filter((part) => part !== "");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11" fill="${COLORS.axis}" role="img">`,
    // Screen readers announce the chart by its title.
    `  <title>${escapeXml(`${title}: request rate and response time over time`)}</title>`,
    ...body.map((part) => `  ${part}`),
    "</svg>",
    "",
  ].join("\n");
}
