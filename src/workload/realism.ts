import type { CountDistribution } from "../spec/types.ts";
import { buildCatalog } from "./catalog.ts";
import { createRandom, deriveSeed } from "./random.ts";

/** How a synthetic workload's item popularity compares with a real log's. */
export interface Realism {
  /** Catalog size and clicks of the synthetic run: those of the real log. */
  catalogSize: number;
  clicks: number;
  seed: number;
  /** Two-sample KS distance between real and synthetic clicks per item, over items clicked at least once. */
  ks: number;
  /** Items with at least one click. */
  clickedItems: { real: number; synthetic: number };
  /** Share of all clicks that fall on the most clicked 1% of the real log's items. */
  topShare: { real: number; synthetic: number };
}

/** Label of the random stream that draws the synthetic clicks (see deriveSeed). */
const REALISM_STREAM = 3;
const TOP_FRACTION = 0.01;

function sortedDescending(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort().reverse();
}

/** Share of the total held by the `top` largest values. */
function topShareOf(descending: Float64Array, top: number): number {
  let head = 0;
  let total = 0;
  for (let index = 0; index < descending.length; index++) {
    total += descending[index]!;
    if (index < top) head += descending[index]!;
  }
  return head / total;
}

/** Two-sample Kolmogorov–Smirnov distance between ascending samples. */
export function twoSampleKs(first: Float64Array, second: Float64Array): number {
  let i = 0;
  let j = 0;
  let distance = 0;
  while (i < first.length && j < second.length) {
    const value = Math.min(first[i]!, second[j]!);
    while (i < first.length && first[i] === value) i++;
    while (j < second.length && second[j] === value) j++;
    distance = Math.max(distance, Math.abs(i / first.length - j / second.length));
  }
  return distance;
}

/**
 * Replays Algorithm 1 with the real log's catalog size and click total: a catalog drawn from `law`,
 * then as many clicks as the real log. Items are drawn independently of session boundaries, so the
 * session-length law plays no part in the per-item counts.
 */
export function assessRealism(realCounts: Float64Array, law: CountDistribution, seed: number): Realism {
  const catalogSize = realCounts.length;
  let clicks = 0;
  for (const count of realCounts) clicks += count;
  const catalog = buildCatalog({
    catalogSize,
    itemPopularity: law,
    sessionLengths: law,
    topK: 1,
    maxSessionLength: 1,
    seed,
  });
  const random = createRandom(deriveSeed(seed, REALISM_STREAM));
  const synthetic = new Float64Array(catalogSize);
  for (let click = 0; click < clicks; click++) synthetic[catalog.sampleItem(random)]!++;

  const top = Math.ceil(catalogSize * TOP_FRACTION);
  const real = sortedDescending(realCounts);
  const generated = sortedDescending(synthetic);
  let clicked = 0;
  while (clicked < generated.length && generated[clicked]! > 0) clicked++;
  const clickedAscending = generated.slice(0, clicked).reverse();
  return {
    catalogSize,
    clicks,
    seed,
    ks: twoSampleKs(real.slice().reverse(), clickedAscending),
    clickedItems: { real: real.findLastIndex((count) => count > 0) + 1, synthetic: clicked },
    topShare: { real: topShareOf(real, top), synthetic: topShareOf(generated, top) },
  };
}
