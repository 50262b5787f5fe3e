import { join } from "node:path";
import { describeHost } from "../analysis/environment.ts";
import { buildResults, type ResultsDocument, writeResults } from "../analysis/results.ts";
import { autoConnections } from "../loadgen/connections.ts";
import { runLoad } from "../loadgen/run.ts";
import { createUndiciTransport } from "../loadgen/transport.ts";
import type { RunMeasurement } from "../loadgen/types.ts";
import { createProtocol } from "../protocol/index.ts";
import { writeReport } from "../report/write.ts";
import { specDigest } from "../spec/digest.ts";
import type { Spec, TargetSpec } from "../spec/types.ts";
import { InfrastructureError } from "../targets/errors.ts";
import { type RunningTarget, startLocalTarget } from "../targets/local.ts";
import { ETUDE_VERSION } from "../version.ts";
import { buildCatalog, type Catalog } from "../workload/catalog.ts";
import { createRandom, deriveSeed } from "../workload/random.ts";
import { createSessionSource } from "../workload/sessions.ts";
import { probeLatencyMs } from "./probe.ts";
import type { BenchmarkFiles, BenchmarkOptions, Variant, Verdict } from "./types.ts";

export interface VariantOutcome {
  label: string;
  results: ResultsDocument;
  verdict: Verdict;
  files: BenchmarkFiles;
}

export interface BenchmarkOutcome {
  /** One results document per variant; repetitions of the variants are interleaved A B A B. */
  variants: VariantOutcome[];
  interrupted: boolean;
}

/** Random-stream labels, so that repetitions and the probe never replay each other's sessions. */
const REPETITION_STREAM = 10;
const PROBE_STREAM = 11;
const POISSON_STREAM = 12;

/** Connections are sized for several times the probed latency: latency rises as the ramp climbs. */
const LATENCY_HEADROOM = 4;
const MIN_EXPECTED_LATENCY_MS = 10;

/**
 * Runs the spec's repetitions against every variant (default: the spec's own target), interleaved so that
 * drift on the machine hits all variants alike, then writes results, report and chart for each.
 * Whatever was measured before a failure or an interruption is written before the error propagates.
 */
export async function runBenchmark(
  options: BenchmarkOptions & { variants?: Variant[] },
): Promise<BenchmarkOutcome> {
  const { spec, signal } = options;
  const log = options.log ?? (() => {});
  const variants = options.variants ?? [{ label: "head", target: spec.target }];
  const catalog = buildCatalog(spec.workload);
  const runs = new Map<string, RunMeasurement[]>(variants.map((variant) => [variant.label, []]));
  const targets = new Map<string, RunningTarget>();
  let failure: unknown;
  try {
    for (const variant of variants) {
      log(`starting target ${variant.label}: ${describeTarget(variant.target)}`);
      targets.set(variant.label, await startTarget(variant.target, spec, options));
    }
    for (let repetition = 0; repetition < spec.repetitions && !signal?.aborted; repetition++) {
      for (const variant of variants) {
        if (signal?.aborted) break;
        const target = targets.get(variant.label)!;
        log(`repetition ${repetition + 1}/${spec.repetitions} against ${variant.label}`);
        const measurement = await measureOnce(spec, catalog, repetition, target, variant.label, options);
        runs.get(variant.label)!.push(measurement);
        target.assertHealthy();
      }
    }
  } catch (error) {
    failure = error;
  } finally {
    await Promise.allSettled([...targets.values()].map((target) => target.close()));
  }
  const outcome = await writeOutcome(options, variants, runs, targets);
  if (failure !== undefined) throw failure;
  return { variants: outcome, interrupted: signal?.aborted ?? false };
}

async function startTarget(
  target: TargetSpec,
  spec: Spec,
  options: BenchmarkOptions,
): Promise<RunningTarget> {
  if (target.kind === "kubernetes") {
    throw new InfrastructureError(
      "the kubernetes target runs through the cluster runner, not a local target",
    );
  }
  return startLocalTarget(target, { seed: spec.workload.seed, log: options.log, signal: options.signal });
}

async function measureOnce(
  spec: Spec,
  catalog: Catalog,
  repetition: number,
  target: RunningTarget,
  variant: string,
  options: BenchmarkOptions,
): Promise<RunMeasurement> {
  const protocol = createProtocol(spec.protocol);
  const timeoutMs = spec.load.requestTimeoutMs;
  const seed = deriveSeed(spec.workload.seed, REPETITION_STREAM, repetition);
  const sessions = createSessionSource({ ...spec.workload, seed }, { catalog });
  const connections = await chooseConnections(spec, catalog, target.url, protocol);
  const transport = createUndiciTransport(target.url, { connections, timeoutMs });
  try {
    return await runLoad({
      load: spec.load,
      sessions,
      protocol,
      transport,
      random: createRandom(deriveSeed(seed, POISSON_STREAM)),
      signal: options.signal,
      onSecond: (record) => options.onSecond?.({ variant, repetition, record }),
    });
  } finally {
    await transport.close();
  }
}

async function chooseConnections(
  spec: Spec,
  catalog: Catalog,
  url: string,
  protocol: ReturnType<typeof createProtocol>,
): Promise<number> {
  if (spec.load.connections !== "auto") return spec.load.connections;
  const probeSessions = createSessionSource(
    { ...spec.workload, seed: deriveSeed(spec.workload.seed, PROBE_STREAM) },
    { catalog },
  );
  const probe = createUndiciTransport(url, { connections: 1, timeoutMs: spec.load.requestTimeoutMs });
  try {
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

async function writeOutcome(
  options: BenchmarkOptions,
  variants: Variant[],
  runs: Map<string, RunMeasurement[]>,
  targets: Map<string, RunningTarget>,
): Promise<VariantOutcome[]> {
  const digest = specDigest(options.spec);
  const outcomes: VariantOutcome[] = [];
  for (const variant of variants) {
    const measured = runs.get(variant.label)!;
    if (measured.length === 0) continue;
    const directory = variants.length === 1 ? options.outDir : join(options.outDir, variant.label);
    const results = buildResults({
      spec: { ...options.spec, target: variant.target },
      specDigest: digest,
      runs: measured,
      environment: describeHost({
        etudeVersion: ETUDE_VERSION,
        target: targets.get(variant.label)?.description ?? describeTarget(variant.target),
      }),
      now: new Date(),
    });
    const resultsPath = join(directory, "results.json");
    await writeResults(resultsPath, results);
    const report = await writeReport(directory, results);
    outcomes.push({
      label: variant.label,
      results,
      verdict: results.analysis.combined.verdict,
      files: { results: resultsPath, report: report.markdown, chart: report.chart },
    });
  }
  return outcomes;
}

function describeTarget(target: TargetSpec): string {
  switch (target.kind) {
    case "url":
      return target.url;
    case "reference":
      return `reference server (${target.model} model)`;
    case "command":
      return target.url;
    case "kubernetes":
      return "kubernetes";
  }
}
