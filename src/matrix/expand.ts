/** Expands a spec's matrix into one concrete benchmark spec per model x deployment x scenario. */
import { completeTarget, localDeployment } from "../spec/normalise.ts";
import type {
  KubernetesTargetDraft,
  MatrixDeployment,
  MatrixModel,
  MatrixScenario,
  MatrixTarget,
  Spec,
  TargetSpec,
} from "../spec/types.ts";

export interface Cell {
  /** `model/deployment/scenario`, stable across runs of the same spec. */
  id: string;
  model: MatrixModel;
  deployment: MatrixDeployment;
  scenario: MatrixScenario;
  /** The benchmark this cell runs, without a matrix. */
  spec: Spec;
}

export function cellId(model: string, deployment: string, scenario: string): string {
  return `${model}/${deployment}/${scenario}`;
}

/** Cells in order scenario, then deployment, then model; a spec without a matrix is a single cell. */
export function expandMatrix(spec: Spec): Cell[] {
  const { matrix, ...base } = spec;
  if (matrix === undefined) {
    const name = "default";
    return [
      {
        id: cellId(spec.name, "local", name),
        model: { name: spec.name, target: spec.target, protocol: spec.protocol },
        deployment: localDeployment(),
        scenario: {
          name,
          catalogSize: spec.workload.catalogSize,
          targetRate: spec.load.targetRate,
          constraints: spec.constraints,
        },
        spec: base,
      },
    ];
  }
  return matrix.scenarios.flatMap((scenario) =>
    matrix.deployments.flatMap((deployment) =>
      matrix.models.map((model) => ({
        id: cellId(model.name, deployment.name, scenario.name),
        model,
        deployment,
        scenario,
        spec: cellSpec(base, model, deployment, scenario),
      })),
    ),
  );
}

function cellSpec(
  base: Spec,
  model: MatrixModel,
  deployment: MatrixDeployment,
  scenario: MatrixScenario,
): Spec {
  return {
    ...base,
    name: `${base.name} ${cellId(model.name, deployment.name, scenario.name)}`,
    workload: { ...base.workload, catalogSize: scenario.catalogSize },
    load: {
      ...base.load,
      targetRate: scenario.targetRate,
      warmupRate: Math.min(base.load.warmupRate, scenario.targetRate),
    },
    constraints: scenario.constraints,
    target: placeTarget(model.target, deployment, scenario.catalogSize),
    protocol: model.protocol,
  };
}

/**
 * Puts the model on the deployment: the Kubernetes model takes the deployment's instance type,
 * resources, GPUs, replicas, node labels and tolerations over its own; a reference model serves the
 * scenario's catalog unless it names its own size.
 */
function placeTarget(target: MatrixTarget, deployment: MatrixDeployment, catalogSize: number): TargetSpec {
  if (target.kind !== "kubernetes") return completeTarget(target, catalogSize);
  const { model } = target.kubernetes;
  const placed: KubernetesTargetDraft = {
    ...target.kubernetes,
    model: {
      ...model,
      ...(deployment.instanceType === undefined ? {} : { instanceType: deployment.instanceType }),
      replicas: deployment.replicas,
      resources: {
        cpu: deployment.resources.cpu ?? model.resources.cpu,
        memory: deployment.resources.memory ?? model.resources.memory,
        gpu: deployment.gpus > 0 ? deployment.gpus : model.resources.gpu,
      },
      nodeSelector: { ...model.nodeSelector, ...deployment.nodeSelector },
      tolerations: [...model.tolerations, ...deployment.tolerations],
    },
  };
  return completeTarget({ kind: "kubernetes", kubernetes: placed }, catalogSize);
}
