import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { gzipSync } from "node:zlib";
import { Log, type V1Pod } from "@kubernetes/client-node";
import { measureLoad } from "../../benchmark/measure.ts";
import type { RunMeasurement, Transport } from "../../loadgen/types.ts";
import type { KubernetesTarget, Spec } from "../../spec/types.ts";
import { InfrastructureError } from "../errors.ts";
import { loadBundle } from "./bundle.ts";
import { cleanupRuns } from "./cleanup.ts";
import { Cluster } from "./cluster.ts";
import { type Connection, connect } from "./connect.ts";
import { crashedPods, explainNotReady } from "./diagnose.ts";
import { FrameDecoder } from "./frames.ts";
import { type JobConfig, loadGeneratorPodCount, partitionLoad, plannedDurationMs } from "./job-config.ts";
import {
  bundleConfigMap,
  type Component,
  GPU_RESOURCE,
  INSTANCE_TYPE_LABEL,
  LABELS,
  loadGeneratorJob,
  MANAGED_BY,
  modelDeployment,
  modelNetworkPolicy,
  modelService,
  namespaceManifest,
  namespaceName,
  type RunIdentity,
  resourceNames,
  resourceQuota,
  sanitizeRunId,
} from "./manifests.ts";
import { mergeMeasurements } from "./merge.ts";
import { statusOf } from "./retry.ts";
import { cleanupOnTermination, once } from "./signals.ts";
import { WatchTimeoutError, watchUntil } from "./watch.ts";

export interface KubernetesRunOptions {
  spec: Spec;
  /** The spec's typed `target.kubernetes` block. */
  kubernetes: KubernetesTarget;
  runId: string;
  repository?: string;
  pullRequest?: number;
  signal?: AbortSignal;
  log(message: string): void;
  /** With `loadFrom: runner`: the transport to the Service (an undici pool by default). */
  transport?: Transport;
  now?: () => number;
}

export interface KubernetesRunResult {
  measurement: RunMeasurement;
  environment: Record<string, unknown>;
}

/** A pod is rescheduled by an autoscaler within minutes; until then "unschedulable" may pass. */
const LOAD_POD_START_TIMEOUT_MS = 10 * 60_000;

/**
 * One benchmark run on Kubernetes: deploys the model behind a Service in an isolated namespace,
 * waits for readiness, sends the load from a Job (or from this runner), merges the measurements
 * and always deletes everything it created, also on errors, abort, SIGINT and SIGTERM.
 */
export async function runOnKubernetes(options: KubernetesRunOptions): Promise<KubernetesRunResult> {
  const { kubernetes: target, log } = options;
  const connection = connect(target);
  const signal = options.signal ?? new AbortController().signal;
  const cluster = new Cluster(connection.kubeConfig, { signal });
  const now = options.now ?? Date.now;
  const identity: RunIdentity = {
    runId: sanitizeRunId(options.runId),
    expiresAt: now() + target.ttlMs,
    ...(options.repository === undefined ? {} : { repository: options.repository }),
    ...(options.pullRequest === undefined ? {} : { pullRequest: options.pullRequest }),
  };
  const namespace = target.createNamespace ? namespaceName(identity.runId) : target.namespace!;
  const cleanup = once(async () => {
    log(`kubernetes: deleting everything of run ${identity.runId}`);
    const cleaner = new Cluster(connection.kubeConfig);
    await cleanupRuns(
      { runId: identity.runId },
      { cluster: cleaner, log, ...(target.createNamespace ? {} : { sharedNamespace: namespace }) },
    );
  });
  const unregister = cleanupOnTermination(cleanup);
  const context: RunContext = {
    target,
    identity,
    namespace,
    cluster,
    connection,
    signal,
    log,
    spec: options.spec,
  };
  try {
    log(`kubernetes: ${connection.description}, namespace ${namespace}`);
    await deployModel(context);
    const service = await cluster.readService(namespace, resourceNames(identity.runId).model);
    const targetUrl = `http://${service.spec?.clusterIP}:${target.model.port}`;
    const modelPods = await readyPods(context, "model");
    const load =
      target.loadFrom === "runner"
        ? await loadFromRunner(context, targetUrl, options.transport)
        : await loadFromCluster(context, targetUrl, now);
    return {
      measurement: load.measurement,
      environment: {
        kubernetes: connection.description,
        namespace,
        model: await describePods(cluster, modelPods),
        loadGenerator: load.environment,
      },
    };
  } catch (error) {
    throw new InfrastructureError(connection.redact(messageOf(error)), {
      cause: redactedCause(error, connection),
    });
  } finally {
    unregister();
    try {
      await cleanup();
    } catch (error) {
      log(`kubernetes: cleanup failed (${connection.redact(messageOf(error))}); run \`etude cleanup\``);
    }
  }
}

