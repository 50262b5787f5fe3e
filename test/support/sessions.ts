import type { SessionSource } from "../../src/workload/types.ts";

/**
 * Sessions whose items tell where they come from: session n of length L clicks n*1000+1 ... n*1000+L.
 * `lengthOf(n)` gives each session's length.
 */
export function numberedSessions(lengthOf: (id: number) => number): SessionSource {
  let id = 0;
  return {
    next() {
      const length = lengthOf(id);
      const items = Uint32Array.from({ length }, (_, k) => id * 1000 + k + 1);
      return { id: id++, items };
    },
  };
}

/** The session a numbered item belongs to. */
export function sessionOfItem(item: number): number {
  return Math.floor(item / 1000);
}
