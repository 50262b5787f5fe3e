/**
 * etude's load generator in a process of its own, so that its CPU time and memory are its alone:
 * `node bench/generator.ts '<GeneratorJob JSON>'` runs each step (a warm-up then a hold at one rate)
 * against the URL and prints one StepSummary JSON line per step.
 */
import { readFileSync } from "node:fs";
import type { Histogram } from "hdr-histogram-js";
import { mergeEncoded } from "../src/analysis/histograms.ts";
import { createUndiciTransport, runLoad, type SecondRecord } from "../src/loadgen/index.ts";
import { createProtocol } from "../src/protocol/index.ts";
import type { LoadSpec, WorkloadSpec } from "../src/spec/types.ts";
import { buildCatalog, createSessionSource } from "../src/workload/index.ts";
import type { GeneratorJob, GeneratorStep, Percentiles, StepSummary } from "./lib/generator-job.ts";

const LATE_SHARE_LIMIT = 0.01;
const SATURATED_SHARE = 0.95;
const MB = 1024 * 1024;

const WORKLOAD: WorkloadSpec = {
  catalogSize: 10_000,
  sessionLengths: { kind: "powerlaw", exponent: 2.4, xmin: 1 },
  itemPopularity: { kind: "powerlaw", exponent: 1.868, xmin: 1 },
  topK: 21,
  maxSessionLength: 50,
  seed: 42,
};

/** Nanoseconds the main thread has waited on a run queue, or null where /proc has no schedstat. */
function runQueueWaitNs(): number | null {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[1]);
  } catch {
    return null;
  }
}

function memoryBreakdownMb(): StepSummary["memoryMb"] {
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return {
    rss: rss / MB,
    heapTotal: heapTotal / MB,
    heapUsed: heapUsed / MB,
    external: external / MB,
    arrayBuffers: arrayBuffers / MB,
  };
}

function percentiles(histogram: Histogram): Percentiles | null {
  if (histogram.totalCount === 0) return null;
  const at = (p: number) => histogram.getValueAtPercentile(p) / 1000;
  return {
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: histogram.maxValue / 1000,
    mean: histogram.mean / 1000,
  };
}

async function runStep(job: GeneratorJob, step: GeneratorStep, requestsBefore: number): Promise<StepSummary> {
  const load: LoadSpec = {
    targetRate: step.rate,
    rampUpMs: 0,
    holdMs: step.holdMs,
    warmupMs: step.warmupMs,
    warmupRate: step.warmupMs > 0 ? step.rate : 0,
    requestTimeoutMs: job.requestTimeoutMs,
    connections: job.connections,
    arrival: "uniform",
  };
  const transport = createUndiciTransport(job.url, {
    connections: job.connections,
    timeoutMs: job.requestTimeoutMs,
  });
  const catalog = buildCatalog(WORKLOAD);
  const checkpoints = job.rssCheckpoints.filter((count) => count > requestsBefore);
  const rssAtCheckpointsMb: StepSummary["rssAtCheckpointsMb"] = [];
  let requests = 0;
  const onSecond = (record: SecondRecord) => {
    requests += record.sent;
    while (checkpoints.length > 0 && requestsBefore + requests >= checkpoints[0]!) {
      rssAtCheckpointsMb.push({ requests: checkpoints.shift()!, rssMb: process.memoryUsage.rss() / MB });
    }
  };
  const cpuStart = process.cpuUsage();
  const waitStart = runQueueWaitNs();
  const wallStart = performance.now();
  try {
    const run = await runLoad({
      load,
      sessions: createSessionSource(WORKLOAD, { catalog }),
      protocol: createProtocol({ kind: "etude" }),
      transport,
      onSecond,
    });
    const cpu = process.cpuUsage(cpuStart);
    // The last checkpoint may lie past the requests actually sent when slots were dropped.
    if (checkpoints.length > 0) {
      rssAtCheckpointsMb.push({ requests: requestsBefore + requests, rssMb: process.memoryUsage.rss() / MB });
    }
    const waitEnd = runQueueWaitNs();
    const wallNs = (performance.now() - wallStart) * 1e6;
    const hold = run.seconds.filter((second) => second.phase === "hold");
    const total = (pick: (second: SecondRecord) => number) => hold.reduce((sum, s) => sum + pick(s), 0);
    const offered = total((s) => s.offered);
    const dropped = total((s) => s.dropped);
    const late = total((s) => s.late);
    const ok = total((s) => s.ok);
    const errors = total((s) => Object.values(s.errors).reduce((sum, n) => sum + (n ?? 0), 0));
    const holdSeconds = step.holdMs / 1000;
    const achieved = total((s) => s.throughput) / holdSeconds;
    const lateShare = offered === 0 ? 1 : (late + dropped) / offered;
    const sendLag = mergeEncoded(hold.map((s) => s.sendLag));
    return {
      rate: step.rate,
      holdSeconds,
      offered,
      sent: total((s) => s.sent),
      dropped,
      late,
      ok,
      errors,
      lateShare,
      achieved,
      sustained: lateShare < LATE_SHARE_LIMIT && errors === 0 && ok >= 0.99 * step.rate * holdSeconds,
      response: percentiles(mergeEncoded(hold.map((s) => s.responseTime))),
      service: percentiles(mergeEncoded(hold.map((s) => s.serviceTime))),
      sendLagP99Ms: sendLag.totalCount === 0 ? null : sendLag.getValueAtPercentile(99) / 1000,
      eventLoopUtilization:
        hold.reduce((sum, s) => sum + s.generator.eventLoopUtilization, 0) / Math.max(1, hold.length),
      inFlightMax: hold.reduce((max, s) => Math.max(max, s.inFlightMax), 0),
      runQueueShare: waitStart === null || waitEnd === null ? null : (waitEnd - waitStart) / wallNs,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      requests,
      rssAtCheckpointsMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      memoryMb: memoryBreakdownMb(),
    };
  } finally {
    await transport.close();
  }
}

const job = JSON.parse(process.argv[2] ?? "null") as GeneratorJob | null;
if (job === null) {
  throw new Error("usage: node bench/generator.ts '<GeneratorJob JSON>' (see bench/lib/generator-job.ts)");
}
let requestsBefore = 0;
for (const step of job.steps) {
  const summary = await runStep(job, step, requestsBefore);
  requestsBefore += summary.requests;
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (job.stopWhenSaturated && summary.achieved < SATURATED_SHARE * summary.rate) break;
}
