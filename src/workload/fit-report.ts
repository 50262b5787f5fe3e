import type { CountDistribution } from "../spec/types.ts";
import type { CandidateModel, CountModelFit } from "./count-model.ts";
import type { FitReport, ItemModel } from "./fit-file.ts";

/** KS distances up to this read as a good fit of a power law (Clauset et al. use a bootstrap; this is a guide). */
const GOOD_KS = 0.05;
/** Synthetic and real top-1% shares further apart than this factor are flagged. */
const SHARE_RATIO_WARNING = 1.5;
/** Body probabilities per line of the spec snippet. */
const BODY_PER_LINE = 8;

const MODEL_NAMES = { powerlaw: "power law", "powerlaw-tail": "power-law tail over the body" } as const;

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Two significant digits: the tail's share of the mass is often well below 1%. */
function smallPercent(share: number): string {
  return `${Number((share * 100).toPrecision(2))}%`;
}

function integer(value: number): string {
  return value.toLocaleString("en-US");
}

/** Four decimals, or two significant digits below 0.0001 (an empirical body fits its own data closely). */
function distance(ks: number): string {
  return ks < 1e-4 ? ks.toPrecision(2) : ks.toFixed(4);
}

function goodness(ks: number): string {
  return ks <= GOOD_KS ? "good" : "poor";
}

function describeFit(label: string, fit: CountModelFit, unit: string): string[] {
  const { wholeRange, tail, powerLaw, powerLawTail } = fit;
  const lines = [
    `${label} (${integer(wholeRange.n)} ${unit}):`,
    `  ${MODEL_NAMES.powerlaw}: exponent ${wholeRange.exponent.toFixed(3)} ± ${wholeRange.standardError.toFixed(3)} from x_min = 1` +
      ` (KS ${distance(powerLaw.ks)}, ${goodness(powerLaw.ks)})`,
  ];
  if (powerLawTail === undefined) {
    lines.push("  Clauset's x_min is 1: the power law holds over the whole range, no body is needed");
  } else {
    const tailMass = 1 - bodyOf(powerLawTail).reduce((sum, probability) => sum + probability, 0);
    lines.push(
      `  ${MODEL_NAMES["powerlaw-tail"]}: exponent ${tail.exponent.toFixed(3)} ± ${tail.standardError.toFixed(3)} from x_min = ${tail.xmin}` +
        ` (KS ${distance(powerLawTail.ks)}, ${goodness(powerLawTail.ks)}; tail alone KS ${distance(tail.ks)},` +
        ` ${integer(tail.nTail)} ${unit}, ${smallPercent(tailMass)} of the mass)`,
    );
  }
  const comparison = `the power law fitted from x_min = 1 has KS ${distance(wholeRange.ks)}, the tail from x_min = ${tail.xmin} ${distance(tail.ks)}`;
  const reason =
    fit.recommended === "powerlaw-tail"
      ? `${comparison}: a power law holds only in the tail`
      : powerLawTail === undefined
        ? "Clauset's x_min is 1"
        : `${comparison}: one power law fits as well`;
  lines.push(`  recommended: ${MODEL_NAMES[fit.recommended]} (${reason})`);
  return lines;
}

function bodyOf(model: CandidateModel): number[] {
  return model.distribution.kind === "powerlaw-tail" ? model.distribution.body : [];
}

