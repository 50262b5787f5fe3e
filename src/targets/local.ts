import type { TargetSpec } from "../spec/types.ts";
import { InfrastructureError } from "./errors.ts";
import { ManagedProcess } from "./process.ts";
import { waitForReady } from "./readiness.ts";

/** A model server the runner can reach over HTTP for the length of a benchmark. */
export interface RunningTarget {
  url: string;
  description: string;
  /** Throws when the target has crashed since it started. */
  assertHealthy(): void;
  close(): Promise<void>;
}

export interface LocalTargetOptions {
  seed: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

type LocalTargetSpec = Exclude<TargetSpec, { kind: "kubernetes" }>;

const REFERENCE_START_TIMEOUT_MS = 180_000;

/** Starts (or checks) a target that runs on this machine or is reachable from it. */
export async function startLocalTarget(
  target: LocalTargetSpec,
  options: LocalTargetOptions,
): Promise<RunningTarget> {
  switch (target.kind) {
    case "url":
      await assertReachable(target.url);
      return { url: target.url, description: target.url, assertHealthy: () => {}, close: async () => {} };
    case "reference":
      return startReferenceProcess(target, options);
    case "command":
      return startCommandProcess(target, options);
  }
}

/** The reference server runs in its own process so that it never shares an event loop with the load. */
async function startReferenceProcess(
  target: Extract<TargetSpec, { kind: "reference" }>,
  options: LocalTargetOptions,
): Promise<RunningTarget> {
  const args = [
    cliEntry(),
    "serve",
    `--model=${target.model}`,
    `--catalog-size=${target.catalogSize}`,
    `--workers=${target.workers}`,
    `--port=${target.port}`,
    `--seed=${options.seed}`,
  ];
  const server = new ManagedProcess({ command: process.execPath, args, log: options.log });
  try {
    const url = await server.waitForLine(/listening on (http:\/\/\S+)/, REFERENCE_START_TIMEOUT_MS);
    await waitForReady({
      url: new URL("ping", ensureSlash(url)).href,
      timeoutMs: 30_000,
      signal: options.signal,
      check: () => server.assertRunning(),
    });
    return {
      url,
      description: `etude reference server (${target.model} model, ${target.catalogSize} items, ${describeWorkers(target.workers)})`,
      assertHealthy: () => server.assertRunning(),
      close: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function startCommandProcess(
  target: Extract<TargetSpec, { kind: "command" }>,
  options: LocalTargetOptions,
): Promise<RunningTarget> {
  const shell = target.args.length === 0;
  const server = new ManagedProcess({
    command: target.command,
    args: target.args,
    env: target.env,
    shell,
    log: options.log,
  });
  try {
    await waitForReady({
      url: target.readinessUrl,
      timeoutMs: target.readinessTimeoutMs,
      signal: options.signal,
      check: () => server.assertRunning(),
    });
    return {
      url: target.url,
      description: `\`${server.description}\` at ${target.url}`,
      assertHealthy: () => server.assertRunning(),
      close: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Any HTTP answer, even a 404, proves that the server is there. */
async function assertReachable(url: string): Promise<void> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new InfrastructureError(`the target ${url} is unreachable: ${cause}`);
  }
}

function describeWorkers(workers: number): string {
  return workers === 0 ? "inference on the main thread" : `${workers} inference worker threads`;
}

function ensureSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** The CLI that can run `serve`: the sources when run from them, else the bundle beside this one. */
function cliEntry(): string {
  const relative = import.meta.url.endsWith(".ts") ? "../cli/main.ts" : "./cli.mjs";
  return new URL(relative, import.meta.url).pathname;
}
