import type { InferenceModel } from "./models.ts";

export interface InferenceResult {
  /** The recommendations for each session, in the order of the sessions. */
  items: (readonly number[])[];
  /** Time the model itself took. */
  infMs: number;
  /** Time spent waiting for a worker and passing messages; absent when inference runs in place. */
  queueMs?: number;
}

/** Where inference runs: in place on the calling thread, or on a pool of worker threads. */
export interface InferenceEngine {
  readonly threads: number;
  infer(sessions: readonly Uint32Array[]): Promise<InferenceResult>;
  close(): Promise<void>;
}

export function createInPlaceEngine(model: InferenceModel): InferenceEngine {
  return {
    threads: 1,
    async infer(sessions) {
      const started = performance.now();
      const items = sessions.map((session) => model.recommend(session));
      return { items, infMs: performance.now() - started };
    },
    async close() {},
  };
}
