// The cluster's state and its control plane: admission and defaults on write, deletion with
// grace periods, owner references and namespaces, and the controllers (scheduler, ReplicaSet,
// Deployment, Job, garbage collector) that a level-triggered reconcile pass drives.
import { createHash, randomUUID } from "node:crypto";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { IpPool } from "./ip-pool.ts";
import { type FakeImage, Kubelet } from "./kubelet.ts";
import type { KubeObject } from "./object.ts";
import { apiVersionOf, qualifiedName, type ResourceType, resourceByName } from "./resources.ts";
import { schedule } from "./scheduler.ts";
import { fromLabelSelectorObject, type LabelSelectorObject, matchesLabels } from "./selectors.ts";
import { type Endpoint, ServiceProxy } from "./service-proxy.ts";
import { ApiError, alreadyExists, invalid, notFound, successStatus } from "./status.ts";
import { Store } from "./store.ts";
import { validateObject } from "./validation.ts";

export interface FakeNode {
  name: string;
  labels?: Record<string, string>;
  allocatable: { cpu: string; memory: string; "nvidia.com/gpu"?: string };
  taints?: Array<{ key: string; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }>;
}

export interface ClusterOptions {
  nodes: FakeNode[];
  images: Record<string, FakeImage>;
  msPerSecond: number;
  watchHistory: number;
  random: () => number;
}

export interface DeleteOptions {
  propagationPolicy?: string | undefined;
  gracePeriodSeconds?: number | undefined;
}

const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

const OWNED_PODS_GONE = new Set(["Succeeded", "Failed"]);

function stamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  [field: string]: unknown;
}

/** Keeps each condition's lastTransitionTime unless its status changed. */
function keepTransitionTimes(
  next: Condition[] | undefined,
  previous: Condition[] | undefined,
): Condition[] | undefined {
  return next?.map((condition) => {
    const before = previous?.find((p) => p.type === condition.type);
    if (before && before.status === condition.status && before.lastTransitionTime) {
      return {
        ...condition,
        lastTransitionTime: before.lastTransitionTime,
        ...(before.lastUpdateTime && before.reason === condition.reason
          ? { lastUpdateTime: before.lastUpdateTime }
          : {}),
      };
    }
    return condition;
  });
}

export class Cluster {
  readonly store: Store;
  readonly kubelet: Kubelet;
  readonly pullFailures: Array<string | RegExp> = [];
  readonly #options: ClusterOptions;
  readonly #proxy = new ServiceProxy();
  readonly #clusterIps: IpPool;
  readonly #deleting = new Set<string>();
  readonly #pending = new Set<Promise<unknown>>();
  #reconcileQueued = false;
  #closed = false;

