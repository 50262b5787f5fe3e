/** Checks that relate several fields of a spec; each returns the problems it finds, empty when consistent. */
import type { CountDistribution, Percentile, Spec, WorkloadSpec } from "./types.ts";

export interface FieldProblem {
  /** Path from the checked object to the field to blame. */
  path: (string | number)[];
  message: string;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function smallestValue(distribution: CountDistribution): number {
  return distribution.kind === "powerlaw" ? distribution.xmin : Math.ceil(distribution.loc);
}

function distributionProblems(name: string, distribution: CountDistribution): FieldProblem[] {
  if (distribution.kind === "power-function") {
    return name === "sessionLengths" && distribution.loc < 1
      ? [
          {
            path: [name, "loc"],
            message: `${distribution.loc} lets sessions have no clicks; session lengths need loc >= 1`,
          },
        ]
      : [];
  }
  const problems: FieldProblem[] = [];
  if (!(distribution.exponent > 1)) {
    problems.push({
      path: [name, "exponent"],
      message: `${distribution.exponent} is not above 1; a discrete power law needs an exponent above 1`,
    });
  }
  if (!Number.isInteger(distribution.xmin) || distribution.xmin < 1) {
    problems.push({ path: [name, "xmin"], message: `${distribution.xmin} is not a whole number >= 1` });
  }
  if (distribution.max !== undefined && distribution.max < distribution.xmin) {
    problems.push({
      path: [name, "max"],
      message: `${distribution.max} is below xmin ${distribution.xmin}; the law needs max >= xmin`,
    });
  }
  return problems;
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
