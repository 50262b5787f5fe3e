/** Completes a validated spec: defaults that depend on other fields, then the cross-section checks. */
import { completeKubernetesTarget } from "./kubernetes.ts";
import { HOURS_PER_MONTH, type ProtocolInput, type SpecInput } from "./schema.ts";
import type {
  MatrixDeployment,
  MatrixSpec,
  MatrixTarget,
  ProtocolSpec,
  Spec,
  TargetSpec,
  WorkloadSpec,
} from "./types.ts";

const DEFAULT_WARMUP_RATE = 10;

/** `workload` is the input's workload with its distributions resolved (from a preset, explicitly, or fitted). */
export function normalise(input: SpecInput, workload: WorkloadSpec, defaultName: string): Spec {
  const name = input.name ?? defaultName;
  const { warmupRate, ...load } = input.load;
  const target = completeTarget(input.target, workload.catalogSize);
  const protocol = completeProtocol(input.protocol, name);
  const spec: Spec = {
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
  if (input.matrix !== undefined) spec.matrix = normaliseMatrix(input, spec);
  return spec;
}

/** The target with a reference catalog size that follows `catalogSize` when the spec gives none. */
export function completeTarget(target: MatrixTarget, catalogSize: number): TargetSpec {
  if (target.kind === "reference") return { ...target, catalogSize: target.catalogSize ?? catalogSize };
  if (target.kind === "kubernetes") {
    return { kind: "kubernetes", kubernetes: completeKubernetesTarget(target.kubernetes, catalogSize) };
  }
  return target;
}

function completeProtocol(protocol: ProtocolInput, modelName: string): ProtocolSpec {
  return protocol.kind === "torchserve"
    ? { kind: "torchserve", model: protocol.model ?? modelName }
    : protocol;
}

type DeploymentInput = NonNullable<NonNullable<SpecInput["matrix"]>["deployments"]>[number];

/** This machine, unpriced: the deployment of a spec that names none. */
export function localDeployment(): MatrixDeployment {
  return {
    name: "local",
    local: true,
    nodeSelector: {},
    tolerations: [],
    resources: {},
    gpus: 0,
    replicas: 1,
  };
}

function normaliseDeployment(input: DeploymentInput): MatrixDeployment {
  const { pricePerHour, pricePerMonth, currency, instanceType, ...rest } = input;
  const deployment: MatrixDeployment = rest;
  if (instanceType !== undefined) deployment.instanceType = instanceType;
  const perMonth = pricePerMonth ?? (pricePerHour === undefined ? undefined : pricePerHour * HOURS_PER_MONTH);
  if (perMonth !== undefined) deployment.price = { perMonth, currency };
  return deployment;
}

/** Absent lists default to the spec's own model, this machine, and the spec's own workload and load. */
function normaliseMatrix(input: SpecInput, spec: Spec): MatrixSpec {
  const matrix = input.matrix!;
  return {
    concurrency: matrix.concurrency,
    models: (matrix.models ?? [{ name: spec.name, target: input.target, protocol: input.protocol }]).map(
      (model) => ({
        name: model.name,
        target: model.target,
        protocol: completeProtocol(model.protocol, model.name),
      }),
    ),
    deployments: matrix.deployments?.map(normaliseDeployment) ?? [localDeployment()],
    scenarios: (matrix.scenarios ?? [{ name: "default" }]).map((scenario) => ({
      name: scenario.name,
      catalogSize: scenario.catalogSize ?? spec.workload.catalogSize,
      targetRate: scenario.targetRate ?? spec.load.targetRate,
      constraints: scenario.constraints ?? spec.constraints,
    })),
  };
}