  constructor(options: ClusterOptions) {
    this.#options = options;
    this.store = new Store({ historyLimit: options.watchHistory, now: () => new Date() });
    this.#clusterIps = new IpPool("127.1", options.random);
    this.kubelet = new Kubelet(
      {
        images: options.images,
        pullFailures: this.pullFailures,
        msPerSecond: options.msPerSecond,
        writeStatus: (pod, status) => this.#writePodStatus(pod, status),
        event: (pod, type, reason, message) => this.recordEvent(pod, type, reason, message, "kubelet"),
        configMap: (namespace, name) => this.store.get("ConfigMap", namespace, name),
        serviceEnv: (namespace) => this.#serviceEnv(namespace),
      },
      new IpPool("127.2", options.random),
    );
    this.store.subscribe(() => this.#queueReconcile());
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      this.store.create(this.#namespaceObject(name));
    }
    for (const node of options.nodes) this.store.create(this.#nodeObject(node));
  }

  resource(kind: string): ResourceType {
    const resource = resourceByName(kind);
    if (!resource) throw new Error(`unknown kind ${JSON.stringify(kind)}`);
    return resource;
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.store.get(resource.kind, resource.namespaced ? namespace : undefined, name);
    if (!found)
      throw notFound(
        { qualified: qualifiedName(resource), plural: resource.plural, group: resource.group },
        name,
      );
    return found;
  }

  async create(resource: ResourceType, namespace: string | undefined, body: KubeObject): Promise<KubeObject> {
    const object = structuredClone(body);
    object.apiVersion = apiVersionOf(resource);
    object.kind = resource.kind;
    object.metadata ??= {};
    if (resource.namespaced) {
      if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace) {
        throw new ApiError(
          400,
          "BadRequest",
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      }
      object.metadata.namespace = namespace ?? object.metadata.namespace ?? "default";
      this.#admitNamespace(object.metadata.namespace);
    } else {
      delete object.metadata.namespace;
    }
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name = `${object.metadata.generateName}${this.#suffix()}`;
    }
    for (const field of [
      "uid",
      "resourceVersion",
      "creationTimestamp",
      "deletionTimestamp",
      "generation",
    ] as const) {
      delete object.metadata[field];
    }
    const causes = validateObject(resource, object);
    if (causes.length > 0) throw invalid(resource.kind, resource.group, object.metadata.name ?? "", causes);
    const name = object.metadata.name ?? "";
    if (this.store.get(resource.kind, object.metadata.namespace, name)) {
      throw alreadyExists(
        { qualified: qualifiedName(resource), plural: resource.plural, group: resource.group },
        name,
      );
    }
    if (resource.kind === "SelfSubjectAccessReview") {
      return { ...object, status: { allowed: true, reason: "the fake cluster allows every request" } };
    }
    object.metadata.uid = randomUUID();
    this.#applyDefaults(object);
    if (resource.kind === "Service") return this.#createService(object);
    return this.store.create(object);
  }

  /** Replaces an object (PUT); `statusOnly` replaces the status subresource instead. */
  replace(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    statusOnly: boolean,
  ): KubeObject {
    const existing = this.get(resource, namespace, name);
    const names = { qualified: qualifiedName(resource), plural: resource.plural, group: resource.group };
    if (body.metadata?.name !== undefined && body.metadata.name !== name) {
      throw new ApiError(
        400,
        "BadRequest",
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const version = body.metadata?.resourceVersion;
    if (version && version !== existing.metadata.resourceVersion) {
      throw new ApiError(
        409,
        "Conflict",
        `Operation cannot be fulfilled on ${names.qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: resource.group || undefined, kind: resource.plural },
      );
    }
    let next: KubeObject;
    if (statusOnly) {
      next = { ...existing, status: body.status };
    } else {
      next = structuredClone(body);
      next.apiVersion = apiVersionOf(resource);
      next.kind = resource.kind;
      next.metadata = {
        ...body.metadata,
        name,
        uid: existing.metadata.uid,
        creationTimestamp: existing.metadata.creationTimestamp,
      };
      if (resource.namespaced) next.metadata.namespace = existing.metadata.namespace;
      if (existing.metadata.deletionTimestamp)
        next.metadata.deletionTimestamp = existing.metadata.deletionTimestamp;
      if (resource.hasStatus) next.status = existing.status;
      this.#applyDefaults(next, existing);
      const causes = [...validateObject(resource, next), ...this.#immutableCauses(resource, existing, next)];
      if (causes.length > 0) throw invalid(resource.kind, resource.group, name, causes);
    }
    return this.store.update(next);
  }

  /** Deletes an object; returns what the API answers: the object while it terminates, else a Status. */
  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
  ): { code: number; body: Record<string, unknown> } {
    const object = this.get(resource, namespace, name);
    if (resource.kind === "Pod") {
      return { code: 200, body: this.#deletePod(object, options.gracePeriodSeconds) };
    }
    if (resource.kind === "Namespace") {
      if (object.metadata.deletionTimestamp) return { code: 200, body: object };
      object.metadata.deletionTimestamp = stamp();
      object.status = { phase: "Terminating" };
      return { code: 200, body: this.store.update(object) };
    }
    const policy = options.propagationPolicy ?? (resource.kind === "Job" ? "Orphan" : "Background");
    if (!["Orphan", "Background", "Foreground"].includes(policy)) {
      throw new ApiError(
        422,
        "Invalid",
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
      );
    }
    if (policy === "Foreground") {
      if (!object.metadata.deletionTimestamp) {
        object.metadata.deletionTimestamp = stamp();
        object.metadata.finalizers = [...(object.metadata.finalizers ?? []), "foregroundDeletion"];
        this.store.update(object);
      }
      return { code: 202, body: this.get(resource, namespace, name) };
    }
    if (policy === "Orphan") {
      for (const dependent of this.#dependents(object.metadata.uid ?? "")) {
        dependent.metadata.ownerReferences = dependent.metadata.ownerReferences?.filter(
          (ref) => ref.uid !== object.metadata.uid,
        );
        this.store.update(dependent);
      }
    }
    this.#remove(object);
    return {
      code: 200,
      body: successStatus({
        name,
        group: resource.group || undefined,
        kind: resource.plural,
        uid: object.metadata.uid,
      }),
    };
  }

  recordEvent(
    involved: KubeObject,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
    component: string,
  ): void {
    if (this.#closed) return;
    const namespace = involved.metadata.namespace ?? "default";
    const existing = this.store.list("Event", namespace).find((event) => {
      const ref = event.involvedObject as { uid?: string };
      return ref.uid === involved.metadata.uid && event.reason === reason && event.message === message;
    });
    const now = stamp();
    if (existing) {
      existing.count = ((existing.count as number | undefined) ?? 1) + 1;
      existing.lastTimestamp = now;
      this.store.update(existing);
      return;
    }
    const name = `${involved.metadata.name}.${createHash("sha1").update(randomUUID()).digest("hex").slice(0, 16)}`;
    this.store.create({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: "",
    });
  }

  /** Deletes a pod as an outside actor would (eviction, node drain). */
  deletePod(namespace: string, name: string): void {
    const pod = this.store.get("Pod", namespace, name);
    if (!pod) throw new Error(`pod ${namespace}/${name} does not exist`);
    this.#deletePod(pod, undefined);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.kubelet.killAll();
    await this.#proxy.closeAll();
    await Promise.allSettled([...this.#pending]);
  }

  #track<T>(promise: Promise<T>): void {
    this.#pending.add(promise);
    promise.finally(() => this.#pending.delete(promise)).catch(() => undefined);
  }

  #suffix(length = 5): string {
    let suffix = "";
    for (let i = 0; i < length; i++)
      suffix += NAME_ALPHABET[Math.floor(this.#options.random() * NAME_ALPHABET.length)];
    return suffix;
  }

  #admitNamespace(namespace: string): void {
    const found = this.store.get("Namespace", undefined, namespace);
    if (!found) throw notFound({ qualified: "namespaces", plural: "namespaces", group: "" }, namespace);
    if (found.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        "Forbidden",
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name: namespace,
          kind: "namespaces",
          causes: [
            {
              reason: "NamespaceTerminating",
              message: `namespace ${namespace} is being terminated`,
              field: "metadata.namespace",
            },
          ],
        },
      );
    }
  }

  #immutableCauses(resource: ResourceType, existing: KubeObject, next: KubeObject) {
    const spec = (object: KubeObject) => (object.spec ?? {}) as Record<string, unknown>;
    const forbidden = (field: string, message: string) => [{ reason: "FieldValueForbidden", message, field }];
    if (resource.kind === "Job" && !same(spec(existing).template, spec(next).template)) {
      return forbidden("spec.template", "field is immutable");
    }
    if (resource.kind === "Service" && spec(existing).clusterIP !== spec(next).clusterIP) {
      return [
        {
          reason: "FieldValueInvalid",
          message: `Invalid value: ${JSON.stringify(spec(next).clusterIP)}: field is immutable`,
          field: "spec.clusterIPs[0]",
        },
      ];
    }
    if (resource.kind === "Pod") {
      const withoutImages = (object: KubeObject) => ({
        ...spec(object),
        containers: (spec(object).containers as IContainer[]).map((c) => ({ ...c, image: "" })),
      });
      if (!same(withoutImages(existing), withoutImages(next))) {
        return forbidden(
          "spec",
          "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        );
      }
    }
    return [];
  }

  #applyDefaults(object: KubeObject, existing?: KubeObject): void {
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    switch (object.kind) {
      case "Namespace":
        object.metadata.labels = {
          ...object.metadata.labels,
          "kubernetes.io/metadata.name": object.metadata.name ?? "",
        };
        object.spec = { finalizers: ["kubernetes"] };
        object.status = existing?.status ?? { phase: "Active" };
        break;
      case "Pod":
        object.spec = podSpecDefaults(spec as unknown as IPodSpec);
        object.status = existing?.status ?? { phase: "Pending", qosClass: "BestEffort" };
        break;
      case "Deployment": {
        const template = (spec.template ?? {}) as { spec?: IPodSpec };
        object.spec = {
          replicas: 1,
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
          ...spec,
          template: { ...template, spec: template.spec ? podSpecDefaults(template.spec) : template.spec },
        };
        object.status = existing?.status ?? {};
        break;
      }
      case "ReplicaSet":
        object.spec = { replicas: 1, ...spec };
        object.status = existing?.status ?? { replicas: 0 };
        break;
      case "Job": {
        const uid = object.metadata.uid ?? existing?.metadata.uid ?? "";
        const controllerLabels = {
          "batch.kubernetes.io/controller-uid": uid,
          "batch.kubernetes.io/job-name": object.metadata.name ?? "",
          "controller-uid": uid,
          "job-name": object.metadata.name ?? "",
        };
        const template = (spec.template ?? {}) as {
          metadata?: { labels?: Record<string, string> };
          spec?: IPodSpec;
        };
        object.metadata.labels = {
          "batch.kubernetes.io/controller-uid": uid,
          "batch.kubernetes.io/job-name": object.metadata.name ?? "",
          "controller-uid": uid,
          "job-name": object.metadata.name ?? "",
          ...object.metadata.labels,
        };
        object.spec = {
          parallelism: 1,
          backoffLimit: 6,
          completionMode: "NonIndexed",
          suspend: false,
          manualSelector: false,
          podReplacementPolicy: "TerminatingOrFailed",
          ...spec,
          ...(spec.completions === undefined && spec.parallelism === undefined ? { completions: 1 } : {}),
          selector: spec.selector ?? { matchLabels: { "batch.kubernetes.io/controller-uid": uid } },
          template: {
            ...template,
            metadata: { ...template.metadata, labels: { ...template.metadata?.labels, ...controllerLabels } },
            spec: template.spec ? podSpecDefaults(template.spec) : template.spec,
          },
        };
        object.status = existing?.status ?? {};
        break;
      }
      case "Service": {
        const ports = ((spec.ports ?? []) as Array<Record<string, unknown>>).map((port) => ({
          protocol: "TCP",
          targetPort: port.port,
          ...port,
        }));
        object.spec = {
          type: "ClusterIP",
          sessionAffinity: "None",
          ipFamilies: ["IPv4"],
          ipFamilyPolicy: "SingleStack",
          internalTrafficPolicy: "Cluster",
          ...spec,
          ports,
        };
        if (existing) {
          const before = existing.spec as Record<string, unknown>;
          (object.spec as Record<string, unknown>).clusterIP ??= before.clusterIP;
          (object.spec as Record<string, unknown>).clusterIPs ??= before.clusterIPs;
        }
        object.status = existing?.status ?? { loadBalancer: {} };
        break;
      }
      case "ResourceQuota":
        object.status = {
          hard: (spec.hard ?? {}) as Record<string, string>,
          used: (existing?.status as { used?: unknown } | undefined)?.used ?? {},
        };
        break;
      default:
        break;
    }
  }

  async #createService(object: KubeObject): Promise<KubeObject> {
    const spec = object.spec as {
      clusterIP?: string;
      clusterIPs?: string[];
      ports?: Array<{ port: number }>;
    };
    if (spec.clusterIP === "None") return this.store.create(object);
    const requested = spec.clusterIP || undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const ip = requested ?? this.#clusterIps.allocate();
      if (requested && !this.#clusterIps.reserve(ip)) break;
      try {
        const uid = object.metadata.uid ?? "";
        await this.#proxy.open(
          uid,
          ip,
          (spec.ports ?? []).map((port) => port.port),
          (port) => this.#endpoints(uid, port),
        );
        spec.clusterIP = ip;
        spec.clusterIPs = [ip];
        return this.store.create(object);
      } catch {
        await this.#proxy.close(object.metadata.uid ?? "");
        if (requested) {
          this.#clusterIps.release(ip);
          break;
        }
      }
    }
    throw invalid("Service", "", object.metadata.name ?? "", [
      {
        reason: "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(requested ?? "")}: failed to allocate IP: provided IP is already allocated`,
        field: "spec.clusterIPs",
      },
    ]);
  }

  #endpoints(serviceUid: string, port: number): Endpoint[] {
    const service = this.store.list("Service").find((s) => s.metadata.uid === serviceUid);
    if (!service) return [];
    const spec = service.spec as {
      selector?: Record<string, string>;
      ports?: Array<{ port: number; targetPort?: number | string }>;
    };
    if (!spec.selector) return [];
    const requirements = fromLabelSelectorObject({ matchLabels: spec.selector });
    const target = spec.ports?.find((p) => p.port === port)?.targetPort ?? port;
    const endpoints: Endpoint[] = [];
    for (const pod of this.store.list("Pod", service.metadata.namespace)) {
      const uid = pod.metadata.uid ?? "";
      if (
        pod.metadata.deletionTimestamp ||
        !matchesLabels(requirements, pod.metadata.labels) ||
        !this.kubelet.isReady(uid)
      )
        continue;
      const ip = this.kubelet.podIP(uid);
      const containers = (pod.spec as IPodSpec).containers;
      const resolved =
        typeof target === "number"
          ? target
          : containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target)?.containerPort;
      if (ip && resolved) endpoints.push({ ip, port: resolved });
    }
    return endpoints;
  }

