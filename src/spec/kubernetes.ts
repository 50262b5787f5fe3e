/**
 * The zod source of `target.kubernetes`: how to reach the cluster, the model's Deployment and the
 * in-cluster load generator. Built from the spec's own field builders, so durations, counts and
 * problems read the same as everywhere else in the spec.
 */
import { z } from "zod";
import { count, duration, flag, oneOf, secretText, show, stringList, stringMap, text } from "./fields.ts";
import type { KubernetesTarget, KubernetesTargetDraft, ReferenceModel, Toleration } from "./types.ts";

/** A Kubernetes resource quantity: `2`, `500m`, `4Gi`. */
const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

export function quantity(what: string, description: string) {
  return z
    .union([z.number(), z.string()], {
      error: (issue) => `${show(issue.input)} is not a quantity; ${what}`,
    })
    .meta({ description })
    .transform((value, ctx) => {
      const written = String(value);
      if (!QUANTITY.test(written) || Number.parseFloat(written) <= 0) {
        ctx.issues.push({
          code: "custom",
          message: `${show(value)} is not a Kubernetes quantity above 0; ${what}`,
          input: value,
        });
        return z.NEVER;
      }
      return written;
    });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function dnsLabel(description: string) {
  return text("write a DNS label such as etude-bench", description).check((ctx) => {
    if (!DNS_LABEL.test(ctx.value) || ctx.value.length > 63) {
      ctx.issues.push({
        code: "custom",
        message: `${show(ctx.value)} is not a DNS label; use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit`,
        input: ctx.value,
      });
    }
  });
}

const toleration = z
  .strictObject({
    key: text("give the taint key", "Taint key; absent with operator Exists: every taint.").optional(),
    operator: oneOf(["Equal", "Exists"], "Equal matches key and value; Exists matches the key.").optional(),
    value: text("give the taint value", "Taint value matched with operator Equal.").optional(),
    effect: oneOf(["NoSchedule", "PreferNoSchedule", "NoExecute"], "Taint effect tolerated.").optional(),
  })
  .meta({ description: "A toleration, as in a pod spec." })
  .transform(
    (value): Toleration => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)),
  );

/** Tolerations of the pods, e.g. `[{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }]`. */
export const tolerations = z
  .array(toleration, { error: (issue) => `${show(issue.input)} is not a list of tolerations` })
  .meta({ description: "Taints the pods tolerate." });

const placement = {
  instanceType: text(
    "give the instance type",
    "Instance type, e.g. n1-standard-8; matched against node.kubernetes.io/instance-type.",
  ).optional(),
  nodeSelector: stringMap("Node labels the pods must match.").prefault({}),
  tolerations: tolerations.prefault([]),
};

const referenceModels: readonly [ReferenceModel, ...ReferenceModel[]] = ["noop", "synthetic"];

/** Which reference model and catalog: shared by local and Kubernetes reference targets. */
export const referenceModelFields = {
  model: oneOf(referenceModels, "noop answers at once; synthetic scores the whole catalog.").prefault(
    "synthetic",
  ),
  catalogSize: count(
    {
      min: 2,
      max: 2 ** 32,
      integer: true,
      what: "the catalog holds a whole number of items from 2 to 2^32",
    },
    "Items in the model's catalog; default workload.catalogSize.",
  ).optional(),
};

const reference = z
  .strictObject(referenceModelFields)
  .meta({ description: "etude's reference server, run from the stock Node image: no model image needed." });

