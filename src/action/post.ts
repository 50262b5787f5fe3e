/**
 * Entry point of the action's post step, which runs even when the job failed or was cancelled:
 * deletes what the run left in the cluster.
 */
import * as core from "@actions/core";
import { loadSpec } from "../spec/index.ts";
import { cleanup } from "../targets/kubernetes/index.ts";
import { runsToClean } from "./cleanup-plan.ts";
import { Inputs } from "./constants.ts";
import { readRunState } from "./state.ts";

async function post(): Promise<void> {
  const state = readRunState();
  if (state === null) {
    core.info("etude: no benchmark started in this job, nothing to clean up.");
    return;
  }
  const spec = await loadSpec(state.specPath);
  const kubeconfig = core.getInput(Inputs.kubeconfig);
  const runs = runsToClean(spec, state.runId, kubeconfig === "" ? undefined : kubeconfig);
  if (runs.length === 0) {
    const used =
      spec.matrix === undefined ? `a ${spec.target.kind} target` : "local targets in every matrix cell";
    core.info(`etude: run ${state.runId} used ${used}, which stops with the run: nothing to clean up.`);
    return;
  }
  let namespaces = 0;
  for (const run of runs) {
    const report = await cleanup(
      { runId: run.runId },
      { kubernetes: run.kubernetes, log: (line) => core.info(line) },
    );
    namespaces += report.namespaces.length;
  }
  core.info(`etude: cleaned up run ${state.runId} (${namespaces} namespace(s)).`);
}

try {
  await post();
} catch (error) {
  // Leftovers expire (target.kubernetes.ttl) and `etude cleanup --expired` removes them; say so loudly.
  core.error(
    `etude: cleaning up the cluster failed: ${error instanceof Error ? error.message : String(error)}. ` +
      "The run's resources stay until their ttl passes; `etude cleanup --expired` removes expired runs.",
  );
}
