/**
 * The cheapest setup that meets the budget, from measured cells: per-replica throughput, machines needed
 * for the scenario's rate, and monthly cost. Assumes throughput scales linearly with replicas (one per
 * machine), as ETUDE's Table I does.
 */
import type { MatrixDeployment, MatrixScenario, Price } from "../spec/types.ts";
import type { CellRecord } from "./types.ts";

/** Machines for `targetRate` at `perReplicaThroughput` each; null when a replica sustains nothing. */
export function replicasNeeded(targetRate: number, perReplicaThroughput: number): number | null {
  if (!(perReplicaThroughput > 0)) return null;
  return Math.max(1, Math.ceil(targetRate / perReplicaThroughput));
}

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** Monthly cost of `machines` machines, each billed at the price rounded to cents. */
export function monthlyCost(price: Price, machines: number): number {
  return cents(cents(price.perMonth) * machines);
}

export interface CellAnswer {
  id: string;
  model: string;
  deployment: string;
  /** The deployment's instance type, or its name. */
  instanceType: string;
  scenario: string;
  status: "feasible" | "infeasible" | "unmeasured";
  /** Why a cell is infeasible or unmeasured. */
  reason?: string;
  perReplicaThroughput: number | null;
  machines: number | null;
  /** Null for a deployment without a price. */
  monthlyCost: number | null;
  currency: string | null;
  p90AtTarget: number | null;
}

/**
 * A setup that met every budget at the scenario's rate needs its own replica count. One that fell short
 * needs ceil(rate / per-replica throughput) machines, and at least one more than were measured, since
 * the measured setup itself failed.
 */
export function answerCell(
  record: CellRecord,
  deployment: MatrixDeployment,
  scenario: MatrixScenario,
): CellAnswer {
  const base = {
    id: record.id,
    model: record.model,
    deployment: deployment.name,
    instanceType: deployment.instanceType ?? deployment.name,
    scenario: scenario.name,
    currency: deployment.price?.currency ?? null,
  };
  const none = { perReplicaThroughput: null, machines: null, monthlyCost: null, p90AtTarget: null };
  if (record.status === "failed") return { ...base, ...none, status: "unmeasured", reason: record.error };
  const { summary } = record;
  if (summary.verdict === "invalid") {
    return { ...base, ...none, status: "unmeasured", reason: summary.invalidReasons.join("; ") };
  }
  const perReplicaThroughput = summary.maxSustainableThroughput / deployment.replicas;
  const needed = replicasNeeded(scenario.targetRate, perReplicaThroughput);
  if (needed === null) {
    return {
      ...base,
      ...none,
      perReplicaThroughput,
      p90AtTarget: summary.p90AtTarget,
      status: "infeasible",
      reason: "no window met the budget at any request rate",
    };
  }
  const machines =
    summary.verdict === "pass" ? deployment.replicas : Math.max(needed, deployment.replicas + 1);
  return {
    ...base,
    status: "feasible",
    perReplicaThroughput,
    machines,
    monthlyCost: deployment.price === undefined ? null : monthlyCost(deployment.price, machines),
    p90AtTarget: summary.p90AtTarget,
  };
}

/** Cheaper first (unpriced after priced), then fewer machines, then deployment name, then model name. */
export function compareOptions(a: CellAnswer, b: CellAnswer): number {
  const costA = a.monthlyCost ?? Number.POSITIVE_INFINITY;
  const costB = b.monthlyCost ?? Number.POSITIVE_INFINITY;
  if (costA !== costB) return costA < costB ? -1 : 1;
  return (
    (a.machines ?? Number.POSITIVE_INFINITY) - (b.machines ?? Number.POSITIVE_INFINITY) ||
    a.deployment.localeCompare(b.deployment, "en") ||
    a.model.localeCompare(b.model, "en")
  );
}

/** The cheapest feasible option among a scenario's cells; undefined when none is feasible. */
export function cheapestOption(answers: readonly CellAnswer[]): CellAnswer | undefined {
  return answers.filter((answer) => answer.status === "feasible").toSorted(compareOptions)[0];
}