interface RunContext {
  spec: Spec;
  target: KubernetesTarget;
  identity: RunIdentity;
  namespace: string;
  cluster: Cluster;
  connection: Connection;
  signal: AbortSignal;
  log(message: string): void;
}

async function deployModel(context: RunContext): Promise<void> {
  const { target, identity, namespace, cluster, log } = context;
  if (target.createNamespace) await cluster.createNamespace(namespaceManifest(identity));
  const loadPods = loadGeneratorPodCount(context.spec.load, target.loadGenerator);
  if (target.createNamespace) await cluster.create(namespace, resourceQuota(target, identity, loadPods));
  await cluster.create(namespace, modelNetworkPolicy(identity));
  if (target.model.reference) {
    const bundle = gzipSync(await loadBundle("reference-server"), { level: 9 });
    const name = resourceNames(identity.runId).serverBundle;
    await cluster.create(namespace, bundleConfigMap(name, identity, "model", bundle));
  }
  await cluster.create(namespace, modelDeployment(target, identity));
  await cluster.create(namespace, modelService(target, identity));
  log(
    `kubernetes: model deployed (${target.model.image ?? `reference ${target.model.reference?.model}`}); waiting for readiness`,
  );
  await waitForPods(context, "model", target.model.readiness.timeoutMs, (pods) => {
    const ready = pods.filter((pod) =>
      pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    );
    return ready.length >= target.model.replicas ? true : undefined;
  });
  log("kubernetes: model ready");
}

function podSelector(context: RunContext, component: Component): string {
  return `${LABELS.managedBy}=${MANAGED_BY},${LABELS.runId}=${context.identity.runId},${LABELS.component}=${component}`;
}

async function readyPods(context: RunContext, component: Component): Promise<V1Pod[]> {
  return (await context.cluster.listPods(context.namespace, podSelector(context, component))).items;
}

/** Pods that can never become ready fail the wait at once: wrong image, crash loop. */
function hopeless(pods: readonly V1Pod[]): boolean {
  if (crashedPods(pods).length > 0) return true;
  return pods.some((pod) =>
    pod.status?.containerStatuses?.some((s) =>
      ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"].includes(
        s.state?.waiting?.reason ?? "",
      ),
    ),
  );
}

