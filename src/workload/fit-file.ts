import type { CountDistribution } from "../spec/types.ts";
import { readClickFile } from "./click-file.ts";
import {
  type CandidateModel,
  type CountModelFit,
  fitCountModel,
  recommendedDistribution,
} from "./count-model.ts";
import { assessRealism, type Realism } from "./realism.ts";

/** An item-popularity model with synthetic clicks drawn from it, against the real log. */
export interface ItemModel extends CandidateModel {
  realism: Realism;
}

export interface ItemPopularityFit extends Omit<CountModelFit, "powerLaw" | "powerLawTail"> {
  powerLaw: ItemModel;
  powerLawTail?: ItemModel;
}

export interface FitReport {
  source: {
    path: string;
    kind: "click-log" | "item-counts";
    columns: { session: string; item: string } | { count: string };
    /** Items with at least one click. */
    items: number;
    clicks: number;
    /** Sessions, for a click log. */
    sessions?: number;
    /** Rows of a count column holding 0, left out. */
    zeroCountRows: number;
    largestItemCount: number;
    largestSessionLength?: number;
  };
  /** Both models, truncated at the real log's largest count, with their realism. */
  itemPopularity: ItemPopularityFit;
  sessionLengths?: CountModelFit;
  /** The recommended models as spec distributions (see chooseModel). */
  workload: { itemPopularity: CountDistribution; sessionLengths?: CountDistribution };
}

export interface FitFileOptions {
  /** Column of per-item click counts; otherwise detected from the header. */
  column?: string;
  /** Seed of the synthetic realism runs. Default 1, so that a file always gets the same report. */
  seed?: number;
}

function largest(values: Float64Array): number {
  let result = 0;
  for (const value of values) result = Math.max(result, value);
  return result;
}

/**
 * Fits the workload's distributions to a real click file, two models each: one power law over the
 * whole range, and Clauset's power-law tail over the empirical body below x_min. Synthetic clicks from
 * each item-popularity model are compared with the real log.
 *
 * Item counts are truncated at the real log's largest count: an exponent of 2 or less (the shared
 * e-commerce log gives about 1.87 with x_min = 1) has an infinite mean, and C untruncated draws would
 * put most clicks on a few items whose counts grow with C.
 */
export async function fitClickFile(path: string, options: FitFileOptions = {}): Promise<FitReport> {
  const seed = options.seed ?? 1;
  const statistics = await readClickFile(
    path,
    options.column === undefined ? {} : { column: options.column },
  );
  const counts = statistics.itemCounts;
  let clicks = 0;
  for (const count of counts) clicks += count;
  const largestItemCount = largest(counts);

  const items = fitCountModel(counts, { max: largestItemCount });
  const withRealism = (model: CandidateModel): ItemModel => ({
    ...model,
    realism: assessRealism(counts, model.distribution, seed),
  });
  const { powerLaw, powerLawTail, ...choice } = items;
  const itemPopularity: ItemPopularityFit = { ...choice, powerLaw: withRealism(powerLaw) };
  if (powerLawTail !== undefined) itemPopularity.powerLawTail = withRealism(powerLawTail);

  const report: FitReport = {
    source: {
      path,
      kind: statistics.kind,
      columns: statistics.columns,
      items: counts.length,
      clicks,
      zeroCountRows: statistics.zeroCountRows,
      largestItemCount,
    },
    itemPopularity,
    workload: { itemPopularity: recommendedDistribution(items) },
  };
  const lengths = statistics.sessionLengths;
  if (lengths !== undefined) {
    report.source.sessions = lengths.length;
    report.source.largestSessionLength = largest(lengths);
    // Unbounded: the spec's maxSessionLength truncates session lengths.
    report.sessionLengths = fitCountModel(lengths);
    report.workload.sessionLengths = recommendedDistribution(report.sessionLengths);
  }
  return report;
}
