/** Checks that relate several fields of a spec; each returns the problems it finds, empty when consistent. */
import type { CountDistribution, Percentile, PowerLawWithBody, Spec, WorkloadSpec } from "./types.ts";

export interface FieldProblem {
  /** Path from the checked object to the field to blame. */
  path: (string | number)[];
  message: string;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function smallestValue(distribution: CountDistribution): number {
  switch (distribution.kind) {
    case "powerlaw":
      return distribution.xmin;
    case "power-function":
      return Math.ceil(distribution.loc);
    case "powerlaw-tail": {
      const first = distribution.body.findIndex((probability) => probability > 0);
      return first < 0 ? distribution.tail.xmin : first + 1;
    }
  }
}

function powerLawProblems(
  path: (string | number)[],
  law: { exponent: number; xmin: number; max?: number },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(law.exponent > 1)) {
    problems.push({
      path: [...path, "exponent"],
      message: `${law.exponent} is not above 1; a discrete power law needs an exponent above 1`,
    });
  }
  if (!Number.isInteger(law.xmin) || law.xmin < 1) {
    problems.push({ path: [...path, "xmin"], message: `${law.xmin} is not a whole number >= 1` });
  }
  if (law.max !== undefined && law.max < law.xmin) {
    problems.push({
      path: [...path, "max"],
      message: `${law.max} is below xmin ${law.xmin}; the law needs max >= xmin`,
    });
  }
  return problems;
}

/** Significant digits shown of a sum that must stay below 1. */
const SUM_DIGITS = 6;

function bodyProblems(name: string, { body, tail }: PowerLawWithBody): FieldProblem[] {
  const problems: FieldProblem[] = [];
  body.forEach((probability, index) => {
    if (!(Number.isFinite(probability) && probability >= 0)) {
      problems.push({
        path: [name, "body", index],
        message: `${probability} is not a probability; body entries are P(x) >= 0`,
      });
    }
  });
  if (Number.isInteger(tail.xmin) && body.length !== tail.xmin - 1) {
    problems.push({
      path: [name, "body"],
      message: `holds ${body.length} probabilities but tail.xmin ${tail.xmin} needs ${tail.xmin - 1}, P(x) for x = 1 .. xmin - 1; give that many or set tail.xmin to ${body.length + 1}`,
    });
  }
  const sum = body.reduce((total, probability) => total + probability, 0);
  if (!(sum < 1)) {
    problems.push({
      path: [name, "body"],
      message: `sums to ${Number(sum.toPrecision(SUM_DIGITS))}; the body's probabilities must sum to less than 1, leaving 1 - sum(body) to the tail`,
    });
  }
  return problems;
}

function distributionProblems(name: string, distribution: CountDistribution): FieldProblem[] {
  switch (distribution.kind) {
    case "power-function":
      return name === "sessionLengths" && distribution.loc < 1
        ? [
            {
              path: [name, "loc"],
              message: `${distribution.loc} lets sessions have no clicks; session lengths need loc >= 1`,
            },
          ]
        : [];
    case "powerlaw":
      return powerLawProblems([name], distribution);
    case "powerlaw-tail":
      return [...bodyProblems(name, distribution), ...powerLawProblems([name, "tail"], distribution.tail)];
  }
}

export function workloadProblems(workload: WorkloadSpec): FieldProblem[] {
  const problems = [
    ...distributionProblems("sessionLengths", workload.sessionLengths),
    ...distributionProblems("itemPopularity", workload.itemPopularity),
  ];
  if (workload.topK >= workload.catalogSize) {
    problems.push({
      path: ["topK"],
      message: `${workload.topK} is not below catalogSize ${workload.catalogSize}; recommend fewer items than the catalog holds`,
    });
  }
  const shortest = smallestValue(workload.sessionLengths);
  if (workload.maxSessionLength < shortest) {
    problems.push({
      path: ["maxSessionLength"],
      message: `${workload.maxSessionLength} is below the shortest session length ${shortest} of sessionLengths; use at least ${shortest}`,
    });
  }
  return problems;
}

