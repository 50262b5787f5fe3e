import { GENERATOR_SCRIPT } from "./context.ts";
import type { GeneratorJob, StepSummary } from "./generator-job.ts";
import { CLIENT_CORE, runPinned } from "./processes.ts";

/** Runs etude's generator in its own process on the client core and returns one summary per step run. */
export async function runGenerator(job: GeneratorJob): Promise<StepSummary[]> {
  const plannedMs = job.steps.reduce((sum, step) => sum + step.warmupMs + step.holdMs, 0);
  const output = await runPinned(
    CLIENT_CORE,
    process.execPath,
    [GENERATOR_SCRIPT, JSON.stringify(job)],
    plannedMs + 60_000 + job.steps.length * job.requestTimeoutMs,
  );
  return output
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as StepSummary);
}