  #serviceEnv(namespace: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const service of this.store.list("Service", namespace)) {
      const spec = service.spec as {
        clusterIP?: string;
        ports?: Array<{ port: number; name?: string; protocol?: string }>;
      };
      const first = spec.ports?.[0];
      if (!spec.clusterIP || spec.clusterIP === "None" || !first) continue;
      const prefix = (service.metadata.name ?? "").toUpperCase().replaceAll("-", "_");
      env[`${prefix}_SERVICE_HOST`] = spec.clusterIP;
      env[`${prefix}_SERVICE_PORT`] = String(first.port);
      env[`${prefix}_PORT`] = `tcp://${spec.clusterIP}:${first.port}`;
      for (const port of spec.ports ?? []) {
        if (port.name)
          env[`${prefix}_SERVICE_PORT_${port.name.toUpperCase().replaceAll("-", "_")}`] = String(port.port);
      }
    }
    return env;
  }

  #namespaceObject(name: string): KubeObject {
    const object: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name } };
    this.#applyDefaults(object);
    return object;
  }

  #nodeObject(node: FakeNode): KubeObject {
    const allocatable: Record<string, string> = {
      cpu: node.allocatable.cpu,
      memory: node.allocatable.memory,
      pods: "110",
    };
    if (node.allocatable["nvidia.com/gpu"])
      allocatable["nvidia.com/gpu"] = node.allocatable["nvidia.com/gpu"];
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: node.name,
        labels: {
          "kubernetes.io/hostname": node.name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          ...node.labels,
        },
      },
      spec: { ...(node.taints ? { taints: node.taints } : {}) },
      status: {
        capacity: allocatable,
        allocatable,
        addresses: [
          { type: "InternalIP", address: "127.0.0.1" },
          { type: "Hostname", address: node.name },
        ],
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "KubeletReady",
            message: "kubelet is posting ready status",
            lastHeartbeatTime: stamp(),
            lastTransitionTime: stamp(),
          },
        ],
        nodeInfo: {
          kubeletVersion: "v1.31.0",
          containerRuntimeVersion: "fake://1.0",
          operatingSystem: "linux",
          architecture: "amd64",
          osImage: "fake-kube",
          kernelVersion: "",
          kubeProxyVersion: "v1.31.0",
          machineID: "",
          systemUUID: "",
          bootID: "",
        },
      },
    };
  }

  #writePodStatus(pod: KubeObject, status: Record<string, unknown>): void {
    if (this.#closed) return;
    const current = this.store.get("Pod", pod.metadata.namespace, pod.metadata.name ?? "");
    if (!current || current.metadata.uid !== pod.metadata.uid) return;
    const previous = (current.status ?? {}) as { conditions?: Condition[] };
    const next = {
      ...status,
      conditions: keepTransitionTimes(status.conditions as Condition[], previous.conditions),
    };
    if (same(next, current.status)) return;
    current.status = next;
    this.store.update(current);
  }

  #deletePod(pod: KubeObject, gracePeriodSeconds: number | undefined): KubeObject {
    const uid = pod.metadata.uid ?? "";
    const grace = gracePeriodSeconds ?? (pod.spec as IPodSpec).terminationGracePeriodSeconds ?? 30;
    if (!pod.metadata.deletionTimestamp) {
      pod.metadata.deletionTimestamp = stamp();
      pod.metadata.deletionGracePeriodSeconds = grace;
      pod = this.store.update(pod);
    }
    if (!this.#deleting.has(uid)) {
      this.#deleting.add(uid);
      const graceMs = Math.min(grace * this.#options.msPerSecond, 500);
      const stopped = this.kubelet.terminate(uid, graceMs).then(() => {
        this.#deleting.delete(uid);
        const current = this.store.get("Pod", pod.metadata.namespace, pod.metadata.name ?? "");
        if (current?.metadata.uid === uid)
          this.store.remove("Pod", pod.metadata.namespace, pod.metadata.name ?? "");
      });
      this.#track(stopped);
    }
    return pod;
  }

  /** Removes a non-pod object now; the service's listener goes with it. */
  #remove(object: KubeObject): void {
    if (object.kind === "Pod") {
      this.#deletePod(object, undefined);
      return;
    }
    if (object.kind === "Service") {
      const spec = object.spec as { clusterIP?: string };
      this.#track(this.#proxy.close(object.metadata.uid ?? ""));
      if (spec.clusterIP && spec.clusterIP !== "None") this.#clusterIps.release(spec.clusterIP);
    }
    this.store.remove(object.kind, object.metadata.namespace, object.metadata.name ?? "");
  }

  #dependents(ownerUid: string): KubeObject[] {
    return this.store
      .all()
      .filter((object) => object.metadata.ownerReferences?.some((ref) => ref.uid === ownerUid));
  }

  #queueReconcile(): void {
    if (this.#reconcileQueued || this.#closed) return;
    this.#reconcileQueued = true;
    setImmediate(() => {
      this.#reconcileQueued = false;
      if (this.#closed) return;
      this.#reconcile();
    });
  }

  #reconcile(): void {
    this.#collectGarbage();
    this.#finishNamespaces();
    for (const deployment of this.store.list("Deployment")) this.#reconcileDeployment(deployment);
    for (const replicaSet of this.store.list("ReplicaSet")) this.#reconcileReplicaSet(replicaSet);
    for (const job of this.store.list("Job")) this.#reconcileJob(job);
    this.#schedulePods();
    for (const pod of this.store.list("Pod")) {
      if ((pod.spec as IPodSpec).nodeName && !pod.metadata.deletionTimestamp) this.kubelet.sync(pod);
    }
  }

  #collectGarbage(): void {
    const uids = new Set(this.store.all().map((object) => object.metadata.uid));
    for (const object of this.store.all()) {
      const owners = object.metadata.ownerReferences ?? [];
      if (
        owners.length > 0 &&
        owners.every((ref) => !uids.has(ref.uid)) &&
        !object.metadata.deletionTimestamp
      ) {
        this.#remove(object);
      }
      if (object.metadata.deletionTimestamp && object.metadata.finalizers?.includes("foregroundDeletion")) {
        const dependents = this.#dependents(object.metadata.uid ?? "");
        for (const dependent of dependents) {
          if (!dependent.metadata.deletionTimestamp) {
            if (dependent.kind === "Pod") this.#remove(dependent);
            else {
              dependent.metadata.deletionTimestamp = stamp();
              dependent.metadata.finalizers = [
                ...(dependent.metadata.finalizers ?? []),
                "foregroundDeletion",
              ];
              this.store.update(dependent);
            }
          }
        }
        if (dependents.length === 0)
          this.store.remove(object.kind, object.metadata.namespace, object.metadata.name ?? "");
      }
    }
  }

  #finishNamespaces(): void {
    for (const namespace of this.store.list("Namespace")) {
      if (!namespace.metadata.deletionTimestamp) continue;
      const name = namespace.metadata.name ?? "";
      const contents = this.store.all().filter((object) => object.metadata.namespace === name);
      for (const object of contents) {
        if (object.kind === "Pod") this.#deletePod(object, undefined);
        else this.#remove(object);
      }
      if (contents.length === 0) this.store.remove("Namespace", undefined, name);
    }
  }

  #ownedPods(ownerUid: string): KubeObject[] {
    return this.store
      .list("Pod")
      .filter((pod) => pod.metadata.ownerReferences?.some((ref) => ref.uid === ownerUid));
  }

  #podFromTemplate(
    owner: KubeObject,
    template: { metadata?: KubeObject["metadata"]; spec?: IPodSpec },
    name: string,
    extra: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      env?: Array<{ name: string; value: string }>;
    } = {},
  ): KubeObject {
    const spec = structuredClone(template.spec ?? { containers: [] });
    if (extra.env)
      spec.containers = spec.containers.map((c) => ({ ...c, env: [...(c.env ?? []), ...extra.env!] }));
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        labels: { ...template.metadata?.labels, ...extra.labels },
        annotations: { ...template.metadata?.annotations, ...extra.annotations },
        ownerReferences: [
          {
            apiVersion: owner.apiVersion,
            kind: owner.kind,
            name: owner.metadata.name ?? "",
            uid: owner.metadata.uid ?? "",
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec,
    };
  }

  #createOwned(object: KubeObject): void {
    this.#track(
      this.create(this.resource(object.kind), object.metadata.namespace, object).catch((error: unknown) => {
        if (!(error instanceof ApiError) || (error.code !== 409 && error.code !== 403 && error.code !== 404))
          throw error;
      }),
    );
  }

  #setStatus(object: KubeObject, status: Record<string, unknown>): void {
    const previous = (object.status ?? {}) as { conditions?: Condition[] };
    const next = {
      ...status,
      ...(status.conditions
        ? { conditions: keepTransitionTimes(status.conditions as Condition[], previous.conditions) }
        : {}),
    };
    if (same(next, object.status)) return;
    object.status = next;
    this.store.update(object);
  }

  #reconcileReplicaSet(replicaSet: KubeObject): void {
    if (replicaSet.metadata.deletionTimestamp) return;
    const spec = replicaSet.spec as {
      replicas?: number;
      template?: { metadata?: KubeObject["metadata"]; spec?: IPodSpec };
    };
    const pods = this.#ownedPods(replicaSet.metadata.uid ?? "").filter(
      (pod) =>
        !pod.metadata.deletionTimestamp &&
        !OWNED_PODS_GONE.has((pod.status as { phase?: string }).phase ?? ""),
    );
    const desired = spec.replicas ?? 1;
    for (let i = pods.length; i < desired; i++) {
      this.#createOwned(
        this.#podFromTemplate(
          replicaSet,
          spec.template ?? {},
          `${replicaSet.metadata.name}-${this.#suffix()}`,
        ),
      );
    }
    const surplus = pods
      .sort(
        (a, b) =>
          Number(this.kubelet.isReady(a.metadata.uid ?? "")) -
          Number(this.kubelet.isReady(b.metadata.uid ?? "")),
      )
      .slice(0, Math.max(pods.length - desired, 0));
    for (const pod of surplus) this.#deletePod(pod, undefined);
    const ready = pods.filter((pod) => isPodReady(pod)).length;
    this.#setStatus(replicaSet, {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: replicaSet.metadata.generation,
    });
  }

  #reconcileDeployment(deployment: KubeObject): void {
    if (deployment.metadata.deletionTimestamp) return;
    const spec = deployment.spec as {
      replicas?: number;
      selector?: LabelSelectorObject;
      template?: { metadata?: KubeObject["metadata"]; spec?: IPodSpec };
      strategy?: { rollingUpdate?: { maxUnavailable?: number | string } };
    };
    const desired = spec.replicas ?? 1;
    const hash = templateHash(spec.template);
    const owned = this.store
      .list("ReplicaSet", deployment.metadata.namespace)
      .filter((rs) => rs.metadata.ownerReferences?.some((ref) => ref.uid === deployment.metadata.uid));
    const current = owned.find((rs) => rs.metadata.labels?.["pod-template-hash"] === hash);
    const name = deployment.metadata.name ?? "";
    if (!current) {
      const labels = { ...spec.template?.metadata?.labels, "pod-template-hash": hash };
      const revision = String(owned.length + 1);
      this.#createOwned({
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: {
          name: `${name}-${hash}`,
          namespace: deployment.metadata.namespace,
          labels,
          annotations: {
            "deployment.kubernetes.io/revision": revision,
            "deployment.kubernetes.io/desired-replicas": String(desired),
          },
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "Deployment",
              name,
              uid: deployment.metadata.uid ?? "",
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: desired,
          selector: {
            ...spec.selector,
            matchLabels: { ...spec.selector?.matchLabels, "pod-template-hash": hash },
          },
          template: { ...spec.template, metadata: { ...spec.template?.metadata, labels } },
        },
      });
      this.recordEvent(
        deployment,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${name}-${hash} from 0 to ${desired}`,
        "deployment-controller",
      );
    }
    for (const rs of owned) {
      const want = rs === current ? desired : 0;
      const rsSpec = rs.spec as { replicas?: number };
      if (rsSpec.replicas !== want) {
        this.recordEvent(
          deployment,
          "Normal",
          "ScalingReplicaSet",
          `Scaled ${want > (rsSpec.replicas ?? 0) ? "up" : "down"} replica set ${rs.metadata.name} from ${rsSpec.replicas} to ${want}`,
          "deployment-controller",
        );
        rsSpec.replicas = want;
        this.store.update(rs);
      }
    }
    const pods = owned
      .flatMap((rs) => this.#ownedPods(rs.metadata.uid ?? ""))
      .filter((pod) => !pod.metadata.deletionTimestamp);
    const updated = current
      ? this.#ownedPods(current.metadata.uid ?? "").filter((pod) => !pod.metadata.deletionTimestamp)
      : [];
    const ready = pods.filter(isPodReady).length;
    const maxUnavailable = scaledValue(spec.strategy?.rollingUpdate?.maxUnavailable ?? "25%", desired);
    const available = ready >= desired - maxUnavailable;
    const complete =
      updated.length === desired && updated.filter(isPodReady).length === desired && pods.length === desired;
    const rsName = `${name}-${hash}`;
    this.#setStatus(deployment, {
      observedGeneration: deployment.metadata.generation,
      replicas: pods.length,
      updatedReplicas: updated.length,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(desired - ready > 0 ? { unavailableReplicas: desired - ready } : {}),
      conditions: [
        {
          type: "Available",
          status: available ? "True" : "False",
          lastUpdateTime: stamp(),
          lastTransitionTime: stamp(),
          reason: available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
          message: available
            ? "Deployment has minimum availability."
            : "Deployment does not have minimum availability.",
        },
        {
          type: "Progressing",
          status: "True",
          lastUpdateTime: stamp(),
          lastTransitionTime: stamp(),
          reason: complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
          message: complete
            ? `ReplicaSet "${rsName}" has successfully progressed.`
            : `ReplicaSet "${rsName}" is progressing.`,
        },
      ],
    });
  }

  #reconcileJob(job: KubeObject): void {
    if (job.metadata.deletionTimestamp) return;
    const spec = job.spec as {
      parallelism?: number;
      completions?: number;
      backoffLimit?: number;
      completionMode?: string;
      template?: { metadata?: KubeObject["metadata"]; spec?: IPodSpec };
    };
    const status = (job.status ?? {}) as {
      conditions?: Condition[];
      startTime?: string;
      completionTime?: string;
    };
    const finished = status.conditions?.some(
      (c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True",
    );
    const pods = this.#ownedPods(job.metadata.uid ?? "");
    const phaseOf = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase ?? "Pending";
    const indexOf = (pod: KubeObject) =>
      Number(pod.metadata.annotations?.["batch.kubernetes.io/job-completion-index"]);
    const active = pods.filter(
      (pod) => !OWNED_PODS_GONE.has(phaseOf(pod)) && !pod.metadata.deletionTimestamp,
    );
    const succeededPods = pods.filter((pod) => phaseOf(pod) === "Succeeded");
    const failedPods = pods.filter((pod) => phaseOf(pod) === "Failed");
    const indexed = spec.completionMode === "Indexed";
    const succeeded = indexed ? new Set(succeededPods.map(indexOf)).size : succeededPods.length;
    const restarts = active.reduce(
      (sum, pod) =>
        sum +
        (
          (pod.status as { containerStatuses?: Array<{ restartCount?: number }> }).containerStatuses ?? []
        ).reduce((s, c) => s + (c.restartCount ?? 0), 0),
      0,
    );
    const failed = failedPods.length;
    const completions = spec.completions;
    const backoffLimit = spec.backoffLimit ?? 6;
    const now = stamp();
    const conditions = [...(status.conditions ?? [])];
    let completionTime = status.completionTime;
    if (!finished) {
      if (failed + restarts > backoffLimit) {
        conditions.push({
          type: "FailureTarget",
          status: "True",
          reason: "BackoffLimitExceeded",
          message: "Job has reached the specified backoff limit",
          lastProbeTime: now,
          lastTransitionTime: now,
        });
        conditions.push({
          type: "Failed",
          status: "True",
          reason: "BackoffLimitExceeded",
          message: "Job has reached the specified backoff limit",
          lastProbeTime: now,
          lastTransitionTime: now,
        });
        for (const pod of active) this.#deletePod(pod, undefined);
        this.recordEvent(
          job,
          "Warning",
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit",
          "job-controller",
        );
      } else if (
        completions === undefined ? succeeded > 0 && active.length === 0 : succeeded >= completions
      ) {
        conditions.push({
          type: "SuccessCriteriaMet",
          status: "True",
          reason: "CompletionsReached",
          message: "Reached expected number of succeeded pods",
          lastProbeTime: now,
          lastTransitionTime: now,
        });
        conditions.push({
          type: "Complete",
          status: "True",
          reason: "CompletionsReached",
          message: "Reached expected number of succeeded pods",
          lastProbeTime: now,
          lastTransitionTime: now,
        });
        completionTime = now;
        for (const pod of active) this.#deletePod(pod, undefined);
        this.recordEvent(job, "Normal", "Completed", "Job completed", "job-controller");
      } else {
        const parallelism = spec.parallelism ?? 1;
        const remaining =
          completions === undefined ? (succeeded > 0 ? 0 : parallelism) : completions - succeeded;
        const wanted = Math.min(parallelism, remaining) - active.length;
        const busy = new Set([...active.map(indexOf), ...succeededPods.map(indexOf)]);
        let nextIndex = 0;
        for (let i = 0; i < wanted; i++) {
          if (indexed) {
            while (busy.has(nextIndex)) nextIndex++;
            if (nextIndex >= (completions ?? 0)) break;
            busy.add(nextIndex);
            const index = String(nextIndex);
            const podName = `${job.metadata.name}-${index}-${this.#suffix()}`;
            this.recordEvent(job, "Normal", "SuccessfulCreate", `Created pod: ${podName}`, "job-controller");
            this.#createOwned(
              this.#podFromTemplate(job, spec.template ?? {}, podName, {
                labels: { "batch.kubernetes.io/job-completion-index": index },
                annotations: { "batch.kubernetes.io/job-completion-index": index },
                env: [{ name: "JOB_COMPLETION_INDEX", value: index }],
              }),
            );
          } else {
            const podName = `${job.metadata.name}-${this.#suffix()}`;
            this.recordEvent(job, "Normal", "SuccessfulCreate", `Created pod: ${podName}`, "job-controller");
            this.#createOwned(this.#podFromTemplate(job, spec.template ?? {}, podName));
          }
        }
      }
    }
    const done = conditions.some(
      (c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True",
    );
    this.#setStatus(job, {
      startTime: status.startTime ?? now,
      ...(completionTime ? { completionTime } : {}),
      active: done ? 0 : active.length,
      ready: done ? 0 : active.filter(isPodReady).length,
      succeeded,
      failed,
      terminating: 0,
      uncountedTerminatedPods: {},
      ...(indexed
        ? { completedIndexes: [...new Set(succeededPods.map(indexOf))].sort((a, b) => a - b).join(",") }
        : {}),
      ...(conditions.length > 0 ? { conditions } : {}),
    });
  }

  #schedulePods(): void {
    const nodes = this.store.list("Node");
    const pods = this.store.list("Pod");
    const bound = pods.filter(
      (pod) =>
        (pod.spec as IPodSpec).nodeName &&
        !OWNED_PODS_GONE.has((pod.status as { phase?: string }).phase ?? ""),
    );
    for (const pod of pods) {
      const spec = pod.spec as IPodSpec;
      if (spec.nodeName || pod.metadata.deletionTimestamp) continue;
      const placement = schedule(pod, nodes, bound);
      const status = (pod.status ?? {}) as { conditions?: Condition[] };
      if ("node" in placement) {
        spec.nodeName = placement.node;
        pod.status = {
          ...status,
          conditions: [
            { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: stamp() },
          ],
        };
        const stored = this.store.update(pod);
        bound.push(stored);
        this.recordEvent(
          stored,
          "Normal",
          "Scheduled",
          `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${placement.node}`,
          "default-scheduler",
        );
        continue;
      }
      const previous = status.conditions?.find((c) => c.type === "PodScheduled");
      if (previous?.message === placement.unschedulable) continue;
      pod.status = {
        ...status,
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            lastProbeTime: null,
            lastTransitionTime: stamp(),
            reason: "Unschedulable",
            message: placement.unschedulable,
          },
        ],
      };
      const stored = this.store.update(pod);
      this.recordEvent(stored, "Warning", "FailedScheduling", placement.unschedulable, "default-scheduler");
    }
  }
}

