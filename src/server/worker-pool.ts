import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { InferenceEngine, InferenceResult } from "./inference-engine.ts";
import type { SyntheticWeights } from "./models.ts";

/** What each worker builds its model from; weights in SharedArrayBuffers are shared, not copied. */
export interface WorkerInit {
  catalogSize: number;
  topK: number;
  /** Absent for the noop model. */
  weights?: SyntheticWeights;
}

export interface WorkerJob {
  id: number;
  sessions: readonly Uint32Array[];
}

export type WorkerAnswer =
  | { id: number; items: (readonly number[])[]; infMs: number }
  | { id: number; error: string };

interface PendingJob {
  resolve(result: InferenceResult): void;
  reject(error: Error): void;
  sentAt: number;
}

interface Slot {
  worker: Worker;
  pending: Map<number, PendingJob>;
  alive: boolean;
}

/**
 * The worker's entry point beside this module: the source (`.ts`) when run from the tree, or a
 * bundle's separately built `inference-worker.mjs`/`.js` when this module is bundled.
 */
function findWorkerEntry(): URL {
  const candidates = ["./inference-worker.ts", "./inference-worker.mjs", "./inference-worker.js"].map(
    (name) => new URL(name, import.meta.url),
  );
  const found = candidates.find((url) => existsSync(url));
  if (found === undefined) {
    throw new Error(
      `no inference worker entry beside ${fileURLToPath(import.meta.url)}; expected inference-worker.ts, .mjs or .js`,
    );
  }
  return found;
}

/**
 * Runs inference on `size` worker threads and hands each job to the worker with the fewest jobs in
 * flight (the lowest index on a tie). A worker that dies is replaced; its jobs fail.
 */
export async function startWorkerPool(
  size: number,
  init: WorkerInit,
  log: (line: string) => void,
): Promise<InferenceEngine> {
  const entry = findWorkerEntry();
  const slots: Slot[] = [];
  let nextJobId = 0;
  let closing = false;

  const spawn = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(entry, { workerData: init });
      const slot: Slot = { worker, pending: new Map(), alive: true };
      slots[index] = slot;
      let ready = false;
      worker.on("message", (message: WorkerAnswer | { ready: true }) => {
        if ("ready" in message) {
          ready = true;
          resolve();
          return;
        }
        const job = slot.pending.get(message.id);
        if (job === undefined) return;
        slot.pending.delete(message.id);
        if ("error" in message) {
          job.reject(new Error(`inference failed: ${message.error}`));
          return;
        }
        const roundTripMs = performance.now() - job.sentAt;
        job.resolve({
          items: message.items,
          infMs: message.infMs,
          queueMs: Math.max(0, roundTripMs - message.infMs),
        });
      });
      worker.on("error", (error) => {
        log(`inference worker ${index} failed: ${error.message}`);
        if (!ready) reject(error);
      });
      worker.on("exit", (code) => {
        slot.alive = false;
        for (const job of slot.pending.values()) {
          job.reject(new Error(`inference worker ${index} exited with code ${code}`));
        }
        slot.pending.clear();
        if (!ready)
          reject(new Error(`inference worker ${index} exited with code ${code} before it was ready`));
        if (closing || !ready) return;
        log(`inference worker ${index} exited with code ${code}; starting a replacement`);
        spawn(index).catch((error: Error) =>
          log(`inference worker ${index} could not restart: ${error.message}`),
        );
      });
    });

  try {
    await Promise.all(Array.from({ length: size }, (_, index) => spawn(index)));
  } catch (error) {
    closing = true;
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
    throw error;
  }

  return {
    threads: size,
    infer(sessions) {
      let chosen: Slot | undefined;
      for (const slot of slots) {
        if (slot.alive && (chosen === undefined || slot.pending.size < chosen.pending.size)) chosen = slot;
      }
      if (chosen === undefined) return Promise.reject(new Error("no inference worker is running"));
      const worker = chosen;
      const id = nextJobId++;
      return new Promise<InferenceResult>((resolve, reject) => {
        worker.pending.set(id, { resolve, reject, sentAt: performance.now() });
        const job: WorkerJob = { id, sessions };
        worker.worker.postMessage(job);
      });
    },
    async close() {
      closing = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