const readiness = z
  .strictObject({
    path: text("write a path starting with /", "Path of the readiness probe.")
      .check((ctx) => {
        if (!ctx.value.startsWith("/")) {
          ctx.issues.push({
            code: "custom",
            message: `${show(ctx.value)} does not start with /`,
            input: ctx.value,
          });
        }
      })
      .prefault("/ping"),
    initialDelay: duration(
      { min: 0, what: "the initial delay is a duration, e.g. 5s" },
      "Wait before the first readiness probe.",
    ).prefault("5s"),
    period: duration(
      { min: 1000, what: "Kubernetes probes at most once a second; use e.g. 1s or 5s" },
      "Time between readiness probes.",
    ).prefault("5s"),
    failureThreshold: count(
      { min: 1, integer: true, what: "failureThreshold is a whole number >= 1" },
      "Failed probes before a pod counts as not ready.",
    ).prefault(3),
    timeout: duration(
      { min: 0, minExclusive: true, what: "the timeout is a duration above 0, e.g. 15m" },
      "Longest wait for the whole Deployment to become ready; large models can need 5-15 minutes.",
    ).prefault("20m"),
  })
  .meta({ description: "Readiness probe of the model pods." })
  .transform((value) => ({
    path: value.path,
    initialDelayMs: value.initialDelay,
    periodMs: value.period,
    failureThreshold: value.failureThreshold,
    timeoutMs: value.timeout,
  }));

const model = z
  .strictObject({
    reference: reference.optional(),
    image: text(
      "give a container image such as ghcr.io/acme/gru4rec:1",
      "The model server's image.",
    ).optional(),
    command: stringList("write e.g. [python, serve.py]", "Container command (entrypoint).").optional(),
    args: stringList('write e.g. [--port, "8080"]', "Container arguments.").optional(),
    env: stringMap("Environment variables of the model container.").prefault({}),
    port: count(
      { min: 1, max: 65535, integer: true, what: "the port is a whole number from 1 to 65535" },
      "Port the model server listens on.",
    ).prefault(8080),
    imagePullSecrets: z
      .array(dnsLabel("Name of a docker-registry Secret in the namespace."), {
        error: (issue) => `${show(issue.input)} is not a list of Secret names`,
      })
      .meta({ description: "Secrets to pull the image with." })
      .prefault([]),
    replicas: count(
      { min: 1, integer: true, what: "replicas is a whole number >= 1" },
      "Model pods behind the Service.",
    ).prefault(1),
    readiness: readiness.prefault({}),
    resources: z
      .strictObject({
        cpu: quantity("write CPU as e.g. 2 or 500m", "CPU per model pod (request = limit).").prefault("1"),
        memory: quantity("write memory as e.g. 2Gi or 512Mi", "Memory per model pod.").prefault("2Gi"),
        gpu: count(
          { min: 0, integer: true, what: "gpu is a whole number >= 0" },
          "GPUs per model pod.",
        ).prefault(0),
      })
      .meta({ description: "Resources per model pod; requests equal limits." })
      .prefault({}),
    ...placement,
  })
  .meta({ description: "The model server's Deployment: reference or image, resources and placement." })
  .superRefine((value, ctx) => {
    if (value.reference !== undefined && value.image !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["image"],
        message: "reference and image exclude each other; keep reference (etude's reference server) or image",
      });
    } else if (value.reference === undefined && value.image === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message:
          "the model needs reference: { model: synthetic } (etude's reference server) or image: <your image>",
      });
    }
  });

const loadGenerator = z
  .strictObject({
    pods: z
      .union(
        [
          z.literal("auto"),
          count(
            { min: 1, max: 64, integer: true, what: "pods is auto or a whole number from 1 to 64" },
            "Pods.",
          ),
        ],
        {
          error: (issue) => `${show(issue.input)} is not valid; write auto or a number of pods from 1 to 64`,
        },
      )
      .meta({ description: "Pods that share the target rate; auto gives each at most maxRatePerPod." })
      .prefault("auto"),
    maxRatePerPod: count(
      { min: 0, minExclusive: true, what: "maxRatePerPod is a rate above 0, e.g. 1k" },
      "Highest rate one pod sends with pods: auto.",
    ).prefault(1000),
    resources: z
      .strictObject({
        cpu: quantity("write CPU as e.g. 1 or 500m", "CPU per load generator pod.").prefault("1"),
        memory: quantity("write memory as e.g. 1Gi or 512Mi", "Memory per load generator pod.").prefault(
          "1Gi",
        ),
      })
      .meta({ description: "Resources per load generator pod; requests equal limits." })
      .prefault({}),
    startDelay: duration(
      { min: 0, what: "the start delay is a duration, e.g. 15s" },
      "Delay between creating the Job and the common start of its pods, so they start together.",
    ).prefault("15s"),
    ...placement,
  })
  .meta({ description: "The in-cluster load generator Job." })
  .transform(({ startDelay, ...rest }) => ({ ...rest, startDelayMs: startDelay }));

