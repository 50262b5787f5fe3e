/**
 * The main step: path filter, benchmark, the two verdicts, the report comment, the job summary and
 * the outputs. Every side effect goes through `ActionIO`, so the flow runs against fakes as well.
 */
import { dirname, join, resolve } from "node:path";
import type { ResultsDocument } from "../analysis/results.ts";
import type { BenchmarkOutcome } from "../benchmark/run.ts";
import type { SweepOptions, SweepOutcome } from "../benchmark/sweep.ts";
import type { BenchmarkOptions, Variant } from "../benchmark/types.ts";
import {
  commentMarker,
  type Env,
  type GitHubApi,
  listChangedFiles,
  loadEventPayload,
  matchesPaths,
  type PullRequestContext,
  readPullRequestContext,
  SUPPORTED_EVENTS,
} from "../github/index.ts";
import type { SweepDocument } from "../matrix/types.ts";
import { escapeMarkdown } from "../report/escape.ts";
import type { KubernetesTargetDraft, Spec } from "../spec/types.ts";
import { Inputs, Outputs } from "./constants.ts";
import { assessRegression, type BaselineRun, decide, type GateDecision } from "./gate.ts";
import { type ActionSettings, type InputReader, readSettings } from "./inputs.ts";
import { refuseImageBaseline, runMatrixGate } from "./matrix.ts";
import { conclude, publish } from "./publish.ts";
import { renderGateReport, renderSkippedReport } from "./report.ts";
import type { RunState } from "./state.ts";

export interface ActionIO {
  env: Env;
  getInput: InputReader;
  github(token: string): GitHubApi;
  loadSpec(path: string): Promise<Spec>;
  readResults(path: string): Promise<ResultsDocument>;
  runBenchmark(options: BenchmarkOptions & { variants?: Variant[] }): Promise<BenchmarkOutcome>;
  /** Runs every cell of a spec's matrix. */
  runSweep(options: SweepOptions): Promise<SweepOutcome>;
  /** The sweep.json at `path`, undefined when there is none. */
  readSweep(path: string): Promise<SweepDocument | undefined>;
  writeFile(path: string, text: string): Promise<void>;
  /** Makes `working-directory` the current directory, where `command` targets start. */
  chdir(path: string): void;
  /** A fresh identifier for the run's cluster resources: a DNS label. */
  newRunId(): string;
  saveState(state: RunState): void;
  setOutput(name: string, value: string): void;
  appendSummary(markdown: string): Promise<void>;
  info(message: string): void;
  warning(message: string): void;
  setFailed(message: string): void;
  signal?: AbortSignal;
}

