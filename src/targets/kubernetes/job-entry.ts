import { readFileSync } from "node:fs";
import { join } from "node:path";
import { measureLoad } from "../../benchmark/measure.ts";
import type { SecondRecord } from "../../loadgen/types.ts";
import { encodeFrame } from "./frames.ts";
import type { JobConfig } from "./job-config.ts";

/**
 * The in-cluster load generator: reads config.json beside its bootstrap, takes partition
 * JOB_COMPLETION_INDEX of the load, waits for the common start time, runs, and prints progress
 * lines and then the measurement as a checksummed frame for the runner to collect from the log.
 */
const directory = process.env.ETUDE_CONFIG_DIR ?? process.cwd();
const config = JSON.parse(readFileSync(join(directory, "config.json"), "utf8")) as JobConfig;
const index = Number(process.env.JOB_COMPLETION_INDEX ?? "0");
if (!Number.isInteger(index) || index < 0 || index >= config.partitionCount) {
  throw new Error(
    `JOB_COMPLETION_INDEX must be 0..${config.partitionCount - 1}, got ${process.env.JOB_COMPLETION_INDEX}`,
  );
}

const abort = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => abort.abort(`received ${signal}`));

const wait = config.startAt - Date.now();
console.log(
  `partition ${index + 1} of ${config.partitionCount}: ${config.load.targetRate} req/s to ${config.targetUrl}`,
);
if (wait > 0) {
  console.log(`starting in ${Math.round(wait)} ms with the other pods`);
  await new Promise((resolve) => setTimeout(resolve, wait));
}

const progress = (record: SecondRecord) => {
  const errors = Object.values(record.errors).reduce((sum, count) => sum + (count ?? 0), 0);
  console.log(
    `second ${record.second} ${record.phase}: target ${record.targetRate.toFixed(1)} req/s, sent ${record.sent}, ok ${record.ok}, errors ${errors}, dropped ${record.dropped}`,
  );
};

const measurement = await measureLoad({
  workload: config.workload,
  load: config.load,
  protocol: config.protocol,
  targetUrl: config.targetUrl,
  partition: { index, count: config.partitionCount },
  signal: abort.signal,
  onSecond: progress,
});
for (const line of encodeFrame(measurement)) console.log(line);
