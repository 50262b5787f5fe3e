/**
 * The normalised benchmark spec: what `loadSpec` returns after parsing, unit conversion,
 * `${VAR}` interpolation and validation. Durations are milliseconds, rates are requests per second.
 */

/** A discrete power law P(x) ∝ x^-exponent for x >= xmin (Clauset, Shalizi and Newman). */
export interface DiscretePowerLaw {
  kind: "powerlaw";
  exponent: number;
  xmin: number;
  /** Largest value drawn; the law is truncated and renormalised below it. Unbounded when absent. */
  max?: number;
}

/**
 * SciPy's `powerlaw(a, loc, scale)`: the power-function distribution, x = loc + scale * U^(1/a).
 * The ETUDE reference code carries the bol.com and RecSys'15 presets in this form.
 */
export interface PowerFunction {
  kind: "power-function";
  a: number;
  loc: number;
  scale: number;
}

export type CountDistribution = DiscretePowerLaw | PowerFunction;

export type WorkloadPreset = "bolcom" | "recsys15";

export interface WorkloadSpec {
  catalogSize: number;
  sessionLengths: CountDistribution;
  itemPopularity: CountDistribution;
  /** Set when a named preset supplied the distributions. */
  preset?: WorkloadPreset;
  topK: number;
  maxSessionLength: number;
  seed: number;
}

export type ArrivalProcess = "uniform" | "poisson";

export interface LoadSpec {
  targetRate: number;
  rampUpMs: number;
  holdMs: number;
  warmupMs: number;
  /** Rate of the warm-up phase; excluded from all statistics. */
  warmupRate: number;
  requestTimeoutMs: number;
  connections: number | "auto";
  arrival: ArrivalProcess;
}

export type Percentile = "p50" | "p90" | "p99" | "p99.9";

export interface Constraints {
  /** Latency budgets in milliseconds, on response time (measured from the intended send time). */
  latencyMs: Partial<Record<Percentile, number>>;
  /** Minimum sustained throughput in requests per second; defaults to the target rate. */
  minThroughput?: number;
  /** Maximum share of failed requests, 0..1. */
  maxErrorRate: number;
  /** Length of the sliding window that decides the maximum sustainable throughput. */
  windowMs: number;
}

export type ReferenceModel = "noop" | "synthetic";

export type TargetSpec =
  | { kind: "url"; url: string }
  | { kind: "reference"; model: ReferenceModel; catalogSize: number; workers: number; port: number }
  | {
      kind: "command";
      command: string;
      args: string[];
      env: Record<string, string>;
      url: string;
      readinessUrl: string;
      readinessTimeoutMs: number;
    }
  /** Validated by the Kubernetes target; the spec layer passes it through. */
  | { kind: "kubernetes"; kubernetes: Record<string, unknown> };

export type ProtocolSpec =
  | { kind: "etude" }
  | { kind: "torchserve"; model: string }
  | { kind: "kserve-v2"; model: string }
  | {
      kind: "template";
      path: string;
      method: "POST" | "PUT";
      headers: Record<string, string>;
      /** JSON text with the placeholder `{{items}}` where the session's item ids go. */
      body: string;
      /** RFC 6901 JSON pointer to the array of returned item ids. */
      itemsPointer: string;
    };

export interface RegressionSpec {
  /** Relative floor: a change smaller than this share of the base value never fails. */
  minRelative: number;
  /** Absolute floor for latency metrics, milliseconds. */
  minLatencyMs: number;
  /** Absolute floor for throughput, requests per second. */
  minThroughput: number;
  /** Confidence level of the bootstrap interval. */
  confidence: number;
}

export interface Spec {
  name: string;
  workload: WorkloadSpec;
  load: LoadSpec;
  constraints: Constraints;
  target: TargetSpec;
  protocol: ProtocolSpec;
  repetitions: number;
  regression: RegressionSpec;
  /** Models x deployments x scenarios to sweep; absent for a single benchmark. */
  matrix?: MatrixSpec;
}

/** A target whose reference catalog size, when absent, follows each scenario's catalog size. */
export type MatrixTarget =
  | Exclude<TargetSpec, { kind: "reference" }>
  | { kind: "reference"; model: ReferenceModel; catalogSize?: number; workers: number; port: number };

export interface MatrixModel {
  name: string;
  target: MatrixTarget;
  protocol: ProtocolSpec;
}

/** A machine price, converted to a month of 730 hours when given per hour. */
export interface Price {
  perMonth: number;
  currency: string;
}

export interface MatrixDeployment {
  name: string;
  /** This machine: cells run one at a time, without a price. Otherwise a Kubernetes placement. */
  local: boolean;
  /** Shown as the instance type in the report; default the deployment name. */
  instanceType?: string;
  nodeSelector: Record<string, string>;
  resources: { cpu?: string; memory?: string };
  gpus: number;
  /** Model replicas of the measured setup; one replica per machine. */
  replicas: number;
  price?: Price;
}

export interface MatrixScenario {
  name: string;
  /** Default: workload.catalogSize. */
  catalogSize: number;
  /** Default: load.targetRate. */
  targetRate: number;
  /** Default: the spec's constraints. */
  constraints: Constraints;
}

export interface MatrixSpec {
  /** Cluster cells run at once; local cells always run alone. */
  concurrency: number;
  models: MatrixModel[];
  deployments: MatrixDeployment[];
  scenarios: MatrixScenario[];
}