function podSpecDefaults(spec: IPodSpec): IPodSpec {
  return {
    restartPolicy: "Always",
    terminationGracePeriodSeconds: 30,
    dnsPolicy: "ClusterFirst",
    schedulerName: "default-scheduler",
    serviceAccountName: "default",
    securityContext: {},
    enableServiceLinks: true,
    ...spec,
    containers: (spec.containers ?? []).map((container) => ({
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "File",
      imagePullPolicy:
        container.image?.endsWith(":latest") || !container.image?.includes(":") ? "Always" : "IfNotPresent",
      ...container,
      resources: container.resources ?? {},
      ...(container.ports ? { ports: container.ports.map((port) => ({ protocol: "TCP", ...port })) } : {}),
    })),
  };
}

function isPodReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

function templateHash(template: unknown): string {
  const digest = createHash("sha256")
    .update(JSON.stringify(template ?? {}))
    .digest();
  let hash = "";
  for (let i = 0; i < 10; i++) hash += NAME_ALPHABET[digest[i]! % NAME_ALPHABET.length];
  return hash;
}

function scaledValue(value: number | string, total: number): number {
  if (typeof value === "number") return value;
  const percent = /^(\d+)%$/.exec(value);
  return percent ? Math.floor((Number(percent[1]) * total) / 100) : Number(value) || 0;
}
