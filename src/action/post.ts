/**
 * Entry point of the action's post step, which runs even when the job failed or was cancelled:
 * deletes what the run left in the cluster.
 */
import * as core from "@actions/core";
import { loadSpec } from "../spec/index.ts";
import { cleanup } from "../targets/kubernetes/index.ts";
import { Inputs } from "./constants.ts";
import { readRunState } from "./state.ts";

async function post(): Promise<void> {
  const state = readRunState();
  if (state === null) {
    core.info("etude: no benchmark started in this job, nothing to clean up.");
    return;
  }
  const spec = await loadSpec(state.specPath);
  if (spec.target.kind !== "kubernetes") {
    core.info(
      `etude: run ${state.runId} used a ${spec.target.kind} target, which stops with the run: nothing to clean up.`,
    );
    return;
  }
  const kubeconfig = core.getInput(Inputs.kubeconfig);
  const { kubeconfigPath: _path, ...fromSpec } = spec.target.kubernetes;
  const kubernetes =
    kubeconfig === "" ? spec.target.kubernetes : { ...fromSpec, kubeconfig, inCluster: false };
  const report = await cleanup({ runId: state.runId }, { kubernetes, log: (line) => core.info(line) });
  core.info(`etude: cleaned up run ${state.runId} (${report.namespaces.length} namespace(s)).`);
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
