import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";

const IMAGE_PULL = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);

export interface PodEvidence {
  pods: readonly V1Pod[];
  events: readonly CoreV1Event[];
  /** Last log lines of crashed containers, by pod name. */
  logs: ReadonlyMap<string, readonly string[]>;
}

/** A pod whose container crashed and whose last log lines explain it. */
export function crashedPods(pods: readonly V1Pod[]): { pod: string; container: string }[] {
  const crashed: { pod: string; container: string }[] = [];
  for (const pod of pods) {
    for (const status of pod.status?.containerStatuses ?? []) {
      const waiting = status.state?.waiting?.reason;
      const terminated = status.state?.terminated ?? status.lastState?.terminated;
      if (waiting === "CrashLoopBackOff" || (terminated && terminated.exitCode !== 0)) {
        crashed.push({ pod: pod.metadata?.name ?? "", container: status.name });
      }
    }
  }
  return crashed;
}

/**
 * One sentence on why pods are not ready, from pod status and events: an image that cannot be
 * pulled, a crash loop (with the last log lines), a resource no node has, or a failing probe.
 */
export function explainNotReady(what: string, evidence: PodEvidence): string {
  const { pods, events } = evidence;
  for (const pod of pods) {
    for (const status of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      const waiting = status.state?.waiting;
      if (waiting?.reason && IMAGE_PULL.has(waiting.reason)) {
        const detail = waiting.message ? `: ${waiting.message}` : "";
        return `${what} cannot start: the image ${status.image} cannot be pulled (${waiting.reason}${detail}).`;
      }
    }
  }
  for (const { pod, container } of crashedPods(pods)) {
    const status = pods
      .find((p) => p.metadata?.name === pod)
      ?.status?.containerStatuses?.find((s) => s.name === container);
    const terminated = status?.state?.terminated ?? status?.lastState?.terminated;
    const exit = terminated
      ? `exit code ${terminated.exitCode}${terminated.reason ? `, ${terminated.reason}` : ""}`
      : "";
    const restarts = status?.restartCount ? `, restarted ${status.restartCount} times` : "";
    const lines = evidence.logs.get(pod) ?? [];
    const log = lines.length > 0 ? `; last log lines:\n${lines.join("\n")}` : "; it wrote no log";
    return `${what} crashes (container ${container} of pod ${pod}: ${exit}${restarts})${log}`;
  }
  const unschedulable = pods.find((pod) =>
    pod.status?.conditions?.some((c) => c.type === "PodScheduled" && c.status === "False"),
  );
  if (unschedulable) {
    const podName = unschedulable.metadata?.name;
    const event = latest(
      events.filter((e) => e.reason === "FailedScheduling" && e.involvedObject.name === podName),
    );
    const message =
      event?.message ??
      unschedulable.status?.conditions?.find((c) => c.type === "PodScheduled")?.message ??
      "no reason given";
    const short = [...message.matchAll(/Insufficient ([\w./-]+)/g)].map((m) => m[1]);
    const reason =
      short.length > 0
        ? `no node has enough ${[...new Set(short)].join(" and ")}`
        : /node affinity|selector/i.test(message)
          ? "no node matches its node selector, instance type or affinity"
          : "no node can take it";
    return `${what} cannot be scheduled: ${reason} (${message.trim()}).`;
  }
  const unhealthy = latest(
    events.filter(
      (e) => e.reason === "Unhealthy" && pods.some((p) => p.metadata?.name === e.involvedObject.name),
    ),
  );
  if (unhealthy) return `${what} runs but its readiness probe fails (${unhealthy.message?.trim()}).`;
  const running = pods.filter((p) => p.status?.phase === "Running");
  if (running.length > 0) return `${what} runs but never passed its readiness probe.`;
  if (pods.length === 0)
    return `${what} has no pods (check the ResourceQuota and the events of the namespace).`;
  return `${what} is still ${pods.map((p) => p.status?.phase ?? "Pending").join(", ")}.`;
}

function latest(events: readonly CoreV1Event[]): CoreV1Event | undefined {
  const time = (e: CoreV1Event) =>
    new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? 0).getTime();
  return [...events].sort((a, b) => time(b) - time(a))[0];
}
