import type { KubernetesTarget } from "../../spec/types.ts";
import { type CleanupReport, type CleanupRequest, cleanupRuns } from "./cleanup.ts";
import { Cluster } from "./cluster.ts";
import { connect } from "./connect.ts";

export type { CleanupReport, CleanupRequest } from "./cleanup.ts";
export { type KubernetesRunOptions, type KubernetesRunResult, runOnKubernetes } from "./run.ts";

export interface CleanupOptions {
  /** The validated `target.kubernetes` block: how to connect, and the shared namespace if any. */
  kubernetes: KubernetesTarget;
  log(message: string): void;
}

/**
 * Deletes what runs left behind: `{ runId }` for one run, `{ expired: true }` for every etude
 * namespace (or labelled run in the shared namespace) past its expiry. Safe to call repeatedly.
 */
export async function cleanup(request: CleanupRequest, options: CleanupOptions): Promise<CleanupReport> {
  const { kubernetes, log } = options;
  const connection = connect(kubernetes);
  const report = await cleanupRuns(request, {
    cluster: new Cluster(connection.kubeConfig),
    log,
    ...(kubernetes.createNamespace ? {} : { sharedNamespace: kubernetes.namespace! }),
  });
  log(
    `cleanup: deleted ${report.namespaces.length} namespace(s)${report.namespaces.length ? ` (${report.namespaces.join(", ")})` : ""}` +
      (kubernetes.createNamespace ? "" : ` and ${report.objects} object(s) in ${kubernetes.namespace}`),
  );
  return report;
}
