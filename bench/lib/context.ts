import type { Peers } from "./peers.ts";

/** What every part gets: the peers found, and figures earlier parts of the same run measured. */
export interface BenchContext {
  peers: Peers;
  /** Highest rate etude's generator answered against nginx, set by the capacity part. */
  generatorCapacity?: number;
}

export const GENERATOR_SCRIPT = new URL("../generator.ts", import.meta.url).pathname;
export const TARGET_SCRIPT = new URL("../servers/target.ts", import.meta.url).pathname;
export const REFERENCE_SCRIPT = new URL("../servers/reference.ts", import.meta.url).pathname;
export const WORKLOAD_SCRIPT = new URL("../workload.ts", import.meta.url).pathname;