/** Unschedulable pods fail the wait: no autoscaler acts within a benchmark's patience. */
function unschedulable(pods: readonly V1Pod[]): boolean {
  return pods.some((pod) =>
    pod.status?.conditions?.some(
      (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable",
    ),
  );
}

async function waitForPods<R>(
  context: RunContext,
  component: Component,
  timeoutMs: number,
  done: (pods: readonly V1Pod[]) => R | undefined,
): Promise<R> {
  const { cluster, namespace } = context;
  const labelSelector = podSelector(context, component);
  const what = component === "model" ? "The model" : "The load generator";
  let failed = false;
  try {
    return await watchUntil<V1Pod, R>({
      kubeConfig: cluster.kubeConfig,
      path: `/api/v1/namespaces/${namespace}/pods`,
      labelSelector,
      list: () => cluster.core.listNamespacedPod({ namespace, labelSelector }),
      check: (pods) => {
        if (hopeless(pods) || unschedulable(pods)) {
          failed = true;
          throw new Error("pods cannot become ready");
        }
        return done(pods);
      },
      timeoutMs,
      signal: context.signal,
      onReconnect: (reason) => context.log(`kubernetes: ${reason}`),
    });
  } catch (error) {
    if (!failed && !(error instanceof WatchTimeoutError)) throw error;
    const explanation = await explain(context, component, what);
    const timeout =
      error instanceof WatchTimeoutError ? ` Gave up after ${Math.round(timeoutMs / 1000)} s.` : "";
    throw new InfrastructureError(`${explanation}${timeout}`);
  }
}

async function explain(context: RunContext, component: Component, what: string): Promise<string> {
  const { cluster, namespace } = context;
  const pods = (await cluster.listPods(namespace, podSelector(context, component))).items;
  const events = await cluster.listEvents(namespace);
  const logs = new Map<string, string[]>();
  for (const { pod, container } of crashedPods(pods)) {
    const status = pods
      .find((p) => p.metadata?.name === pod)
      ?.status?.containerStatuses?.find((s) => s.name === container);
    const restarted = (status?.restartCount ?? 0) > 0;
    try {
      logs.set(pod, await cluster.tailLog(namespace, pod, container, restarted));
    } catch {
      // Without its log the crash is still reported, with its exit code.
    }
  }
  return explainNotReady(what, { pods, events, logs });
}

async function loadFromRunner(context: RunContext, targetUrl: string, transport: Transport | undefined) {
  const { spec, log } = context;
  log(`kubernetes: sending the load from this runner to ${targetUrl}`);
  const measurement = await measureLoad({
    workload: spec.workload,
    load: spec.load,
    protocol: spec.protocol,
    targetUrl,
    partition: { index: 0, count: 1 },
    signal: context.signal,
    ...(transport ? { transport } : {}),
  });
  return { measurement, environment: { from: "runner" } };
}

async function loadFromCluster(context: RunContext, targetUrl: string, now: () => number) {
  const { spec, target, identity, namespace, cluster, log } = context;
  const pods = loadGeneratorPodCount(spec.load, target.loadGenerator);
  const config: JobConfig = {
    workload: spec.workload,
    load: partitionLoad(spec.load, pods),
    protocol: spec.protocol,
    targetUrl,
    partitionCount: pods,
    startAt: now() + target.loadGenerator.startDelayMs,
  };
  const bundle = gzipSync(await loadBundle("loadgen"), { level: 9 });
  const name = resourceNames(identity.runId).loadGenerator;
  await cluster.create(namespace, bundleConfigMap(name, identity, "load-generator", bundle, config));
  const runMs = plannedDurationMs(spec.load) + target.loadGenerator.startDelayMs;
  const deadlineSeconds = Math.ceil((runMs + LOAD_POD_START_TIMEOUT_MS) / 1000) + 120;
  await cluster.create(
    namespace,
    loadGeneratorJob(target, identity, { pods, activeDeadlineSeconds: deadlineSeconds }),
  );
  log(`kubernetes: load generator Job started with ${pods} pod(s), ${config.load.targetRate} req/s each`);
  const started = await waitForPods(context, "load-generator", LOAD_POD_START_TIMEOUT_MS, (list) => {
    const live = list.filter((pod) => ["Running", "Succeeded", "Failed"].includes(pod.status?.phase ?? ""));
    return live.length >= pods ? live : undefined;
  });
  const byIndex = [...started].sort((a, b) => completionIndex(a) - completionIndex(b)).slice(0, pods);
  const parts = await Promise.all(byIndex.map((pod) => followResult(context, pod)));
  const measurement = mergeMeasurements(parts);
  const starts = parts.map((p) => Date.parse(p.startedAt));
  const startSkewMs = Math.max(...starts) - Math.min(...starts);
  if (startSkewMs > 1_000) log(`kubernetes: load generator pods started ${startSkewMs} ms apart`);
  const finished = (await cluster.listPods(namespace, podSelector(context, "load-generator"))).items.filter(
    (p) => byIndex.some((b) => b.metadata?.name === p.metadata?.name),
  );
  return {
    measurement,
    environment: { from: "cluster", startSkewMs, ...(await describePods(cluster, finished)) },
  };
}

function completionIndex(pod: V1Pod): number {
  const annotation = pod.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"];
  return Number(annotation ?? pod.metadata?.labels?.["batch.kubernetes.io/job-completion-index"] ?? 0);
}

/**
 * Follows one load generator pod's log: progress lines go to our log, the result frame is decoded
 * and verified. A pod that disappears or fails without a result fails the run with the reason.
 */
async function followResult(context: RunContext, pod: V1Pod): Promise<RunMeasurement> {
  const { cluster, namespace, log } = context;
  const name = pod.metadata!.name!;
  const container = pod.spec!.containers[0]!.name;
  const prefix = `load generator ${completionIndex(pod)}`;
  const decoder = new FrameDecoder();
  let result: RunMeasurement | undefined;
  const consume = (line: string) => {
    const event = decoder.push(line);
    if (event?.kind === "text" && event.line !== "") log(`${prefix}: ${event.line}`);
    if (event?.kind === "value") result = event.value as RunMeasurement;
  };
  const stream = new PassThrough();
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  const controller = await cluster.call(() =>
    new Log(cluster.kubeConfig).log(namespace, name, container, stream, { follow: true }),
  );
  // The followed stream may neither end nor fail when the pod goes away: watch the pod as well.
  const following = new AbortController();
  watchPodEnd(context, name, following.signal).then(() => {
    setTimeout(() => stream.end(), 1_000).unref();
  });
  const onAbort = () => stream.end();
  context.signal.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const line of lines) consume(line);
  } finally {
    context.signal.removeEventListener("abort", onAbort);
    controller.abort();
    following.abort();
  }
  context.signal.throwIfAborted();
  if (result?.aborted) {
    // A partial share would understate the load the model was offered: not a measurement.
    throw new InfrastructureError(
      `${prefix} (pod ${name}) stopped at second ${result.aborted.atSecond}: ${result.aborted.reason} (deleted or evicted?)`,
    );
  }
  if (result !== undefined) return result;
  const current = (await cluster.listPods(namespace, podSelector(context, "load-generator"))).items.find(
    (p) => p.metadata?.name === name,
  );
  if (current === undefined || current.metadata?.deletionTimestamp) {
    throw new InfrastructureError(`${prefix} (pod ${name}) was deleted before it reported a result`);
  }
  if (current.status?.phase === "Succeeded") {
    // The followed stream ended early: read the whole log once more.
    const full = new FrameDecoder();
    for (const line of (await cluster.readLog(namespace, name, container)).split("\n")) {
      const event = full.push(line);
      if (event?.kind === "value") return event.value as RunMeasurement;
    }
  }
  const lastLines = await cluster.tailLog(namespace, name, container, false).catch(() => []);
  const state = current.status?.containerStatuses?.[0]?.state?.terminated;
  const exit = state ? `exit code ${state.exitCode}${state.reason ? ` (${state.reason})` : ""}` : "no result";
  throw new InfrastructureError(
    `${prefix} (pod ${name}) ended without a result: ${exit}${lastLines.length ? `; last log lines:\n${lastLines.join("\n")}` : ""}`,
  );
}

