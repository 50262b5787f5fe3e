import type { Clock } from "../../src/loadgen/types.ts";

interface Timer {
  at: number;
  order: number;
  fire(): void;
}

/**
 * A virtual clock for deterministic tests: time stands still while code runs and jumps to the earliest
 * pending sleep once everything else has settled (checked on setImmediate, after all promise reactions).
 */
export function createFakeClock(startMs = 0): Clock {
  let now = startMs;
  let order = 0;
  let advancing = false;
  const timers: Timer[] = [];

  const advance = () => {
    advancing = false;
    let earliest = 0;
    for (let i = 1; i < timers.length; i++) {
      const timer = timers[i]!;
      const best = timers[earliest]!;
      if (timer.at < best.at || (timer.at === best.at && timer.order < best.order)) earliest = i;
    }
    const [timer] = timers.splice(earliest, 1);
    if (timer === undefined) return;
    now = Math.max(now, timer.at);
    timer.fire();
    scheduleAdvance();
  };

  const scheduleAdvance = () => {
    if (advancing || timers.length === 0) return;
    advancing = true;
    setImmediate(advance);
  };

  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted) {
          resolve();
          return;
        }
        const onAbort = () => {
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
          resolve();
        };
        const timer: Timer = {
          at: now + Math.max(0, ms),
          order: order++,
          fire: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        timers.push(timer);
        scheduleAdvance();
      });
    },
  };
}
