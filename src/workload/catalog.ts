import type { WorkloadSpec } from "../spec/types.ts";
import { createCountSampler } from "./distributions.ts";
import { createRandom, deriveSeed } from "./random.ts";
import type { RandomSource } from "./types.ts";

/** The items of a synthetic catalog, ids 0..size-1, each drawn with probability proportional to its clicks. */
export interface Catalog {
  readonly size: number;
  /** Sum of the per-item click counts the catalog was built from. */
  readonly totalClicks: number;
  sampleItem(random: RandomSource): number;
}

/** Label of the random stream that draws the per-item click counts (see deriveSeed). */
export const CATALOG_STREAM = 1;
/** Catalogs beyond this size would not fit the alias table's typed array. */
export const MAX_CATALOG_SIZE = 2 ** 30;

function checkCatalogSize(size: number, field: string): void {
  if (!(Number.isSafeInteger(size) && size >= 1 && size <= MAX_CATALOG_SIZE)) {
    throw new RangeError(`${field} must be an integer from 1 to ${MAX_CATALOG_SIZE}, got ${size}`);
  }
}

/**
 * Draws the catalog's per-item click counts from the item-popularity distribution (Algorithm 1's first
 * step). Depends only on the spec's catalog size, item popularity and seed.
 */
export function drawItemCounts(workload: WorkloadSpec): Float64Array {
  checkCatalogSize(workload.catalogSize, "workload.catalogSize");
  const sampler = createCountSampler(workload.itemPopularity, { name: "workload.itemPopularity", lowest: 0 });
  const random = createRandom(deriveSeed(workload.seed, CATALOG_STREAM));
  const counts = new Float64Array(workload.catalogSize);
  for (let item = 0; item < counts.length; item++) counts[item] = sampler.sample(random);
  return counts;
}

const scratch = new Float64Array(1);
const scratchBits = new BigUint64Array(scratch.buffer);

/** The largest double below a positive x. */
function largestBelow(x: number): number {
  scratch[0] = x;
  scratchBits[0]! -= 1n;
  return scratch[0]!;
}

/**
 * Vose's alias method, built in place on `weights` (mean 1) without work lists, so that a catalog
 * costs 8 bytes per item. Bucket i ends up holding alias + threshold, where alias = floor(value): a
 * draw landing at fraction f of bucket i yields i when f < threshold and the alias otherwise. The
 * threshold keeps about 52 - log2(size) bits, as many as the fraction of the draw carries.
 */
function buildAliasTable(weights: Float64Array): Float64Array {
  const size = weights.length;
  let large = 0;
  while (large < size && weights[large]! < 1) large++;
  let cursor = 0;
  while (cursor < size && weights[cursor]! >= 1) cursor++;
  let small = cursor;
  while (small < size && large < size) {
    const kept = weights[small]!;
    let encoded = large + kept;
    if (Math.floor(encoded) !== large) encoded = largestBelow(large + 1);
    // Negative marks the bucket as done: the scan for large buckets skips it.
    weights[small] = -encoded;
    const rest = weights[large]! - (1 - kept);
    weights[large] = rest;
    if (rest < 1) {
      const becameSmall = large;
      large++;
      while (large < size && weights[large]! < 1) large++;
      // Behind the cursor the scan would miss it, so it is filled next.
      if (becameSmall < cursor) {
        small = becameSmall;
        continue;
      }
    }
    cursor++;
    while (cursor < size && weights[cursor]! >= 1) cursor++;
    small = cursor;
  }
  // Buckets never filled hold weight 1 up to rounding and keep their own item.
  for (let item = 0; item < size; item++) {
    const value = weights[item]!;
    weights[item] = value > 0 ? item : -value;
  }
  return weights;
}

class AliasCatalog implements Catalog {
  readonly size: number;
  readonly totalClicks: number;
  private readonly table: Float64Array;

  constructor(weights: Float64Array, totalClicks: number) {
    this.size = weights.length;
    this.totalClicks = totalClicks;
    this.table = buildAliasTable(weights);
  }

  sampleItem(random: RandomSource): number {
    const scaled = random.nextDouble() * this.size;
    const bucket = Math.floor(scaled);
    const entry = this.table[bucket]!;
    const alias = Math.floor(entry);
    return scaled - bucket < entry - alias ? bucket : alias;
  }
}

/** Scales counts in place to weights of mean 1 and builds the catalog on them. */
function catalogOnOwnedCounts(counts: Float64Array, field: string): Catalog {
  let total = 0;
  for (let item = 0; item < counts.length; item++) {
    const count = counts[item]!;
    if (!(Number.isFinite(count) && count >= 0)) {
      throw new RangeError(`${field}[${item}] must be a finite number >= 0, got ${count}`);
    }
    total += count;
  }
  if (!(total > 0)) throw new RangeError(`${field} must hold at least one positive count, got all zero`);
  const scale = counts.length / total;
  for (let item = 0; item < counts.length; item++) counts[item] = counts[item]! * scale;
  return new AliasCatalog(counts, total);
}

/** The catalog of a workload: per-item counts drawn from the spec, sampled in O(1) per click. */
export function buildCatalog(workload: WorkloadSpec): Catalog {
  return catalogOnOwnedCounts(drawItemCounts(workload), "workload.itemPopularity counts");
}

/** A catalog over given per-item click counts (e.g. a real log's); the counts are copied. */
export function catalogFromCounts(counts: ArrayLike<number>): Catalog {
  checkCatalogSize(counts.length, "counts.length");
  return catalogOnOwnedCounts(Float64Array.from(counts), "counts");
}
