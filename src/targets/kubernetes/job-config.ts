import type { KubernetesLoadGenerator, LoadSpec, ProtocolSpec, WorkloadSpec } from "../../spec/types.ts";

/** What one in-cluster load generator pod reads from its ConfigMap (config.json). */
export interface JobConfig {
  workload: WorkloadSpec;
  /** This pod's share of the load: the rates divided by the pod count. */
  load: LoadSpec;
  protocol: ProtocolSpec;
  /** The model's Service: http://<clusterIP>:<port>. */
  targetUrl: string;
  partitionCount: number;
  /** Unix milliseconds at which every pod starts, so their seconds line up when merged. */
  startAt: number;
}

/** How many pods share the load: as configured, or enough that none exceeds `maxRatePerPod`. */
export function loadGeneratorPodCount(load: LoadSpec, spec: KubernetesLoadGenerator): number {
  if (spec.pods !== "auto") return spec.pods;
  return Math.max(1, Math.ceil(Math.max(load.targetRate, load.warmupRate) / spec.maxRatePerPod));
}

/** One pod's share of the load. */
export function partitionLoad(load: LoadSpec, count: number): LoadSpec {
  return {
    ...load,
    targetRate: load.targetRate / count,
    warmupRate: load.warmupRate / count,
    connections: load.connections === "auto" ? "auto" : Math.max(1, Math.ceil(load.connections / count)),
  };
}

/** The planned length of a run, warm-up included. */
export function plannedDurationMs(load: LoadSpec): number {
  return load.warmupMs + load.rampUpMs + load.holdMs;
}