function realismLines(report: FitReport): string[] {
  const { powerLaw, powerLawTail } = report.itemPopularity;
  const models: [string, ItemModel][] = [[MODEL_NAMES.powerlaw, powerLaw]];
  if (powerLawTail !== undefined) models.push([MODEL_NAMES["powerlaw-tail"], powerLawTail]);
  const { realism } = powerLaw;
  const each = (figure: (model: ItemModel) => string) =>
    models.map(([name, model]) => `${name} ${figure(model)}`).join(", ");
  return [
    `Realism (${integer(realism.catalogSize)} items, ${integer(realism.clicks)} synthetic clicks, seed ${realism.seed}):`,
    `  clicks on the top 1% of items: real ${percent(realism.topShare.real)}; ${each((model) => percent(model.realism.topShare.synthetic))}`,
    `  items clicked at least once: real ${integer(realism.clickedItems.real)}; ${each((model) => integer(model.realism.clickedItems.synthetic))}`,
    `  KS distance of clicks per clicked item, real vs synthetic: ${each((model) => distance(model.realism.ks))}`,
    "  (clicks are drawn with the model's counts as weights, as in a benchmark, so an item of count 1 gets",
    "  no click about a third of the time: synthetic logs have fewer clicked items and a thinner body)",
  ];
}

function shareWarning(report: FitReport): string[] {
  const { itemPopularity } = report;
  const chosen =
    itemPopularity.recommended === "powerlaw-tail" ? itemPopularity.powerLawTail! : itemPopularity.powerLaw;
  const { topShare } = chosen.realism;
  const ratio = topShare.synthetic / topShare.real;
  if (ratio <= SHARE_RATIO_WARNING && ratio >= 1 / SHARE_RATIO_WARNING) return [];
  const direction = ratio > 1 ? "more" : "less";
  return [
    `  warning: the recommended model's clicks are ${direction} concentrated on the most popular items than the real ones;`,
    "  read item-dependent latencies with care",
  ];
}

/** A distribution as YAML to paste under `workload:`, the body wrapped over several lines. */
export function distributionSnippet(field: string, distribution: CountDistribution): string[] {
  switch (distribution.kind) {
    case "powerlaw": {
      const max = distribution.max === undefined ? "" : `, max: ${distribution.max}`;
      return [`  ${field}: { exponent: ${distribution.exponent}, xmin: ${distribution.xmin}${max} }`];
    }
    case "power-function":
      return [`  ${field}: { a: ${distribution.a}, loc: ${distribution.loc}, scale: ${distribution.scale} }`];
    case "powerlaw-tail": {
      const { body, tail } = distribution;
      const rows: string[] = [];
      for (let start = 0; start < body.length; start += BODY_PER_LINE)
        rows.push(body.slice(start, start + BODY_PER_LINE).join(", "));
      const max = tail.max === undefined ? "" : `, max: ${tail.max}`;
      return [
        `  ${field}:`,
        `    # P(x) for x = 1 .. ${tail.xmin - 1}; the tail holds the rest`,
        `    body: [${rows.join(",\n           ")}]`,
        `    tail: { exponent: ${tail.exponent}, xmin: ${tail.xmin}${max} }`,
      ];
    }
  }
}

/** Human-readable fit of a click file, ending with a spec snippet of the recommended models. */
export function renderFitReport(report: FitReport): string {
  const { source, workload } = report;
  const sessions = source.sessions === undefined ? "" : `, ${integer(source.sessions)} sessions`;
  const lines = [
    `Click file ${source.path} (${source.kind}): ${integer(source.items)} items, ${integer(source.clicks)} clicks${sessions}`,
  ];
  if (source.zeroCountRows > 0) lines.push(`  ${integer(source.zeroCountRows)} rows with 0 clicks left out`);
  lines.push("", ...describeFit("Item popularity", report.itemPopularity, "items"));
  lines.push(`  largest count ${integer(source.largestItemCount)}: both models are truncated there`);
  if (report.sessionLengths !== undefined) {
    lines.push("", ...describeFit("Session lengths", report.sessionLengths, "sessions"));
  }
  lines.push("", ...realismLines(report), ...shareWarning(report));
  lines.push("", "Spec snippet (the recommended models):", "workload:");
  if (workload.sessionLengths !== undefined)
    lines.push(...distributionSnippet("sessionLengths", workload.sessionLengths));
  lines.push(...distributionSnippet("itemPopularity", workload.itemPopularity));
  return `${lines.join("\n")}\n`;
}
