import type { WorkloadSpec } from "../spec/types.ts";
import { buildCatalog, type Catalog } from "./catalog.ts";
import { createCountSampler } from "./distributions.ts";
import { createRandom, deriveSeed } from "./random.ts";
import type { Session, SessionSource } from "./types.ts";

/** Label of the random streams that draw sessions, one per partition (see deriveSeed). */
export const SESSION_STREAM = 2;

export interface Partition {
  /** 0-based index of this partition. */
  index: number;
  count: number;
}

export interface SessionSourceOptions {
  /** This generator's share of the sessions; defaults to the whole stream. */
  partition?: Partition;
  /** A catalog built once with buildCatalog(workload) and shared between partitions. */
  catalog?: Catalog;
}

function checkPartition(partition: Partition): void {
  const { index, count } = partition;
  if (!(Number.isSafeInteger(count) && count >= 1)) {
    throw new RangeError(`partition.count must be an integer >= 1, got ${count}`);
  }
  if (!(Number.isSafeInteger(index) && index >= 0 && index < count)) {
    throw new RangeError(`partition.index must be an integer from 0 to ${count - 1}, got ${index}`);
  }
}

/**
 * The paper's Algorithm 1 as an endless stream: each session draws its length from the session-length
 * distribution truncated at maxSessionLength, then that many items (repeats allowed) from the catalog.
 * Partition i of n yields session ids i, i+n, i+2n, ... from its own random stream, so parallel
 * generators replay disjoint sessions; a session's items depend on the partition count.
 */
export function createSessionSource(
  workload: WorkloadSpec,
  options: SessionSourceOptions = {},
): SessionSource {
  const partition = options.partition ?? { index: 0, count: 1 };
  checkPartition(partition);
  const { maxSessionLength } = workload;
  if (!(Number.isSafeInteger(maxSessionLength) && maxSessionLength >= 1)) {
    throw new RangeError(`workload.maxSessionLength must be an integer >= 1, got ${maxSessionLength}`);
  }
  const lengths = createCountSampler(workload.sessionLengths, {
    name: "workload.sessionLengths",
    lowest: 1,
    max: maxSessionLength,
    maxName: "workload.maxSessionLength",
  });
  const catalog = options.catalog ?? buildCatalog(workload);
  if (catalog.size !== workload.catalogSize) {
    throw new RangeError(
      `options.catalog has ${catalog.size} items but workload.catalogSize is ${workload.catalogSize}`,
    );
  }
  const random = createRandom(deriveSeed(workload.seed, SESSION_STREAM, partition.index, partition.count));
  let nextId = partition.index;
  return {
    next(): Session {
      const items = new Uint32Array(lengths.sample(random));
      for (let position = 0; position < items.length; position++)
        items[position] = catalog.sampleItem(random);
      const id = nextId;
      nextId += partition.count;
      return { id, items };
    },
  };
}
