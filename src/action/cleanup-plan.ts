/**
 * What the post step deletes: every run id the main step may have started in a cluster, each with
 * how to reach that cluster. A sweep names its cells' runs `cellRunId(run id, n)` in the order they
 * start, cluster cells first, so those of a matrix are n = 1 to the number of cluster cells.
 */
import { cellRunId } from "../benchmark/sweep.ts";
import { expandMatrix } from "../matrix/expand.ts";
import type { KubernetesTarget, Spec } from "../spec/types.ts";

export interface RunToClean {
  runId: string;
  kubernetes: KubernetesTarget;
}

/** `kubeconfig`, the action's input when set, replaces the spec's way of connecting. */
export function runsToClean(spec: Spec, runId: string, kubeconfig?: string): RunToClean[] {
  const connect = (kubernetes: KubernetesTarget): KubernetesTarget => {
    if (kubeconfig === undefined) return kubernetes;
    const { kubeconfigPath: _path, ...rest } = kubernetes;
    return { ...rest, kubeconfig, inCluster: false };
  };
  if (spec.matrix === undefined) {
    return spec.target.kind === "kubernetes" ? [{ runId, kubernetes: connect(spec.target.kubernetes) }] : [];
  }
  const clusters = expandMatrix(spec).flatMap((cell) =>
    cell.spec.target.kind === "kubernetes" ? [connect(cell.spec.target.kubernetes)] : [],
  );
  // Cells usually share one cluster and namespace: clean each distinct one once per run id.
  const distinct = new Map(clusters.map((kubernetes) => [connectionKey(kubernetes), kubernetes]));
  return [...distinct.values()].flatMap((kubernetes) =>
    clusters.map((_, index) => ({ runId: cellRunId(runId, index + 1), kubernetes })),
  );
}

function connectionKey(kubernetes: KubernetesTarget): string {
  const { kubeconfig, kubeconfigPath, inCluster, context, namespace, createNamespace } = kubernetes;
  return JSON.stringify([kubeconfig, kubeconfigPath, inCluster, context, namespace, createNamespace]);
}