/** Resolves when the pod has terminated or is gone. */
async function watchPodEnd(context: RunContext, name: string, stop: AbortSignal): Promise<void> {
  const { cluster, namespace } = context;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
    if (context.signal.aborted || stop.aborted) return;
    const pods = await cluster
      .listPods(namespace, podSelector(context, "load-generator"))
      .catch(() => undefined);
    if (pods === undefined) continue;
    const pod = pods.items.find((p) => p.metadata?.name === name);
    if (!pod || pod.metadata?.deletionTimestamp || ["Succeeded", "Failed"].includes(pod.status?.phase ?? ""))
      return;
  }
}

/** Node, instance type, allocatable resources and the image digest each pod actually ran. */
async function describePods(cluster: Cluster, pods: readonly V1Pod[]): Promise<Record<string, unknown>> {
  const described = [];
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    const node = nodeName ? await cluster.readNode(nodeName).catch(() => undefined) : undefined;
    const allocatable = node?.status?.allocatable ?? {};
    described.push({
      pod: pod.metadata?.name,
      node: nodeName,
      instanceType: node?.metadata?.labels?.[INSTANCE_TYPE_LABEL],
      allocatable: {
        cpu: allocatable.cpu,
        memory: allocatable.memory,
        gpu: allocatable[GPU_RESOURCE] ?? "0",
      },
      images: (pod.status?.containerStatuses ?? []).map((s) => ({ image: s.image, imageID: s.imageID })),
    });
  }
  return { pods: described };
}

function messageOf(error: unknown): string {
  if (statusOf(error) !== undefined && error instanceof Error) {
    const body = (error as { body?: unknown }).body;
    const message =
      typeof body === "object" && body !== null ? (body as { message?: string }).message : undefined;
    return `Kubernetes API error ${statusOf(error)}: ${message ?? error.message.split("\n")[1] ?? error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function redactedCause(error: unknown, connection: Connection): Error {
  return new Error(
    connection.redact(error instanceof Error ? (error.stack ?? error.message) : String(error)),
  );
}
