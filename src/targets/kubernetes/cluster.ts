import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  type KubernetesObject,
  NetworkingV1Api,
  type V1ConfigMap,
  type V1Deployment,
  type V1Job,
  type V1Namespace,
  type V1NetworkPolicy,
  type V1Node,
  type V1Pod,
  type V1ResourceQuota,
  type V1Service,
} from "@kubernetes/client-node";
import { type RetryOptions, statusOf, withRetry } from "./retry.ts";

/** The namespaced kinds etude creates, in the order they are torn down. */
export const NAMESPACED_KINDS = [
  "Job",
  "Deployment",
  "Service",
  "NetworkPolicy",
  "ConfigMap",
  "ResourceQuota",
  "Pod",
] as const;
export type NamespacedKind = (typeof NAMESPACED_KINDS)[number];

type Manifest =
  | V1ConfigMap
  | V1Deployment
  | V1Job
  | V1NetworkPolicy
  | V1ResourceQuota
  | V1Service
  | (V1Pod & { kind: "Pod" });

/**
 * The Kubernetes API calls etude makes, each retried on transient failures (429, 5xx, dropped
 * connections). A create that meets a leftover of the same name (409) deletes it and creates again.
 */
export class Cluster {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly batch: BatchV1Api;
  readonly networking: NetworkingV1Api;
  readonly #retry: RetryOptions;

  constructor(kubeConfig: KubeConfig, retry: RetryOptions = {}) {
    this.kubeConfig = kubeConfig;
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.batch = kubeConfig.makeApiClient(BatchV1Api);
    this.networking = kubeConfig.makeApiClient(NetworkingV1Api);
    this.#retry = retry;
  }

  call<T>(operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, this.#retry);
  }

  async createNamespace(body: V1Namespace): Promise<void> {
    const name = body.metadata!.name!;
    try {
      await this.call(() => this.core.createNamespace({ body }));
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      await this.deleteNamespace(name);
      await this.waitNamespaceGone(name, 120_000);
      await this.call(() => this.core.createNamespace({ body }));
    }
  }

  async readNamespace(name: string): Promise<V1Namespace | undefined> {
    return this.#orUndefined(() => this.core.readNamespace({ name }));
  }

  async deleteNamespace(name: string): Promise<boolean> {
    return this.#deleted(() => this.core.deleteNamespace({ name, propagationPolicy: "Background" }));
  }

  async listNamespaces(labelSelector: string): Promise<V1Namespace[]> {
    return (await this.call(() => this.core.listNamespace({ labelSelector }))).items;
  }

