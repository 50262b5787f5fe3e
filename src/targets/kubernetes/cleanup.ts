import type { Cluster } from "./cluster.ts";
import { LABELS, MANAGED_BY, namespaceName, runSelector } from "./manifests.ts";

export type CleanupRequest = { runId: string } | { expired: true };

export interface CleanupContext {
  cluster: Cluster;
  /** The shared namespace of `createNamespace: false`, where leftovers are found by label. */
  sharedNamespace?: string;
  log(message: string): void;
  now?: () => number;
  /** How long to wait for a deleted namespace to disappear; 0 returns at once. */
  waitMs?: number;
}

export interface CleanupReport {
  namespaces: string[];
  /** Objects deleted by label in the shared namespace. */
  objects: number;
}

const MANAGED = `${LABELS.managedBy}=${MANAGED_BY}`;

/**
 * Deletes what runs left behind: one run's namespace and labelled objects, or every etude
 * namespace and run whose expiry has passed. Only objects labelled as managed by etude are touched.
 */
export async function cleanupRuns(request: CleanupRequest, context: CleanupContext): Promise<CleanupReport> {
  const { cluster } = context;
  const now = (context.now ?? Date.now)();
  const report: CleanupReport = { namespaces: [], objects: 0 };
  const namespaces =
    "runId" in request
      ? await cluster.listNamespaces(runSelector(request.runId))
      : (await cluster.listNamespaces(MANAGED)).filter((ns) => expired(ns.metadata?.labels, now));
  if ("runId" in request) {
    // A namespace named for the run but not labelled by etude is someone else's: left alone.
    const expected = namespaceName(request.runId);
    if (!namespaces.some((ns) => ns.metadata?.name === expected) && (await cluster.readNamespace(expected))) {
      context.log(`cleanup: namespace ${expected} is not labelled ${MANAGED}; not deleting it`);
    }
  }
  for (const ns of namespaces) {
    const name = ns.metadata!.name!;
    if (await cluster.deleteNamespace(name)) report.namespaces.push(name);
  }
  if (context.sharedNamespace !== undefined) {
    const selectors =
      "runId" in request
        ? [runSelector(request.runId)]
        : await expiredRunSelectors(cluster, context.sharedNamespace, now);
    for (const selector of selectors) {
      report.objects += await cluster.deleteByLabel(context.sharedNamespace, selector);
    }
  }
  const waitMs = context.waitMs ?? 60_000;
  for (const name of report.namespaces) {
    if (waitMs > 0 && !(await cluster.waitNamespaceGone(name, waitMs))) {
      context.log(`cleanup: namespace ${name} is still terminating; Kubernetes will finish deleting it`);
    }
  }
  return report;
}

function expired(labels: Record<string, string> | undefined, now: number): boolean {
  const expires = Number(labels?.[LABELS.expires]);
  return Number.isFinite(expires) && expires * 1000 <= now;
}

async function expiredRunSelectors(cluster: Cluster, namespace: string, now: number): Promise<string[]> {
  const runs = new Set<string>();
  for (const kind of ["ConfigMap", "Deployment", "Job", "Service", "NetworkPolicy", "Pod"] as const) {
    for (const object of await cluster.list(namespace, kind, MANAGED)) {
      const labels = object.metadata?.labels;
      const runId = labels?.[LABELS.runId];
      if (runId && expired(labels, now)) runs.add(runId);
    }
  }
  return [...runs].map((runId) => runSelector(runId));
}
