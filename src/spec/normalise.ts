/** Completes a validated spec: defaults that depend on other fields, then the cross-section checks. */
import type { SpecInput } from "./schema.ts";
import type { Spec, TargetSpec, WorkloadSpec } from "./types.ts";

const DEFAULT_WARMUP_RATE = 10;

/** `workload` is the input's workload with its distributions resolved (from a preset, explicitly, or fitted). */
export function normalise(input: SpecInput, workload: WorkloadSpec, defaultName: string): Spec {
  const name = input.name ?? defaultName;
  const { warmupRate, ...load } = input.load;
  let target: TargetSpec;
  if (input.target.kind === "reference") {
    const { catalogSize, ...reference } = input.target;
    target = { ...reference, catalogSize: catalogSize ?? workload.catalogSize };
  } else {
    target = input.target;
  }
  const protocol =
    input.protocol.kind === "torchserve"
      ? { kind: "torchserve" as const, model: input.protocol.model ?? name }
      : input.protocol;
  return {
    name,
    workload,
    load: {
      targetRate: load.targetRate,
      rampUpMs: load.rampUp,
      holdMs: load.hold,
      warmupMs: load.warmup,
      warmupRate: warmupRate ?? Math.min(DEFAULT_WARMUP_RATE, load.targetRate),
      requestTimeoutMs: load.requestTimeout,
      connections: load.connections,
      arrival: load.arrival,
    },
    constraints: input.constraints,
    target,
    protocol,
    repetitions: input.repetitions,
    regression: input.regression,
  };
}
