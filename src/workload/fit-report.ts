import type { DiscretePowerLaw } from "../spec/types.ts";
import type { PowerLawFit } from "./fit.ts";
import type { FitReport } from "./fit-file.ts";

/** KS distances up to this read as a good fit of a power law (Clauset et al. use a bootstrap; this is a guide). */
const GOOD_KS = 0.05;
/** Synthetic and real top-1% shares further apart than this factor are flagged. */
const SHARE_RATIO_WARNING = 1.5;

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function integer(value: number): string {
  return value.toLocaleString("en-US");
}

function goodness(ks: number): string {
  return ks <= GOOD_KS ? "good" : "poor";
}

function describeFit(
  label: string,
  whole: PowerLawFit,
  tail: PowerLawFit | undefined,
  unit: string,
): string[] {
  const lines = [
    `${label}: exponent ${whole.exponent.toFixed(3)} ± ${whole.standardError.toFixed(3)} with x_min = ${whole.xmin}` +
      ` (KS ${whole.ks.toFixed(4)}, ${goodness(whole.ks)}; ${integer(whole.n)} ${unit})`,
  ];
  if (tail !== undefined) {
    lines.push(
      `  power-law tail: exponent ${tail.exponent.toFixed(3)} ± ${tail.standardError.toFixed(3)} from x_min = ${tail.xmin}` +
        ` (KS ${tail.ks.toFixed(4)}, ${goodness(tail.ks)}; ${integer(tail.nTail)} of ${integer(tail.n)} ${unit})`,
    );
  }
  return lines;
}

function lawSnippet(law: DiscretePowerLaw): string {
  const max = law.max === undefined ? "" : `, max: ${law.max}`;
  return `{ exponent: ${law.exponent}, xmin: ${law.xmin}${max} }`;
}

/** Human-readable fit of a click file, ending with a spec snippet ready to paste. */
export function renderFitReport(report: FitReport): string {
  const { source, realism, workload } = report;
  const sessions = source.sessions === undefined ? "" : `, ${integer(source.sessions)} sessions`;
  const lines = [
    `Click file ${source.path} (${source.kind}): ${integer(source.items)} items, ${integer(source.clicks)} clicks${sessions}`,
  ];
  if (source.zeroCountRows > 0) lines.push(`  ${integer(source.zeroCountRows)} rows with 0 clicks left out`);
  lines.push(
    "",
    ...describeFit("Item popularity", report.itemPopularity, report.itemPopularityTail, "items"),
  );
  lines.push(`  largest count ${integer(source.largestItemCount)}: the generated law is truncated there`);
  if (report.sessionLengths !== undefined) {
    lines.push(
      ...describeFit("Session lengths", report.sessionLengths, report.sessionLengthsTail, "sessions"),
    );
  }
  lines.push(
    "",
    `Realism (${integer(realism.catalogSize)} items, ${integer(realism.clicks)} synthetic clicks, seed ${realism.seed}):`,
    `  KS distance of clicks per clicked item, real vs synthetic: ${realism.ks.toFixed(4)}`,
    `  items clicked at least once: real ${integer(realism.clickedItems.real)}, synthetic ${integer(realism.clickedItems.synthetic)}`,
    `  clicks on the top 1% of items: real ${percent(realism.topShare.real)}, synthetic ${percent(realism.topShare.synthetic)}` +
      ` (${percent(realism.untruncatedTopShare)} without truncation)`,
  );
  const ratio = realism.topShare.synthetic / realism.topShare.real;
  if (ratio > SHARE_RATIO_WARNING || ratio < 1 / SHARE_RATIO_WARNING) {
    const direction = ratio > 1 ? "more" : "less";
    lines.push(
      `  warning: the synthetic clicks are ${direction} concentrated on the most popular items than the real ones;`,
      "  one power law does not reproduce this log's popularity, so read item-dependent latencies with care",
    );
  }
  lines.push("", "Spec snippet:", "workload:");
  if (workload.sessionLengths !== undefined)
    lines.push(`  sessionLengths: ${lawSnippet(workload.sessionLengths)}`);
  lines.push(`  itemPopularity: ${lawSnippet(workload.itemPopularity)}`);
  return `${lines.join("\n")}\n`;
}