export async function runAction(io: ActionIO): Promise<void> {
  try {
    await runGate(io);
  } catch (error) {
    io.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function runGate(io: ActionIO): Promise<void> {
  const settings = readSettings(io.getInput);
  const workingDirectory = resolve(io.env.GITHUB_WORKSPACE ?? process.cwd(), settings.workingDirectory);
  const specPath = resolve(workingDirectory, settings.specPath);
  io.chdir(workingDirectory);
  const context = readContext(io);
  const pullRequest = context?.pullRequestNumber;
  const github = io.github(settings.githubToken);

  const spec = withOverrides(await io.loadSpec(specPath), settings);
  const marker = commentMarker(spec.name);

  if (context !== undefined && pullRequest !== undefined && settings.paths.length > 0) {
    const changed = await listChangedFiles(github, {
      owner: context.owner,
      repo: context.repo,
      pullNumber: pullRequest,
    });
    if (changed.warning) io.warning(changed.warning);
    const match = matchesPaths(changed.files, settings.paths);
    // A truncated listing may hide relevant files: measure rather than skip on partial evidence.
    if (!match.matched && !changed.truncated) {
      io.info(`No changed file matches ${settings.paths.join(", ")}: skipping the benchmark.`);
      const report = renderSkippedReport({
        specName: spec.name,
        specPath: settings.specPath,
        paths: settings.paths,
      });
      io.setOutput(Outputs.verdict, "skipped");
      await publish(io, github, settings, context, { marker, body: report, passed: true });
      return;
    }
    io.info(
      `Relevant changes: ${match.files.slice(0, 20).join(", ")}${match.files.length > 20 ? ", …" : ""}`,
    );
  }

  if (!hasClusterAccess(spec) && context?.isFork) {
    const message = forkWithoutClusterMessage(context);
    await io.appendSummary(
      `## etude · ${escapeMarkdown(spec.name)} · not measured\n\n${message.replace(/\n/g, " ")}\n`,
    );
    throw new Error(message);
  }
  refuseImageBaseline(spec, settings);
  const variants = baselineVariants(spec, settings);
  const runId = io.newRunId();
  io.saveState({ runId, specPath });
  const outDir = join(io.env.RUNNER_TEMP ?? join(workingDirectory, ".etude"), "etude", runId);
  const labels = {
    ...(context ? { repository: `${context.owner}/${context.repo}` } : {}),
    ...(pullRequest === undefined ? {} : { pullRequest }),
  };
  if (spec.matrix !== undefined) {
    io.info(`Sweep ${spec.name}: run ${runId}, results in ${outDir}`);
    await runMatrixGate(io, {
      spec,
      settings,
      workingDirectory,
      runId,
      outDir,
      labels,
      publish: (report) => publish(io, github, settings, context, { marker, ...report }),
    });
    return;
  }
  io.info(`Benchmark ${spec.name}: run ${runId}, results in ${outDir}`);
  const outcome = await io.runBenchmark({
    spec,
    runId,
    outDir,
    log: io.info,
    ...(io.signal ? { signal: io.signal } : {}),
    ...(variants ? { variants } : {}),
    labels,
  });

  const head = outcome.variants.find((variant) => variant.label === "head");
  if (head === undefined)
    throw new Error("The benchmark produced no measurement of the head: nothing to judge.");
  const base = await loadBaseline(io, settings, workingDirectory, outcome);
  const regression = assessRegression(head.results, base?.run ?? null);
  const decision = decide({
    constraints: head.results.analysis.combined,
    regression,
    failOn: settings.failOn,
  });

  const report = renderGateReport({
    specName: spec.name,
    specPath: settings.specPath,
    decision,
    regression,
    head: head.results,
    interrupted: outcome.interrupted,
    ...(base ? { base: base.run.results, baselineDescription: base.description } : {}),
  });
  const reportPath = join(dirname(head.files.report), "pull-request-report.md");
  await io.writeFile(reportPath, report);
  setMeasurementOutputs(io, decision, head.results, head.files.results, reportPath);
  await publish(io, github, settings, context, {
    marker,
    body: report,
    passed: decision.verdict === "pass" && !outcome.interrupted,
  });

  conclude(io, settings, decision, {
    happened: outcome.interrupted,
    message: "The benchmark was interrupted before every repetition ran.",
  });
}

function readContext(io: ActionIO): PullRequestContext | undefined {
  const eventName = io.env.GITHUB_EVENT_NAME;
  if (!(SUPPORTED_EVENTS as readonly (string | undefined)[]).includes(eventName)) {
    io.info(`Event ${eventName ?? "(none)"}: no pull request to filter paths or comment on.`);
    return undefined;
  }
  return readPullRequestContext(io.env, loadEventPayload(io.env));
}

/** The `repetitions` and `kubeconfig` inputs override the spec, in the target and in every matrix model. */
function withOverrides(spec: Spec, settings: ActionSettings): Spec {
  const repetitions = settings.repetitions ?? spec.repetitions;
  const { kubeconfig } = settings;
  if (kubeconfig === undefined) return { ...spec, repetitions };
  const connect = <T extends KubernetesTargetDraft>(kubernetes: T): T => {
    const { kubeconfigPath: _path, ...rest } = kubernetes;
    return { ...rest, kubeconfig, inCluster: false } as T;
  };
  const target =
    spec.target.kind === "kubernetes"
      ? { kind: "kubernetes" as const, kubernetes: connect(spec.target.kubernetes) }
      : spec.target;
  const matrix =
    spec.matrix === undefined
      ? undefined
      : {
          ...spec.matrix,
          models: spec.matrix.models.map((model) =>
            model.target.kind === "kubernetes"
              ? {
                  ...model,
                  target: { kind: "kubernetes" as const, kubernetes: connect(model.target.kubernetes) },
                }
              : model,
          ),
        };
  return { ...spec, repetitions, target, ...(matrix === undefined ? {} : { matrix }) };
}

/** False when a Kubernetes target, or a matrix model's, has no way to reach its cluster. */
function hasClusterAccess(spec: Spec): boolean {
  const drafts: KubernetesTargetDraft[] = [];
  if (spec.matrix === undefined) {
    if (spec.target.kind === "kubernetes") drafts.push(spec.target.kubernetes);
  } else {
    for (const model of spec.matrix.models)
      if (model.target.kind === "kubernetes") drafts.push(model.target.kubernetes);
  }
  return drafts.every(({ kubeconfig, kubeconfigPath, inCluster }) =>
    Boolean(kubeconfig || kubeconfigPath || inCluster),
  );
}

function forkWithoutClusterMessage(context: PullRequestContext): string {
  return [
    `This pull request comes from a fork (${context.head.repoFullName ?? "a deleted repository"}), and GitHub gives`,
    "fork pull requests no secrets: the kubeconfig is empty, so the benchmark cannot reach the cluster.",
    "The check fails rather than pass without a measurement. To measure a fork's change, a maintainer can",
    "push it to a branch of this repository, or run the manual workflow (workflow_dispatch) on it after",
    "reviewing the code. Never run it under pull_request_target with the fork's code checked out and the",
    "cluster credentials available: that hands your cluster to untrusted code.",
  ].join("\n");
}

/** With `image:`, the base image is measured in the same run, interleaved with the head. */
function baselineVariants(spec: Spec, settings: ActionSettings): Variant[] | undefined {
  if (settings.baseline.kind !== "image") return undefined;
  if (spec.target.kind !== "kubernetes") {
    throw new Error(
      `input ${Inputs.baseline} is "image:${settings.baseline.image}", but the spec's target is ${spec.target.kind}: ` +
        `a base image can only be deployed by a kubernetes target; use "results:<path>" for other targets`,
    );
  }
  const { reference: _reference, ...model } = spec.target.kubernetes.model;
  const baseModel = { ...model, image: settings.baseline.image };
  return [
    {
      label: "base",
      target: { kind: "kubernetes", kubernetes: { ...spec.target.kubernetes, model: baseModel } },
    },
    { label: "head", target: spec.target },
  ];
}

async function loadBaseline(
  io: ActionIO,
  settings: ActionSettings,
  workingDirectory: string,
  outcome: BenchmarkOutcome,
): Promise<{ run: BaselineRun; description: string } | undefined> {
  const { baseline } = settings;
  if (baseline.kind === "none") return undefined;
  if (baseline.kind === "image") {
    const base = outcome.variants.find((variant) => variant.label === "base");
    if (base === undefined) throw new Error("The benchmark produced no measurement of the base image.");
    return {
      run: { results: base.results, stored: false },
      description: `image ${baseline.image}, measured in this run, interleaved with the head`,
    };
  }
  const path = resolve(workingDirectory, baseline.path);
  let results: ResultsDocument;
  try {
    results = await io.readResults(path);
  } catch (error) {
    throw new Error(
      `input ${Inputs.baseline} is "results:${baseline.path}", which cannot be used (${path}): ${(error as Error).message}. ` +
        "Download the main branch's results artifact to that path first, or set the input to none.",
    );
  }
  return {
    run: { results, stored: true },
    description: `stored results of ${results.createdAt} (${results.analysis.combined.repetitions} repetitions)`,
  };
}

function setMeasurementOutputs(
  io: ActionIO,
  decision: GateDecision,
  head: ResultsDocument,
  resultsPath: string,
  reportPath: string,
): void {
  const { combined } = head.analysis;
  const median = head.analysis.runs[combined.medianRun]!;
  const figure = (value: number | undefined) => (value === undefined ? "" : String(value));
  io.setOutput(Outputs.verdict, decision.verdict);
  io.setOutput(Outputs.constraintsVerdict, decision.constraintsVerdict);
  io.setOutput(Outputs.regressionVerdict, decision.regressionVerdict);
  io.setOutput(Outputs.p50Ms, figure(median.atTarget?.responseTime?.p50));
  io.setOutput(Outputs.p90Ms, figure(median.atTarget?.responseTime?.p90));
  io.setOutput(Outputs.p99Ms, figure(median.atTarget?.responseTime?.p99));
  io.setOutput(Outputs.maxThroughput, String(median.maxSustainableThroughput.throughput));
  io.setOutput(Outputs.resultsPath, resultsPath);
  io.setOutput(Outputs.reportPath, reportPath);
}
