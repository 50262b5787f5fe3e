import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1Job,
  V1Namespace,
  V1NetworkPolicy,
  V1ObjectMeta,
  V1PodSpec,
  V1ResourceQuota,
  V1Service,
} from "@kubernetes/client-node";
import { quantityToScalar } from "@kubernetes/client-node/dist/util.js";
import type { KubernetesLoadGenerator, KubernetesModel, KubernetesTarget } from "../../spec/types.ts";

export const LABELS = {
  managedBy: "app.kubernetes.io/managed-by",
  component: "app.kubernetes.io/component",
  runId: "etude.dev/run-id",
  repository: "etude.dev/repository",
  pullRequest: "etude.dev/pull-request",
  /** Expiry as Unix seconds: a label, so expired namespaces can be found with a list. */
  expires: "etude.dev/expires",
} as const;
export const EXPIRES_AT_ANNOTATION = "etude.dev/expires-at";
export const REPOSITORY_ANNOTATION = "etude.dev/repository";
export const MANAGED_BY = "etude";
export const INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
export const GPU_RESOURCE = "nvidia.com/gpu";
const MOUNT_PATH = "/etc/etude";

export type Component = "model" | "load-generator";

export interface RunIdentity {
  runId: string;
  repository?: string;
  pullRequest?: number;
  /** Unix milliseconds after which the run's leftovers may be deleted by anyone. */
  expiresAt: number;
}

/** A run id usable in names and label values: lower-case DNS label characters, at most 40 of them. */
export function sanitizeRunId(runId: string): string {
  const clean = runId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  if (clean === "") throw new Error(`run id "${runId}" has no letters or digits to name resources with`);
  return clean;
}

export function namespaceName(runId: string): string {
  return `etude-${sanitizeRunId(runId)}`;
}

export function resourceNames(runId: string) {
  const id = sanitizeRunId(runId);
  return {
    model: `etude-model-${id}`,
    serverBundle: `etude-server-${id}`,
    loadGenerator: `etude-loadgen-${id}`,
    networkPolicy: `etude-isolate-${id}`,
    quota: `etude-quota-${id}`,
  };
}

export function runSelector(runId: string): string {
  return `${LABELS.managedBy}=${MANAGED_BY},${LABELS.runId}=${sanitizeRunId(runId)}`;
}

function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

export function runLabels(identity: RunIdentity, component?: Component): Record<string, string> {
  const labels: Record<string, string> = {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.runId]: sanitizeRunId(identity.runId),
    [LABELS.expires]: String(Math.floor(identity.expiresAt / 1000)),
  };
  if (identity.repository) labels[LABELS.repository] = labelValue(identity.repository);
  if (identity.pullRequest !== undefined) labels[LABELS.pullRequest] = String(identity.pullRequest);
  if (component) labels[LABELS.component] = component;
  return labels;
}

function metadata(name: string, identity: RunIdentity, component?: Component): V1ObjectMeta {
  const annotations: Record<string, string> = {
    [EXPIRES_AT_ANNOTATION]: new Date(identity.expiresAt).toISOString(),
  };
  if (identity.repository) annotations[REPOSITORY_ANNOTATION] = identity.repository;
  return { name, labels: runLabels(identity, component), annotations };
}

function podLabels(identity: RunIdentity, component: Component): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.runId]: sanitizeRunId(identity.runId),
    [LABELS.component]: component,
  };
}

export function namespaceManifest(identity: RunIdentity): V1Namespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: metadata(namespaceName(identity.runId), identity) };
}

/** The model and the load generator must never share a node: they would compete for CPU. */
function keepApartFrom(identity: RunIdentity, other: Component): V1PodSpec["affinity"] {
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: {
            matchLabels: { [LABELS.runId]: sanitizeRunId(identity.runId), [LABELS.component]: other },
          },
          topologyKey: "kubernetes.io/hostname",
        },
      ],
    },
  };
}