  /** Polls until the namespace is gone; false when it still exists (terminating) at the deadline. */
  async waitNamespaceGone(name: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      if ((await this.readNamespace(name)) === undefined) return true;
      if (Date.now() + delay > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async create(namespace: string, manifest: Manifest): Promise<void> {
    try {
      await this.call(() => this.#create(namespace, manifest));
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      await this.delete(namespace, manifest.kind as NamespacedKind, manifest.metadata!.name!);
      await this.#waitGone(namespace, manifest.kind as NamespacedKind, manifest.metadata!.name!);
      await this.call(() => this.#create(namespace, manifest));
    }
  }

  #create(namespace: string, manifest: Manifest): Promise<unknown> {
    switch (manifest.kind) {
      case "ConfigMap":
        return this.core.createNamespacedConfigMap({ namespace, body: manifest as V1ConfigMap });
      case "Service":
        return this.core.createNamespacedService({ namespace, body: manifest as V1Service });
      case "ResourceQuota":
        return this.core.createNamespacedResourceQuota({ namespace, body: manifest as V1ResourceQuota });
      case "Pod":
        return this.core.createNamespacedPod({ namespace, body: manifest as V1Pod });
      case "Deployment":
        return this.apps.createNamespacedDeployment({ namespace, body: manifest as V1Deployment });
      case "Job":
        return this.batch.createNamespacedJob({ namespace, body: manifest as V1Job });
      case "NetworkPolicy":
        return this.networking.createNamespacedNetworkPolicy({
          namespace,
          body: manifest as V1NetworkPolicy,
        });
      default:
        throw new Error(`etude does not create ${manifest.kind}`);
    }
  }

  /** Deletes one object; false when it was already gone. */
  delete(namespace: string, kind: NamespacedKind, name: string): Promise<boolean> {
    const options = { name, namespace, propagationPolicy: "Background" };
    return this.#deleted(() => {
      switch (kind) {
        case "ConfigMap":
          return this.core.deleteNamespacedConfigMap(options);
        case "Service":
          return this.core.deleteNamespacedService(options);
        case "ResourceQuota":
          return this.core.deleteNamespacedResourceQuota(options);
        case "Pod":
          return this.core.deleteNamespacedPod({ ...options, gracePeriodSeconds: 0 });
        case "Deployment":
          return this.apps.deleteNamespacedDeployment(options);
        case "Job":
          return this.batch.deleteNamespacedJob(options);
        case "NetworkPolicy":
          return this.networking.deleteNamespacedNetworkPolicy(options);
      }
    });
  }

  async list(namespace: string, kind: NamespacedKind, labelSelector: string): Promise<KubernetesObject[]> {
    const options = { namespace, labelSelector };
    const result = await this.call<{ items: KubernetesObject[] }>(() => {
      switch (kind) {
        case "ConfigMap":
          return this.core.listNamespacedConfigMap(options);
        case "Service":
          return this.core.listNamespacedService(options);
        case "ResourceQuota":
          return this.core.listNamespacedResourceQuota(options);
        case "Pod":
          return this.core.listNamespacedPod(options);
        case "Deployment":
          return this.apps.listNamespacedDeployment(options);
        case "Job":
          return this.batch.listNamespacedJob(options);
        case "NetworkPolicy":
          return this.networking.listNamespacedNetworkPolicy(options);
      }
    });
    return result.items;
  }

  /** Deletes every object of etude's kinds that matches the selector; returns how many. */
  async deleteByLabel(namespace: string, labelSelector: string): Promise<number> {
    let deleted = 0;
    for (const kind of NAMESPACED_KINDS) {
      for (const object of await this.list(namespace, kind, labelSelector)) {
        if (await this.delete(namespace, kind, object.metadata!.name!)) deleted++;
      }
    }
    return deleted;
  }

  listPods(namespace: string, labelSelector: string) {
    return this.call(() => this.core.listNamespacedPod({ namespace, labelSelector }));
  }

  async listEvents(namespace: string): Promise<CoreV1Event[]> {
    return (await this.call(() => this.core.listNamespacedEvent({ namespace }))).items;
  }

  readService(namespace: string, name: string): Promise<V1Service> {
    return this.call(() => this.core.readNamespacedService({ namespace, name }));
  }

  readNode(name: string): Promise<V1Node | undefined> {
    return this.#orUndefined(() => this.core.readNode({ name }));
  }

  /** The last lines a container wrote; of its previous instance when it restarted. */
  async tailLog(
    namespace: string,
    pod: string,
    container: string,
    previous: boolean,
    lines = 20,
  ): Promise<string[]> {
    const read = (prev: boolean) =>
      this.call(() =>
        this.core.readNamespacedPodLog({ namespace, name: pod, container, tailLines: lines, previous: prev }),
      );
    let text: string;
    try {
      text = await read(previous);
    } catch (error) {
      if (!previous || statusOf(error) !== 400) throw error;
      text = await read(false);
    }
    return String(text).split("\n").filter(Boolean).slice(-lines);
  }

  readLog(namespace: string, pod: string, container: string): Promise<string> {
    return this.call(() => this.core.readNamespacedPodLog({ namespace, name: pod, container }));
  }

  async #waitGone(namespace: string, kind: NamespacedKind, name: string): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const items = await this.list(namespace, kind, "");
      if (!items.some((item) => item.metadata?.name === name)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${kind} ${namespace}/${name} left over from an earlier run is still being deleted`);
  }

  async #orUndefined<T>(operation: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(operation);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async #deleted(operation: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.call(operation);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }
}