const CONNECTIONS = ["kubeconfig", "kubeconfigPath", "inCluster"] as const;

/** `target.kubernetes`; its output is a draft whose reference catalog size may still default. */
export const kubernetesTarget = z
  .strictObject({
    kubeconfig: secretText(
      "pass the kubeconfig content, plain YAML or base64, from a secret",
      "Kubeconfig content, plain YAML or base64 (as a workflow secret passes it). Never shown in messages.",
    ).optional(),
    kubeconfigPath: text("give the path of a kubeconfig file", "Path of a kubeconfig file.").optional(),
    inCluster: flag("Use the pod's service account (a runner inside the cluster).").prefault(false),
    context: text(
      "give a kubeconfig context name",
      "Kubeconfig context; default the current one.",
    ).optional(),
    namespace: dnsLabel("An existing namespace to use instead of creating etude-<run id>.").optional(),
    createNamespace: flag("Create a namespace per run (false: use namespace).").prefault(true),
    ttl: duration(
      { min: 0, minExclusive: true, what: "the ttl is a duration above 0, e.g. 6h" },
      "After this long a run's leftovers count as expired for etude cleanup --expired.",
    ).prefault("6h"),
    nodeImage: text(
      "give a Node 24 image such as node:24-slim",
      "Stock Node image that runs the bundled load generator and reference server.",
    ).prefault("node:24-slim"),
    loadFrom: oneOf(
      ["cluster", "runner"],
      "cluster: load generator pods next to the model; runner: send from this machine.",
    ).prefault("cluster"),
    model,
    loadGenerator: loadGenerator.prefault({}),
  })
  .meta({ description: "A deployment on a Kubernetes cluster." })
  .superRefine((value, ctx) => {
    if (!value.createNamespace && value.namespace === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["createNamespace"],
        message:
          "createNamespace: false needs namespace: <an existing namespace>; add it or remove createNamespace",
      });
    }
    const given = CONNECTIONS.filter((key) =>
      key === "inCluster" ? value.inCluster : value[key] !== undefined,
    );
    if (given.length > 1) {
      ctx.addIssue({
        code: "custom",
        // Blamed on a later key, never on kubeconfig, whose value is a secret.
        path: [given.at(-1)!],
        message: `${given.join(" and ")} exclude each other; keep at most one of kubeconfig, kubeconfigPath or inCluster: true`,
      });
    }
  })
  .transform(({ ttl, ...rest }): KubernetesTargetDraft => dropUndefined({ ...rest, ttlMs: ttl }));

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The draft with its reference catalog size defaulted, or the key that is still missing. */
export function completeKubernetesTarget(draft: KubernetesTargetDraft, catalogSize: number): KubernetesTarget;
export function completeKubernetesTarget(
  draft: KubernetesTargetDraft,
  catalogSize: number | undefined,
): KubernetesTarget | undefined;
export function completeKubernetesTarget(
  draft: KubernetesTargetDraft,
  catalogSize: number | undefined,
): KubernetesTarget | undefined {
  const { reference, ...model } = draft.model;
  if (reference === undefined) return { ...draft, model };
  const size = reference.catalogSize ?? catalogSize;
  if (size === undefined) return undefined;
  return { ...draft, model: { ...model, reference: { model: reference.model, catalogSize: size } } };
}
