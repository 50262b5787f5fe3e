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

/**
 * Clauset's model of the whole range: the empirical distribution below x_min, a discrete power law from
 * x_min on. `body[i]` is P(X = i + 1) for i + 1 < tail.xmin; the tail holds the remaining 1 - sum(body).
 */
export interface PowerLawWithBody {
  kind: "powerlaw-tail";
  body: number[];
  tail: { exponent: number; xmin: number; max?: number };
}

export type CountDistribution = DiscretePowerLaw | PowerFunction | PowerLawWithBody;

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
  | { kind: "kubernetes"; kubernetes: KubernetesTarget };

/** A Kubernetes toleration, as in a pod spec. */
export interface Toleration {
  key?: string;
  operator?: "Equal" | "Exists";
  value?: string;
  effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** Where pods may run. */
export interface KubernetesPlacement {
  /** Matched against the node label node.kubernetes.io/instance-type. */
  instanceType?: string;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
}

export interface KubernetesReference {
  model: ReferenceModel;
  catalogSize: number;
}

export interface KubernetesModel extends KubernetesPlacement {
  /** etude's own reference server, run from a stock Node image; exactly one of `reference` and `image`. */
  reference?: KubernetesReference;
  image?: string;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  port: number;
  imagePullSecrets: string[];
  replicas: number;
  readiness: {
    path: string;
    initialDelayMs: number;
    periodMs: number;
    failureThreshold: number;
    /** How long the whole deployment may take to become ready. */
    timeoutMs: number;
  };
  resources: { cpu: string; memory: string; gpu: number };
}

export interface KubernetesLoadGenerator extends KubernetesPlacement {
  /** Pods that share the target rate; "auto" gives each pod at most `maxRatePerPod`. */
  pods: number | "auto";
  maxRatePerPod: number;
  resources: { cpu: string; memory: string };
  /** Delay between creating the Job and the common start time of its pods. */
  startDelayMs: number;
}

/** The `target.kubernetes` block: how to reach the cluster, the model's deployment, the load generator. */
export interface KubernetesTarget {
  /** Kubeconfig content, plain YAML or base64. A secret: never shown in a message. */
  kubeconfig?: string;
  kubeconfigPath?: string;
  /** Use the pod's service account (a runner inside the cluster). */
  inCluster: boolean;
  context?: string;
  /** An existing namespace to use instead of creating `etude-<run id>`. */
  namespace?: string;
  createNamespace: boolean;
  /** After this long a run's leftovers count as expired. */
  ttlMs: number;
  /** Stock Node image that runs the bundled load generator and reference server. */
  nodeImage: string;
  loadFrom: "cluster" | "runner";
  model: KubernetesModel;
  loadGenerator: KubernetesLoadGenerator;
}

/** A Kubernetes target whose reference catalog size, when absent, follows the workload's or the scenario's. */
export type KubernetesTargetDraft = Omit<KubernetesTarget, "model"> & {
  model: Omit<KubernetesModel, "reference"> & { reference?: { model: ReferenceModel; catalogSize?: number } };
};

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
  | Exclude<TargetSpec, { kind: "reference" } | { kind: "kubernetes" }>
  | { kind: "reference"; model: ReferenceModel; catalogSize?: number; workers: number; port: number }
  | { kind: "kubernetes"; kubernetes: KubernetesTargetDraft };

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
  tolerations: Toleration[];
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
