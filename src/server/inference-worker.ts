import { parentPort, workerData } from "node:worker_threads";
import { type InferenceModel, NoopModel, SyntheticModel } from "./models.ts";
import type { WorkerAnswer, WorkerInit, WorkerJob } from "./worker-pool.ts";

const init = workerData as WorkerInit;
const port = parentPort!;
const model: InferenceModel =
  init.weights === undefined
    ? new NoopModel(init.catalogSize, init.topK)
    : new SyntheticModel(init.weights, init.topK);

port.on("message", (job: WorkerJob) => {
  const started = performance.now();
  let answer: WorkerAnswer;
  try {
    const items = job.sessions.map((session) => model.recommend(session));
    answer = { id: job.id, items, infMs: performance.now() - started };
  } catch (error) {
    answer = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
port.postMessage({ ready: true });
