/** Sweep charts: p90 against throughput per cell (ETUDE's Figure 4), and p90 against catalog size. */
import { escapeXml } from "../report/escape.ts";

export interface ChartSeries {
  label: string;
  points: { x: number; y: number }[];
}

const WIDTH = 900;
const HEIGHT = 460;
const MARGIN = { top: 48, right: 260, bottom: 56, left: 72 };
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

function short(value: number): string {
  return String(Number(value.toPrecision(3)));
}

function ticks(max: number): number[] {
  const raw = Math.max(max, 1e-9) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((nice) => raw / magnitude <= nice) ?? 10) * magnitude;
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, index) => index * step);
}

/** A line chart; `logX` spaces the x axis by powers of ten (catalog sizes). */
export function lineChartSvg(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  logX?: boolean;
}): string {
  const { series, logX = false } = options;
  const all = series.flatMap((line) => line.points);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xs = all.map((point) => (logX ? Math.log10(point.x) : point.x));
  const xMin = logX ? Math.floor(Math.min(...xs, 1)) : 0;
  const xTicks = logX
    ? Array.from({ length: Math.max(1, Math.ceil(Math.max(...xs, xMin + 1)) - xMin) + 1 }, (_, i) => xMin + i)
    : ticks(Math.max(...xs, 1));
  const xMax = xTicks.at(-1)!;
  const yTicks = ticks(Math.max(...all.map((point) => point.y), 1));
  const yMax = yTicks.at(-1)!;
  const px = (x: number) => MARGIN.left + (((logX ? Math.log10(x) : x) - xMin) / (xMax - xMin)) * plotWidth;
  const py = (y: number) => MARGIN.top + plotHeight - (y / yMax) * plotHeight;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="28" font-size="16">${escapeXml(options.title)}</text>`,
  ];
  for (const tick of yTicks) {
    const y = py(tick).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y}" y2="${y}" stroke="#e3e3e3"/>`,
      `<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${short(tick)}</text>`,
    );
  }
  for (const tick of xTicks) {
    const x = (MARGIN.left + ((tick - xMin) / (xMax - xMin)) * plotWidth).toFixed(1);
    const label = logX ? short(10 ** tick) : short(tick);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#e3e3e3"/>`,
      `<text x="${x}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${label}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  series.forEach((line, index) => {
    const color = PALETTE[index % PALETTE.length];
    const points = line.points
      .map((point) => `${px(point.x).toFixed(1)},${py(point.y).toFixed(1)}`)
      .join(" ");
    parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    for (const point of line.points) {
      parts.push(
        `<circle cx="${px(point.x).toFixed(1)}" cy="${py(point.y).toFixed(1)}" r="2.5" fill="${color}"/>`,
      );
    }
    const legendY = MARGIN.top + 8 + index * 18;
    const legendX = WIDTH - MARGIN.right + 16;
    parts.push(
      `<rect x="${legendX}" y="${legendY - 6}" width="12" height="12" fill="${color}"/>`,
      `<text x="${legendX + 18}" y="${legendY}" dominant-baseline="middle">${escapeXml(line.label)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/**
 * The same data as a Mermaid xychart: x values become categories, so every series must have a value for
 * each category; series that lack one are left out and named in `omitted`.
 */
export function lineChartMermaid(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  categories: readonly string[];
  series: readonly { label: string; values: (number | null)[] }[];
}): { chart: string; omitted: string[] } {
  const complete = options.series.filter((line) => line.values.every((value) => value !== null));
  const omitted = options.series.filter((line) => !complete.includes(line)).map((line) => line.label);
  const max = Math.max(1, ...complete.flatMap((line) => line.values as number[]));
  const chart = [
    "```mermaid",
    "xychart-beta",
    `    title "${options.title.replaceAll('"', "'")}"`,
    `    x-axis "${options.xLabel}" [${options.categories.map((category) => `"${category}"`).join(", ")}]`,
    `    y-axis "${options.yLabel}" 0 --> ${short(max * 1.1)}`,
    ...complete.map((line) => `    line [${(line.values as number[]).map(short).join(", ")}]`),
    "```",
  ].join("\n");
  return { chart, omitted };
}