function placement(
  spec: KubernetesModel | KubernetesLoadGenerator,
): Pick<V1PodSpec, "nodeSelector" | "tolerations"> {
  const nodeSelector = { ...spec.nodeSelector };
  if (spec.instanceType) nodeSelector[INSTANCE_TYPE_LABEL] = spec.instanceType;
  return { nodeSelector, tolerations: spec.tolerations.map((t) => ({ ...t })) };
}

/** Requests equal limits (Guaranteed QoS): a benchmark must not borrow CPU it may lose later. */
function guaranteed(resources: Record<string, string>): V1Container["resources"] {
  return { requests: { ...resources }, limits: { ...resources } };
}

function modelResources(model: KubernetesModel): Record<string, string> {
  const resources: Record<string, string> = { cpu: model.resources.cpu, memory: model.resources.memory };
  if (model.resources.gpu > 0) resources[GPU_RESOURCE] = String(model.resources.gpu);
  return resources;
}

const hardened = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
};

/** A script that unpacks the gzipped bundle beside it and runs it; keeps ConfigMaps far below 1 MiB. */
export const BOOTSTRAP = `import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
process.env.ETUDE_CONFIG_DIR = fileURLToPath(new URL(".", import.meta.url));
const file = join(mkdtempSync(join(tmpdir(), "etude-")), "main.mjs");
writeFileSync(file, gunzipSync(readFileSync(new URL("./main.mjs.gz", import.meta.url))));
await import(pathToFileURL(file).href);
`;

export function bundleConfigMap(
  name: string,
  identity: RunIdentity,
  component: Component,
  gzippedBundle: Buffer,
  config?: unknown,
): V1ConfigMap {
  const data: Record<string, string> = { "bootstrap.mjs": BOOTSTRAP };
  if (config !== undefined) data["config.json"] = JSON.stringify(config);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: metadata(name, identity, component),
    data,
    binaryData: { "main.mjs.gz": gzippedBundle.toString("base64") },
  };
}

function bundleVolume(configMapName: string): Pick<V1PodSpec, "volumes"> {
  return { volumes: [{ name: "etude", configMap: { name: configMapName } }] };
}

const bundleMount = { volumeMounts: [{ name: "etude", mountPath: MOUNT_PATH, readOnly: true }] };
const podIpEnv = { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } };

export function modelDeployment(target: KubernetesTarget, identity: RunIdentity): V1Deployment {
  const { model } = target;
  const names = resourceNames(identity.runId);
  const labels = podLabels(identity, "model");
  const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));
  const container: V1Container = {
    name: "model",
    ports: [{ name: "http", containerPort: model.port }],
    readinessProbe: {
      httpGet: { path: model.readiness.path, port: model.port },
      initialDelaySeconds: Math.round(model.readiness.initialDelayMs / 1000),
      periodSeconds: seconds(model.readiness.periodMs),
      failureThreshold: model.readiness.failureThreshold,
    },
    resources: guaranteed(modelResources(model)),
    securityContext: hardened,
  };
  const userEnv = Object.entries(model.env).map(([name, value]) => ({ name, value }));
  if (model.reference) {
    container.image = target.nodeImage;
    container.command = ["node", `${MOUNT_PATH}/bootstrap.mjs`];
    container.env = [
      podIpEnv,
      { name: "PORT", value: String(model.port) },
      { name: "ETUDE_MODEL", value: model.reference.model },
      { name: "ETUDE_CATALOG_SIZE", value: String(model.reference.catalogSize) },
      ...userEnv,
    ];
    Object.assign(container, bundleMount);
  } else {
    container.image = model.image;
    if (model.command) container.command = [...model.command];
    if (model.args) container.args = [...model.args];
    container.env = [podIpEnv, { name: "PORT", value: String(model.port) }, ...userEnv];
  }
  const podSpec: V1PodSpec = {
    containers: [container],
    affinity: keepApartFrom(identity, "load-generator"),
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    ...placement(model),
    ...(model.reference ? bundleVolume(names.serverBundle) : {}),
  };
  if (model.imagePullSecrets.length > 0)
    podSpec.imagePullSecrets = model.imagePullSecrets.map((name) => ({ name }));
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(names.model, identity, "model"),
    spec: {
      replicas: model.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec },
    },
  };
}

