import type { DiscretePowerLaw } from "../spec/types.ts";
import { readClickFile } from "./click-file.ts";
import { fitDiscretePowerLaw, type PowerLawFit } from "./fit.ts";
import { assessRealism, type Realism } from "./realism.ts";

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
  /** Fitted over the whole range (x_min = 1): every catalog item needs a count, so this is what is generated. */
  itemPopularity: PowerLawFit;
  /** Clauset's x_min (smallest KS distance): how far the power-law hypothesis holds in the tail. */
  itemPopularityTail: PowerLawFit;
  sessionLengths?: PowerLawFit;
  sessionLengthsTail?: PowerLawFit;
  /** The fitted laws as spec distributions; the item law is truncated at the real log's largest count. */
  workload: { itemPopularity: DiscretePowerLaw; sessionLengths?: DiscretePowerLaw };
  /** Synthetic clicks from `workload` against the real log. */
  realism: Realism & {
    /** The synthetic top-1% share without the truncation, to show what an exponent <= 2 does unbounded. */
    untruncatedTopShare: number;
  };
}

export interface FitFileOptions {
  /** Column of per-item click counts; otherwise detected from the header. */
  column?: string;
  /** Seed of the synthetic realism run. Default 1, so that a file always gets the same report. */
  seed?: number;
}

const EXPONENT_DECIMALS = 3;

function roundExponent(exponent: number): number {
  return Number(exponent.toFixed(EXPONENT_DECIMALS));
}

function largest(values: Float64Array): number {
  let result = 0;
  for (const value of values) result = Math.max(result, value);
  return result;
}

/**
 * Fits the workload's two power laws to a real click file and measures how realistic the synthetic
 * workload they produce is.
 *
 * An exponent of 2 or less (the shared e-commerce log gives about 1.87 with x_min = 1) means an infinite
 * mean: C draws then put most clicks on a few items whose counts grow with C, and the synthetic top-1%
 * share lands far above the real one and varies from seed to seed. The fitted item law is therefore
 * truncated at the largest count of the real log; realism reports both shares.
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

  const itemPopularity = fitDiscretePowerLaw(counts, { xmin: 1 });
  const itemPopularityTail = fitDiscretePowerLaw(counts);
  const itemLaw: DiscretePowerLaw = {
    kind: "powerlaw",
    exponent: roundExponent(itemPopularity.exponent),
    xmin: 1,
    max: largestItemCount,
  };
  const untruncatedLaw: DiscretePowerLaw = { kind: "powerlaw", exponent: itemLaw.exponent, xmin: 1 };
  const realism = assessRealism(counts, itemLaw, seed);
  const untruncated = assessRealism(counts, untruncatedLaw, seed);

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
    itemPopularityTail,
    workload: { itemPopularity: itemLaw },
    realism: { ...realism, untruncatedTopShare: untruncated.topShare.synthetic },
  };
  const lengths = statistics.sessionLengths;
  if (lengths !== undefined) {
    report.source.sessions = lengths.length;
    report.source.largestSessionLength = largest(lengths);
    report.sessionLengths = fitDiscretePowerLaw(lengths, { xmin: 1 });
    report.sessionLengthsTail = fitDiscretePowerLaw(lengths);
    report.workload.sessionLengths = {
      kind: "powerlaw",
      exponent: roundExponent(report.sessionLengths.exponent),
      xmin: 1,
    };
  }
  return report;
}
