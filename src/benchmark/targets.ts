import { autoConnections } from "../loadgen/connections.ts";
import { createUndiciTransport } from "../loadgen/transport.ts";
import type { RunMeasurement, SecondRecord } from "../loadgen/types.ts";
import { createProtocol } from "../protocol/index.ts";
import type { KubernetesTarget, Spec, TargetSpec, WorkloadSpec } from "../spec/types.ts";
import { runOnKubernetes } from "../targets/kubernetes/index.ts";
import { startLocalTarget } from "../targets/local.ts";
import type { Catalog } from "../workload/catalog.ts";
import { deriveSeed } from "../workload/random.ts";
import { createSessionSource } from "../workload/sessions.ts";
import { measureLoad } from "./measure.ts";
import { probeLatencyMs } from "./probe.ts";

/** Something a benchmark runs its repetitions against, whatever it takes to reach it. */
export interface BenchmarkTarget {
  /** What was measured, in words that stay the same from run to run (part of the fingerprint). */
  description: string;
  /** Cluster facts of the last run (nodes, instance types, image digests) for the environment block. */
  kubernetes?: Record<string, unknown>;
  /** Throws when the target has crashed: checked after each run, whose measurement is kept. */
  assertHealthy(): void;
  /** Whether `measure` can stream a per-request log (the runner sends the load itself). */
  logsRequests: boolean;
  /** One run of the spec's load; the workload's seed differs per repetition. */
  measure(
    workload: WorkloadSpec,
    onSecond: (record: SecondRecord) => void,
    requestLog?: NodeJS.WritableStream,
  ): Promise<RunMeasurement>;
  close(): Promise<void>;
}

export interface TargetContext {
  spec: Spec;
  catalog: Catalog;
  runId: string;
  labels?: { repository?: string; pullRequest?: number };
  signal?: AbortSignal;
  log: (line: string) => void;
}

const PROBE_STREAM = 11;
/** Connections are sized for several times the probed latency: latency rises as the ramp climbs. */
const LATENCY_HEADROOM = 4;
const MIN_EXPECTED_LATENCY_MS = 10;

export async function openTarget(target: TargetSpec, context: TargetContext): Promise<BenchmarkTarget> {
  if (target.kind === "kubernetes") return kubernetesTarget(target.kubernetes, context);
  const { spec, catalog, signal, log } = context;
  const running = await startLocalTarget(target, { seed: spec.workload.seed, log, signal });
  try {
    const connections = await chooseConnections(spec, catalog, running.url);
    return {
      description: running.description,
      logsRequests: true,
      async measure(workload, onSecond, requestLog) {
        return measureLoad({
          workload,
          load: spec.load,
          protocol: spec.protocol,
          targetUrl: running.url,
          partition: { index: 0, count: 1 },
          catalog,
          connections,
          signal,
          onSecond,
          requestLog,
        });
      },
      assertHealthy: () => running.assertHealthy(),
      close: () => running.close(),
    };
  } catch (error) {
    await running.close();
    throw error;
  }
}

function kubernetesTarget(kubernetes: KubernetesTarget, context: TargetContext): BenchmarkTarget {
  const { model } = kubernetes;
  const what = model.reference
    ? `etude reference server (${model.reference.model} model, ${model.reference.catalogSize} items)`
    : `image ${model.image}`;
  const placement = [
    model.instanceType ? `instance type ${model.instanceType}` : undefined,
    `${model.replicas} replica(s) of ${model.resources.cpu} CPU, ${model.resources.memory} memory, ${model.resources.gpu} GPU`,
  ].filter(Boolean);
  const target: BenchmarkTarget = {
    description: `kubernetes: ${what}, ${placement.join(", ")}`,
    logsRequests: false,
    assertHealthy: () => {},
    async measure(workload) {
      const result = await runOnKubernetes({
        spec: { ...context.spec, workload },
        kubernetes,
        runId: context.runId,
        ...(context.labels?.repository ? { repository: context.labels.repository } : {}),
        ...(context.labels?.pullRequest ? { pullRequest: context.labels.pullRequest } : {}),
        ...(context.signal ? { signal: context.signal } : {}),
        log: context.log,
      });
      target.kubernetes = result.environment;
      return result.measurement;
    },
    close: async () => {},
  };
  return target;
}

/** With `connections: auto`, serial probe requests measure the latency that Little's law sizes from. */
async function chooseConnections(spec: Spec, catalog: Catalog, url: string): Promise<number> {
  if (spec.load.connections !== "auto") return spec.load.connections;
  const probeSessions = createSessionSource(
    { ...spec.workload, seed: deriveSeed(spec.workload.seed, PROBE_STREAM) },
    { catalog },
  );
  const probe = createUndiciTransport(url, { connections: 1, timeoutMs: spec.load.requestTimeoutMs });
  try {
    const protocol = createProtocol(spec.protocol);
    const slowest = await probeLatencyMs(probe, protocol, probeSessions, spec.load.requestTimeoutMs);
    const expected = Math.max(
      MIN_EXPECTED_LATENCY_MS,
      (slowest ?? spec.load.requestTimeoutMs) * LATENCY_HEADROOM,
    );
    return autoConnections(spec.load.targetRate, expected);
  } finally {
    await probe.close();
  }
}
