/**
 * The embedding size the ETUDE cost model uses for a catalog of C items: the fourth root of C,
 * rounded up to the next power of two (C = 10,000 gives 16; C = 1,000,000 gives 32).
 * Computed on integers so exact powers (C = 65,536 gives 16) do not suffer rounding.
 */
export function embeddingDimension(catalogSize: number): number {
  if (!Number.isSafeInteger(catalogSize) || catalogSize < 1) {
    throw new RangeError(`catalogSize is ${catalogSize}, but it must be a positive integer`);
  }
  let dimension = 1;
  while (dimension ** 4 < catalogSize) dimension *= 2;
  return dimension;
}
