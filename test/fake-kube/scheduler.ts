// Chooses a node for a pod the way kube-scheduler filters: node selector, taints, allocatable
// resources and required pod anti-affinity. Pure: callers pass the nodes and the pods bound so far.
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { KubeObject } from "./object.ts";
import { parseQuantity } from "./quantity.ts";
import { fromLabelSelectorObject, type LabelSelectorObject, matchesLabels } from "./selectors.ts";

export const SCHEDULED_RESOURCES = ["cpu", "memory", "nvidia.com/gpu"] as const;

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export type Placement = { node: string } | { unschedulable: string };

/** Requests of a pod per resource; a container's limits stand in for missing requests. */
export function podRequests(spec: IPodSpec | undefined): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const container of spec?.containers ?? []) {
    const requests = { ...(container.resources?.limits ?? {}), ...(container.resources?.requests ?? {}) };
    for (const [name, quantity] of Object.entries(requests)) {
      totals[name] =
        (totals[name] ?? 0) + parseQuantity(quantity as string | number, `resources.requests[${name}]`);
    }
  }
  return totals;
}

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((toleration) => {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    if (toleration.operator === "Exists") return !toleration.key || toleration.key === taint.key;
    return toleration.key === taint.key && (toleration.value ?? "") === (taint.value ?? "");
  });
}

function antiAffinityTerms(spec: IPodSpec | undefined): LabelSelectorObject[] {
  const terms = spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms
    .filter((term) => term.topologyKey === "kubernetes.io/hostname")
    .map((term) => (term.labelSelector ?? {}) as LabelSelectorObject);
}

export function schedule(pod: KubeObject, nodes: KubeObject[], boundPods: KubeObject[]): Placement {
  const spec = pod.spec as IPodSpec | undefined;
  const requests = podRequests(spec);
  const reasons = new Map<string, number>();
  const fail = (reason: string): void => {
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  };
  const ownAntiAffinity = antiAffinityTerms(spec).map(fromLabelSelectorObject);

  for (const node of nodes) {
    const name = node.metadata.name ?? "";
    const labels = node.metadata.labels ?? {};
    const selector = spec?.nodeSelector ?? {};
    if (Object.entries(selector).some(([key, value]) => labels[key] !== value)) {
      fail("node(s) didn't match Pod's node affinity/selector");
      continue;
    }
    const taints = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []).filter(
      (taint) => taint.effect === "NoSchedule" || taint.effect === "NoExecute",
    );
    const untolerated = taints.find((taint) => !tolerates((spec?.tolerations ?? []) as Toleration[], taint));
    if (untolerated) {
      const value = untolerated.value ? `: ${untolerated.value}` : "";
      fail(`node(s) had untolerated taint {${untolerated.key}${value}}`);
      continue;
    }
    const onNode = boundPods.filter((other) => (other.spec as IPodSpec | undefined)?.nodeName === name);
    const allocatable =
      (node.status as { allocatable?: Record<string, string> } | undefined)?.allocatable ?? {};
    const insufficient = Object.entries(requests).filter(([resource, amount]) => {
      if (amount <= 0) return false;
      const capacity =
        allocatable[resource] === undefined
          ? 0
          : parseQuantity(allocatable[resource], `allocatable[${resource}]`);
      const used = onNode.reduce(
        (sum, other) => sum + (podRequests(other.spec as IPodSpec)[resource] ?? 0),
        0,
      );
      return used + amount > capacity;
    });
    if (insufficient.length > 0) {
      for (const [resource] of insufficient) fail(`Insufficient ${resource}`);
      continue;
    }
    const conflicts = onNode.some(
      (other) =>
        ownAntiAffinity.some((requirements) => matchesLabels(requirements, other.metadata.labels)) ||
        antiAffinityTerms(other.spec as IPodSpec)
          .map(fromLabelSelectorObject)
          .some((requirements) => matchesLabels(requirements, pod.metadata.labels)),
    );
    if (conflicts) {
      fail("node(s) didn't match pod anti-affinity rules");
      continue;
    }
    return { node: name };
  }
  const summary = [...reasons.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, count]) => `${count} ${reason}`)
    .join(", ");
  return { unschedulable: `0/${nodes.length} nodes are available: ${summary}.` };
}
