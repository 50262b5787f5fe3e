import { type KubernetesTarget, parseKubernetesTarget, type Spec } from "../../src/spec/index.ts";

/** A short benchmark: a few seconds at 50 req/s against a small synthetic catalog. */
export function shortSpec(): Spec {
  return {
    name: "kubernetes-e2e",
    workload: {
      catalogSize: 1_000,
      sessionLengths: { kind: "powerlaw", exponent: 2.5, xmin: 1 },
      itemPopularity: { kind: "powerlaw", exponent: 1.7, xmin: 1 },
      topK: 21,
      maxSessionLength: 20,
      seed: 7,
    },
    load: {
      targetRate: 50,
      rampUpMs: 1_000,
      holdMs: 2_000,
      warmupMs: 0,
      warmupRate: 0,
      requestTimeoutMs: 2_000,
      connections: 4,
      arrival: "uniform",
    },
    constraints: { latencyMs: { p90: 50 }, maxErrorRate: 0.01, windowMs: 1_000 },
    target: { kind: "kubernetes", kubernetes: shortTarget({}) },
    protocol: { kind: "etude" },
    repetitions: 1,
    regression: { minRelative: 0.05, minLatencyMs: 1, minThroughput: 1, confidence: 0.95 },
  };
}

/** The reference model and two load generator pods, small enough for a test cluster. */
export function shortTarget(
  connection: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): KubernetesTarget {
  const { model, loadGenerator, ...rest } = overrides as { model?: object; loadGenerator?: object };
  return parseKubernetesTarget({
    ...connection,
    model: {
      reference: { model: "synthetic", catalogSize: 1_000 },
      readiness: { initialDelay: "0s", period: "1s", timeout: "90s" },
      resources: { cpu: "250m", memory: "256Mi" },
      ...model,
    },
    loadGenerator: {
      pods: 2,
      startDelay: "2s",
      resources: { cpu: "250m", memory: "256Mi" },
      ...loadGenerator,
    },
    ...rest,
  });
}