/** Checks across sections, on a spec whose sections are each valid. */
export function specProblems(spec: Spec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { load, constraints, target, workload } = spec;
  if (constraints.minThroughput !== undefined && constraints.minThroughput > load.targetRate) {
    problems.push({
      path: ["constraints", "minThroughput"],
      message: `${constraints.minThroughput} exceeds load.targetRate ${load.targetRate}; the run never offers more than the target rate, so this budget could never be met`,
    });
  }
  const measuredMs = load.rampUpMs + load.holdMs;
  if (constraints.windowMs > measuredMs) {
    problems.push({
      path: ["constraints", "window"],
      message: `${formatMs(constraints.windowMs)} is longer than load.rampUp + load.hold (${formatMs(measuredMs)}); use a shorter window or a longer run`,
    });
  }
  for (const [percentile, budgetMs] of Object.entries(constraints.latencyMs) as [Percentile, number][]) {
    if (budgetMs >= load.requestTimeoutMs) {
      problems.push({
        path: ["constraints", percentile],
        message: `${formatMs(budgetMs)} is not below load.requestTimeout ${formatMs(load.requestTimeoutMs)}; slower requests time out and count as errors, so raise the timeout above the budget`,
      });
    }
  }
  if (target.kind === "reference" && workload.topK >= target.catalogSize) {
    problems.push({
      path: ["target", "reference", "catalogSize"],
      message: `${target.catalogSize} is not above workload.topK ${workload.topK}; the reference model cannot return that many items`,
    });
  }
  return problems;
}

/** Checks of the matrix against the rest of the spec: every cell must be a runnable spec. */
export function matrixProblems(spec: Spec): FieldProblem[] {
  const { matrix } = spec;
  if (matrix === undefined) return [];
  const problems: FieldProblem[] = [];
  matrix.scenarios.forEach((scenario, index) => {
    const at = (...path: (string | number)[]) => ["matrix", "scenarios", index, ...path];
    if (spec.workload.topK >= scenario.catalogSize) {
      problems.push({
        path: at("catalogSize"),
        message: `${scenario.catalogSize} is not above workload.topK ${spec.workload.topK}; recommend fewer items than the catalog holds`,
      });
    }
    const cellProblems = specProblems({
      ...spec,
      load: { ...spec.load, targetRate: scenario.targetRate },
      constraints: scenario.constraints,
    });
    for (const problem of cellProblems) {
      if (problem.path[0] !== "constraints") continue;
      const path = scenarioHasOwnConstraints(spec, index) ? at(...problem.path) : at("targetRate");
      problems.push({ path, message: `scenario ${scenario.name}: ${problem.message}` });
    }
  });
  matrix.models.forEach((model, modelIndex) => {
    const cluster = model.target.kind === "kubernetes";
    for (const deployment of matrix.deployments) {
      if (cluster === !deployment.local) continue;
      problems.push({
        path: ["matrix", "models", modelIndex, "target"],
        message: cluster
          ? `model ${model.name} runs on Kubernetes but deployment ${deployment.name} is local; give the model a reference, command or url target, or drop local: true`
          : `model ${model.name} runs on this machine but deployment ${deployment.name} is a Kubernetes placement; give the model a kubernetes target or set local: true on the deployment`,
      });
    }
  });
  const currencies = [...new Set(matrix.deployments.flatMap((d) => (d.price ? [d.price.currency] : [])))];
  if (currencies.length > 1) {
    const index = matrix.deployments.findIndex((d) => d.price && d.price.currency !== currencies[0]);
    problems.push({
      path: ["matrix", "deployments", index, "currency"],
      message: `prices mix ${currencies.join(" and ")}; give every price in one currency so costs compare`,
    });
  }
  return problems;
}

function scenarioHasOwnConstraints(spec: Spec, index: number): boolean {
  return spec.matrix!.scenarios[index]!.constraints !== spec.constraints;
}