export function modelService(target: KubernetesTarget, identity: RunIdentity): V1Service {
  const name = resourceNames(identity.runId).model;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(name, identity, "model"),
    spec: {
      type: "ClusterIP",
      selector: podLabels(identity, "model"),
      ports: [{ name: "http", port: target.model.port, targetPort: target.model.port, protocol: "TCP" }],
    },
  };
}

/**
 * A model image built from a pull request is untrusted code: its pods may reach pods of their own
 * namespace and DNS, nothing else (no cloud metadata endpoint, no other service of the cluster).
 */
export function modelNetworkPolicy(identity: RunIdentity): V1NetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadata(resourceNames(identity.runId).networkPolicy, identity, "model"),
    spec: {
      podSelector: { matchLabels: podLabels(identity, "model") },
      policyTypes: ["Egress"],
      egress: [
        { to: [{ podSelector: {} }] },
        {
          to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    },
  };
}

export function loadGeneratorResources(spec: KubernetesLoadGenerator): Record<string, string> {
  return { cpu: spec.resources.cpu, memory: spec.resources.memory };
}

/**
 * Sized from the spec: the model's and the load generator's pods, plus room for one replacement
 * of each (a pod evicted mid-run is recreated while the old one still terminates).
 */
export function resourceQuota(
  target: KubernetesTarget,
  identity: RunIdentity,
  loadPods: number,
): V1ResourceQuota {
  const modelPods = target.model.replicas + 1;
  const generatorPods = target.loadFrom === "cluster" ? loadPods + 1 : 0;
  const cpu =
    cores(target.model.resources.cpu) * modelPods + cores(target.loadGenerator.resources.cpu) * generatorPods;
  const memory =
    bytes(target.model.resources.memory) * BigInt(modelPods) +
    bytes(target.loadGenerator.resources.memory) * BigInt(generatorPods);
  const hard: Record<string, string> = {
    pods: String(modelPods + generatorPods),
    "requests.cpu": `${Math.ceil(cpu * 1000)}m`,
    "limits.cpu": `${Math.ceil(cpu * 1000)}m`,
    "requests.memory": memory.toString(),
    "limits.memory": memory.toString(),
    [`requests.${GPU_RESOURCE}`]: String(target.model.resources.gpu * modelPods),
  };
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: metadata(resourceNames(identity.runId).quota, identity),
    spec: { hard },
  };
}

function cores(quantity: string): number {
  return Number(quantityToScalar(quantity));
}

function bytes(quantity: string): bigint {
  const value = quantityToScalar(quantity);
  return typeof value === "bigint" ? value : BigInt(Math.ceil(value));
}

export interface LoadJobOptions {
  pods: number;
  /** Bound on the Job's life: the run's planned duration plus generous slack. */
  activeDeadlineSeconds: number;
}

/** Indexed completion: pod i reads JOB_COMPLETION_INDEX and takes partition i of the load. */
export function loadGeneratorJob(
  target: KubernetesTarget,
  identity: RunIdentity,
  options: LoadJobOptions,
): V1Job {
  const name = resourceNames(identity.runId).loadGenerator;
  const labels = podLabels(identity, "load-generator");
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: metadata(name, identity, "load-generator"),
    spec: {
      completionMode: "Indexed",
      completions: options.pods,
      parallelism: options.pods,
      // A re-run pod would measure a different time window: a failed pod fails the run instead.
      backoffLimit: 0,
      activeDeadlineSeconds: options.activeDeadlineSeconds,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          affinity: keepApartFrom(identity, "model"),
          ...placement(target.loadGenerator),
          ...bundleVolume(name),
          containers: [
            {
              name: "load-generator",
              image: target.nodeImage,
              // A small young generation keeps the generator's memory flat at high rates (BENCHMARKS.md).
              command: ["node", "--max-semi-space-size=4", `${MOUNT_PATH}/bootstrap.mjs`],
              resources: guaranteed(loadGeneratorResources(target.loadGenerator)),
              securityContext: hardened,
              ...bundleMount,
            },
          ],
        },
      },
    },
  };
}
