import type { Clock } from "./types.ts";

/**
 * Node timers fire no sooner than whole milliseconds and often later: sleep on a timer until this close to
 * the deadline, then yield with setImmediate until it has come, for sub-millisecond send precision.
 */
const SPIN_MS = 1.5;

/** The real clock: performance.now and timers, precise to a fraction of a millisecond. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const deadline = performance.now() + ms;
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      let immediate: NodeJS.Immediate | undefined;
      const finish = () => {
        clearTimeout(timer);
        clearImmediate(immediate);
        signal?.removeEventListener("abort", finish);
        resolve();
      };
      const step = () => {
        const left = deadline - performance.now();
        if (left <= 0) finish();
        else if (left > SPIN_MS) timer = setTimeout(step, Math.floor(left - SPIN_MS + 1));
        else immediate = setImmediate(step);
      };
      signal?.addEventListener("abort", finish, { once: true });
      step();
    });
  },
};
