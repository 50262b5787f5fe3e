import { Worker } from "node:worker_threads";
import { realClock } from "./clock.ts";
import type { Clock } from "./types.ts";

/** `state[0]`: the current arming (a generation count), or CLOSED; the worker sleeps on it. */
const CLOSED = -1;

/**
 * The worker sleeps in Atomics.wait, whose timeout is a fractional millisecond (a futex with a high
 * resolution timer), until the armed deadline, then posts the arming it woke for. It does not spin: the
 * wait ends 0.1-0.2 ms late, well inside the 1 ms lateness allowance, and a spinning thread would take
 * the core from the main thread when both share one. A new arming or CLOSED
 * interrupts the wait. Deadlines are on the time line shared by all threads: timeOrigin + now().
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const state = new Int32Array(workerData.state);
const deadline = new Float64Array(workerData.deadline);
let seen = 0;
for (;;) {
  Atomics.wait(state, 0, seen);
  seen = Atomics.load(state, 0);
  if (seen === ${CLOSED}) break;
  for (;;) {
    const left = deadline[0] - (performance.timeOrigin + performance.now());
    if (left <= 0) {
      parentPort.postMessage(seen);
      break;
    }
    if (Atomics.wait(state, 0, seen, left) !== "timed-out") break;
  }
}
`;

interface Sleeper {
  at: number;
  resolve(): void;
  signal: AbortSignal | undefined;
  onAbort(): void;
}

export interface ThreadClock extends Clock {
  /** Stops the wake-up thread; later sleeps, and those pending, go on on Node's timers (realClock). */
  close(): void;
}

/**
 * A clock whose sleeps end 0.1-0.3 ms after their deadline without keeping the event loop busy: a
 * worker thread sleeps until the deadline and wakes the main thread with a message. Node's own timers
 * count whole milliseconds and fire 0.1-0.3 ms after theirs (much later under load), so a precise wait
 * on them has to spin through the last millisecond: at 1,000 req/s that is most of a core, and a busy
 * process is the one the scheduler preempts when another wants the core.
 */
export function createThreadClock(): ThreadClock {
  const stateBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const deadlineBuffer = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT);
  const state = new Int32Array(stateBuffer);
  const deadline = new Float64Array(deadlineBuffer);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { state: stateBuffer, deadline: deadlineBuffer },
    // The worker runs one small loop: a small heap keeps its memory small.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
  });
  worker.unref();
  const sleepers = new Set<Sleeper>();
  let generation = 0;
  let closed = false;

  const arm = () => {
    if (closed) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const sleeper of sleepers) earliest = Math.min(earliest, sleeper.at);
    if (earliest === Number.POSITIVE_INFINITY) {
      // Nothing to wait for: let the process exit if nothing else holds it.
      worker.unref();
      return;
    }
    worker.ref();
    deadline[0] = performance.timeOrigin + earliest;
    generation = generation === 0x7fffffff ? 1 : generation + 1;
    Atomics.store(state, 0, generation);
    Atomics.notify(state, 0);
  };

  const settle = (sleeper: Sleeper) => {
    sleepers.delete(sleeper);
    sleeper.signal?.removeEventListener("abort", sleeper.onAbort);
    sleeper.resolve();
  };

  const wakeDue = () => {
    const now = performance.now();
    for (const sleeper of sleepers) if (sleeper.at <= now) settle(sleeper);
    arm();
  };

  const shutDown = () => {
    if (closed) return;
    closed = true;
    Atomics.store(state, 0, CLOSED);
    Atomics.notify(state, 0);
    worker.unref();
    for (const sleeper of sleepers) {
      sleepers.delete(sleeper);
      sleeper.signal?.removeEventListener("abort", sleeper.onAbort);
      void realClock.sleep(sleeper.at - performance.now(), sleeper.signal).then(sleeper.resolve);
    }
  };

  worker.on("message", (armed: number) => {
    if (armed === generation) wakeDue();
  });
  // Without its thread the clock still keeps time, on Node's timers, less precisely: say so.
  worker.on("error", (error: Error) => {
    process.emitWarning(`etude's wake-up thread failed; sends now wait on Node's timers: ${error.message}`);
    shutDown();
  });
  worker.on("exit", shutDown);

  return {
    now: () => performance.now(),
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      return new Promise((resolve) => {
        if (closed) {
          void realClock.sleep(ms, signal).then(resolve);
          return;
        }
        if (signal?.aborted || !(ms > 0)) {
          resolve();
          return;
        }
        const sleeper: Sleeper = {
          at: performance.now() + ms,
          resolve,
          signal,
          onAbort: () => {
            settle(sleeper);
            arm();
          },
        };
        signal?.addEventListener("abort", sleeper.onAbort, { once: true });
        sleepers.add(sleeper);
        arm();
      });
    },
    close: shutDown,
  };
}
