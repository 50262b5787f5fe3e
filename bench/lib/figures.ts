import { markdownTable } from "markdown-table";

/** One target of a part, as the summary shows it. */
export interface TargetCheck {
  part: string;
  target: string;
  measured: string;
  /** null when the figure could not be measured (a peer or a resource was missing). */
  met: boolean | null;
}

export interface PartResult {
  title: string;
  /** Markdown: tables and short notes. */
  text: string;
  targets: TargetCheck[];
}

export function table(header: string[], rows: (string | number)[][]): string {
  const align = header.map(() => "r" as const);
  return markdownTable([header, ...rows.map((row) => row.map(String))], { align });
}

export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits);
}

export function thousands(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Value at percentile `p` (0..100) of ascending `sorted`, nearest rank. */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
