import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describeHost } from "../analysis/environment.ts";
import { buildResults, type ResultsDocument, writeResults } from "../analysis/results.ts";
import type { RunMeasurement } from "../loadgen/types.ts";
import { writeReport } from "../report/write.ts";
import { specDigest } from "../spec/digest.ts";
import type { TargetSpec } from "../spec/types.ts";
import { ETUDE_VERSION } from "../version.ts";
import { buildCatalog } from "../workload/catalog.ts";
import { deriveSeed } from "../workload/random.ts";
import { type BenchmarkTarget, openTarget } from "./targets.ts";
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

/** Random-stream label of the repetitions: repetition r replays the same sessions for every variant. */
const REPETITION_STREAM = 10;

/**
 * Runs the spec's repetitions against every variant (default: the spec's own target), interleaved so that
 * drift on the machine or cluster hits all variants alike, then writes results, report and chart for each.
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
  const targets = new Map<string, BenchmarkTarget>();
  let failure: unknown;
  try {
    for (const variant of variants) {
      log(`starting target ${variant.label}: ${variant.target.kind}`);
      const context = { spec, catalog, runId: options.runId, labels: options.labels, signal, log };
      targets.set(variant.label, await openTarget(variant.target, context));
    }
    for (let repetition = 0; repetition < spec.repetitions && !signal?.aborted; repetition++) {
      const workload = {
        ...spec.workload,
        seed: deriveSeed(spec.workload.seed, REPETITION_STREAM, repetition),
      };
      for (const variant of variants) {
        if (signal?.aborted) break;
        log(`repetition ${repetition + 1}/${spec.repetitions} against ${variant.label}`);
        const target = targets.get(variant.label)!;
        const requestLog =
          options.requestLog && target.logsRequests
            ? await openRequestLog(options.outDir, variant.label, repetition)
            : undefined;
        try {
          const measurement = await target.measure(
            workload,
            (record) => options.onSecond?.({ variant: variant.label, repetition, record }),
            requestLog,
          );
          runs.get(variant.label)!.push(measurement);
        } finally {
          await closeStream(requestLog);
        }
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

async function openRequestLog(outDir: string, variant: string, repetition: number): Promise<WriteStream> {
  await mkdir(outDir, { recursive: true });
  return createWriteStream(join(outDir, `requests-${variant}-${repetition + 1}.jsonl`));
}

function closeStream(stream: WriteStream | undefined): Promise<void> {
  return new Promise((resolve) => (stream ? stream.end(resolve) : resolve()));
}

async function writeOutcome(
  options: BenchmarkOptions,
  variants: Variant[],
  runs: Map<string, RunMeasurement[]>,
  targets: Map<string, BenchmarkTarget>,
): Promise<VariantOutcome[]> {
  const digest = specDigest(options.spec);
  const outcomes: VariantOutcome[] = [];
  for (const variant of variants) {
    const measured = runs.get(variant.label)!;
    if (measured.length === 0) continue;
    const target = targets.get(variant.label);
    const directory = variants.length === 1 ? options.outDir : join(options.outDir, variant.label);
    const results = buildResults({
      spec: { ...options.spec, target: variant.target },
      specDigest: digest,
      runs: measured,
      environment: describeHost({
        etudeVersion: ETUDE_VERSION,
        target: target?.description ?? describeTarget(variant.target),
        ...(target?.kubernetes ? { kubernetes: target.kubernetes } : {}),
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
  return target.kind === "url" || target.kind === "command" ? target.url : target.kind;
}
