import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { GENERATOR_SCRIPT } from "./context.ts";
import type { GeneratorJob, StepSummary } from "./generator-job.ts";
import { CLIENT_CORE, runPinned } from "./processes.ts";

let bundled: Promise<string> | undefined;

/**
 * The generator as it ships: one esbuild bundle of plain JavaScript, like dist/. Run from its .ts sources
 * instead, Node strips the types of every module as it loads, which costs ~60 MB of resident memory
 * that the shipped program never pays.
 */
function generatorBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), "etude-generator-")), "generator.mjs");
    await build({
      entryPoints: [GENERATOR_SCRIPT],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      logLevel: "error",
      // CommonJS dependencies inside an ES module bundle still call require.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    return outfile;
  })();
  return bundled;
}

/** Runs etude's generator in its own process on the client core and returns one summary per step run. */
export async function runGenerator(job: GeneratorJob): Promise<StepSummary[]> {
  const plannedMs = job.steps.reduce((sum, step) => sum + step.warmupMs + step.holdMs, 0);
  const output = await runPinned(
    CLIENT_CORE,
    process.execPath,
    // As etude runs it: the in-cluster Job and the npm scripts cap V8's young generation.
    ["--max-semi-space-size=4", await generatorBundle(), JSON.stringify(job)],
    plannedMs + 60_000 + job.steps.length * job.requestTimeoutMs,
  );
  return output
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as StepSummary);
}
