import { z } from "zod";

/** The `target.kubernetes` block of a benchmark spec, validated and with defaults applied. */
export type KubernetesTarget = z.infer<typeof kubernetesTargetSchema>;
export type ModelSpec = KubernetesTarget["model"];
export type LoadGeneratorSpec = KubernetesTarget["loadGenerator"];
export type Toleration = z.infer<typeof toleration>;

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration: milliseconds as a number, or a string such as "500ms", "30s", "15m", "2h". */
const duration = z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(value.trim());
  if (!match) {
    ctx.addIssue({ code: "custom", message: 'expected a duration such as "500ms", "30s", "15m" or "2h"' });
    return z.NEVER;
  }
  return Number(match[1]) * UNITS_MS[match[2]!]!;
});

const quantity = z
  .union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/)])
  .transform(String);

const name = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "expected a DNS label: lower-case letters, digits and '-'")
  .max(63);

const toleration = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(["Equal", "Exists"]).optional(),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
});

const placement = {
  /** Matched against the node label node.kubernetes.io/instance-type. */
  instanceType: z.string().min(1).optional(),
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(toleration).default([]),
};

const readiness = z
  .strictObject({
    path: z.string().startsWith("/").default("/ping"),
    initialDelay: duration.default(5_000),
    period: duration.default(5_000),
    failureThreshold: z.int().positive().default(3),
    /** How long the whole deployment may take to become ready; models can need 5-15 minutes. */
    timeout: duration.default(20 * 60_000),
  })
  .prefault({});

const modelResources = z
  .strictObject({
    cpu: quantity.default("1"),
    memory: quantity.default("2Gi"),
    gpu: z.int().nonnegative().default(0),
  })
  .prefault({});

const model = z
  .strictObject({
    /** etude's own reference server, run from a stock Node image: no model image needed. */
    reference: z
      .strictObject({
        model: z.enum(["synthetic", "noop"]).default("synthetic"),
        catalogSize: z.int().positive(),
      })
      .optional(),
    image: z.string().min(1).optional(),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).default({}),
    port: z.int().min(1).max(65_535).default(8080),
    imagePullSecrets: z.array(name).default([]),
    replicas: z.int().positive().default(1),
    readiness,
    resources: modelResources,
    ...placement,
  })
  .refine((m) => (m.reference === undefined) !== (m.image === undefined), {
    message: "expected exactly one of `reference` (etude's reference server) or `image`",
  });

const loadGenerator = z
  .strictObject({
    /** Pods that share the target rate; "auto" gives each pod at most `maxRatePerPod`. */
    pods: z.union([z.int().positive().max(64), z.literal("auto")]).default("auto"),
    maxRatePerPod: z.number().positive().default(1_000),
    resources: z.strictObject({ cpu: quantity.default("1"), memory: quantity.default("1Gi") }).prefault({}),
    /** Delay between creating the Job and the common start time of its pods, so they start together. */
    startDelay: duration.default(15_000),
    ...placement,
  })
  .prefault({});

export const kubernetesTargetSchema = z
  .strictObject({
    /** Kubeconfig content, plain YAML or base64 (as a workflow secret passes it). */
    kubeconfig: z.string().min(1).optional(),
    kubeconfigPath: z.string().min(1).optional(),
    /** Use the pod's service account (a runner inside the cluster). */
    inCluster: z.boolean().default(false),
    context: z.string().min(1).optional(),
    /** An existing namespace to use instead of creating `etude-<run id>`. */
    namespace: name.optional(),
    createNamespace: z.boolean().default(true),
    /** After this long a run's leftovers count as expired for `cleanup({ expired: true })`. */
    ttl: duration.default(6 * 3_600_000),
    /** Stock Node image that runs the bundled load generator and reference server. */
    nodeImage: z.string().min(1).default("node:24-slim"),
    loadFrom: z.enum(["cluster", "runner"]).default("cluster"),
    model,
    loadGenerator,
  })
  .refine((k) => k.createNamespace || k.namespace !== undefined, {
    message: "`createNamespace: false` needs `namespace` (an existing namespace)",
    path: ["namespace"],
  })
  .refine((k) => [k.kubeconfig, k.kubeconfigPath, k.inCluster || undefined].filter(Boolean).length <= 1, {
    message: "expected at most one of `kubeconfig`, `kubeconfigPath` or `inCluster: true`",
  });

/** Raised for an invalid `target.kubernetes` block; the message names each field, value and what is valid. */
export class KubernetesSpecError extends Error {
  override name = "KubernetesSpecError";
}

/** Validates `target.kubernetes`. Secrets (kubeconfig content) never appear in the error messages. */
export function parseKubernetesTarget(input: unknown): KubernetesTarget {
  const result = kubernetesTargetSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = ["target", "kubernetes", ...issue.path.map(String)].join(".");
    const secret = issue.path[0] === "kubeconfig";
    const got = secret || !("input" in issue) ? "" : ` (got ${describe(issue.input)})`;
    return `${field}: ${issue.message}${got}`;
  });
  throw new KubernetesSpecError(`invalid Kubernetes target:\n  ${lines.join("\n  ")}`);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
