import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ResultsDocument } from "../analysis/results.ts";
import { type MarkdownOptions, renderMarkdown } from "./markdown.ts";
import { renderSvgChart } from "./svg.ts";

/** Writes report.md and chart.svg into `directory`, creating it if needed; returns both paths. */
export async function writeReport(
  directory: string,
  results: ResultsDocument,
  options: MarkdownOptions = {},
): Promise<{ markdown: string; chart: string }> {
  await mkdir(directory, { recursive: true });
  const markdown = join(directory, "report.md");
  const chart = join(directory, "chart.svg");
  await writeFile(markdown, renderMarkdown(results, options), "utf8");
  await writeFile(chart, renderSvgChart(results), "utf8");
  return { markdown, chart };
}
