/**
 * An in-process fake Kubernetes API server for tests, which the real @kubernetes/client-node talks
 * to through a kubeconfig, so that the product's own Kubernetes code runs unchanged.
 *
 *   const fake = await startFakeKube();
 *   const kc = new KubeConfig();
 *   kc.loadFromString(fake.kubeconfig);          // or KUBECONFIG=fake.kubeconfigPath
 *   const core = kc.makeApiClient(CoreV1Api);
 *   ...
 *   await fake.close();                          // stops the servers and kills every pod process
 *
 * What it serves (core v1, apps/v1, batch/v1, networking.k8s.io/v1, authorization.k8s.io/v1):
 * Namespaces, ConfigMaps, Services, Pods (+ /log with follow, tailLines, container, previous,
 * limitBytes), Events, Nodes (the configured ones), ResourceQuotas, Deployments, ReplicaSets, Jobs,
 * NetworkPolicies, SelfSubjectAccessReviews (always allowed), and discovery (/api, /apis, /version).
 * Verbs: create (201; 409 AlreadyExists; 404 for a missing namespace; 403 in a terminating one;
 * 422 Invalid with field causes), get, list and watch (labelSelector =, ==, !=, in, notin, key, !key;
 * fieldSelector on any dotted field, e.g. metadata.name or involvedObject.name), replace (PUT,
 * optimistic concurrency on metadata.resourceVersion, also /status), patch (json-patch, merge-patch,
 * strategic-merge-patch with lists merged by name/containerPort/..., apply-patch+yaml), delete
 * (propagationPolicy Foreground/Background/Orphan; Jobs default to Orphan as in the real API, so
 * pass Background to remove their pods) and deletecollection. Every created or replaced object is
 * checked against the kubernetes-models schema plus the API server's name, label and pod template
 * rules, so a manifest the fake accepts is one a real API server accepts.
 *
 * Watches stream newline-delimited ADDED/MODIFIED/DELETED events after the given resourceVersion
 * (one global counter); a version older than the retained history (`watchHistory` events) gets an
 * ERROR event with a 410 Expired Status. client-node's Watch gives up after 30 s without data.
 *
 * Simulated control plane, at test speed (`msPerSecond` milliseconds stand for one second of
 * probe periods, initial delays, back-offs and grace periods, which are capped at 500 ms):
 * - Deployments own ReplicaSets `<deploy>-<hash>` that own Pods `<deploy>-<hash>-<rand>`; a template
 *   change replaces the old ReplicaSet at once (no surge). Status: replicas, updatedReplicas,
 *   readyReplicas, availableReplicas, unavailableReplicas, conditions Available and Progressing.
 * - Jobs run `parallelism` pods up to `completions` (Indexed mode sets JOB_COMPLETION_INDEX and the
 *   completion-index annotation), count failures (and restarts) against backoffLimit and end with
 *   condition Complete or Failed. activeDeadlineSeconds and ttlSecondsAfterFinished are ignored.
 * - The scheduler binds each pod to the first node matching nodeSelector, tolerating its taints, with
 *   the cpu/memory/nvidia.com/gpu requests free and no required podAntiAffinity conflict on
 *   kubernetes.io/hostname; otherwise PodScheduled=False/Unschedulable plus a FailedScheduling Event
 *   worded like the real one ("0/2 nodes are available: 2 Insufficient nvidia.com/gpu.").
 * - The kubelet runs each container as a local process in its own process group. `node:*` images run
 *   command+args with this Node binary for `node` (also first on PATH); other images come from
 *   `images` or fail with ErrImagePull, then ImagePullBackOff. Each pod gets a podIP in
 *   127.2.0.0/16 that its server must bind to (pass status.podIP through the downward API). Env:
 *   value (with $(VAR) expansion), fieldRef, configMapKeyRef, envFrom configMapRef, and the
 *   <SERVICE>_SERVICE_HOST/_PORT variables. configMap volumes (data and binaryData) and emptyDir are
 *   files in a temp dir; paths in command, args, env and workingDir under a mountPath are rewritten.
 *   Readiness probes (httpGet, tcpSocket) really probe podIP:port; liveness probes are ignored.
 *   restartPolicy is honoured with a growing back-off (CrashLoopBackOff, restartCount, lastState).
 *   Deleting a pod sends SIGTERM, then SIGKILL after the (capped) grace period.
 * - Each Service's clusterIP (127.1.0.0/16) listens on its ports and forwards every TCP connection
 *   round-robin to the ready pods matching its selector, on targetPort (number or name).
 *   NetworkPolicies and ResourceQuotas are stored and validated, not enforced.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ApiServer, type RequestRecord } from "./api-server.ts";
import { Cluster, type FakeNode } from "./cluster.ts";
import type { FakeImage } from "./kubelet.ts";

export type { FakeNode } from "./cluster.ts";
export type { FakeImage } from "./kubelet.ts";

export interface FakeKubeOptions {
  /** Default: node-a (e2-standard-8) and node-b (n1-standard-8-t4, one nvidia.com/gpu), 8 CPU and 32Gi each. */
  nodes?: FakeNode[];
  /** How images other than `node:*` run; unknown images fail to pull. */
  images?: Record<string, FakeImage>;
  /** Milliseconds standing for one simulated second (probe periods, delays, back-offs). Default 10. */
  msPerSecond?: number;
  /** Watch events kept for resuming from a resourceVersion; older versions get 410. Default 10000. */
  watchHistory?: number;
  /** Random source for generated names and addresses. Default Math.random. */
  random?: () => number;
}

export interface FakeKubeFaults {
  /** The next `count` requests matching `match` get this status (429 with Retry-After: 1). */
  apiErrors(status: 429 | 500, count: number, match?: { method?: string; pathIncludes?: string }): void;
  /** Ends every open watch stream now, as a restarting API server or a load balancer would. */
  dropWatches(): void;
  /** From now on, pulls of matching images fail (ErrImagePull, then ImagePullBackOff). */
  failImagePull(imagePattern: string | RegExp): void;
  /** Deletes a pod as an outside actor would (eviction); its owner replaces it. */
  deletePod(namespace: string, name: string): void;
}

export interface FakeKube {
  url: string;
  /** Kubeconfig YAML with context "fake" and namespace default. */
  kubeconfig: string;
  /** The same kubeconfig written to a temp file (removed by close). */
  kubeconfigPath: string;
  faults: FakeKubeFaults;
  /** Stored objects of a kind ("Pod", "pods", "deployment", ...), optionally of one namespace. */
  list(kind: string, namespace?: string): object[];
  namespaces(): string[];
  /** Every API call so far; `path` includes the query string. */
  requests: RequestRecord[];
  close(): Promise<void>;
}

export const DEFAULT_NODES: FakeNode[] = [
  {
    name: "node-a",
    labels: { "node.kubernetes.io/instance-type": "e2-standard-8" },
    allocatable: { cpu: "8", memory: "32Gi" },
  },
  {
    name: "node-b",
    labels: {
      "node.kubernetes.io/instance-type": "n1-standard-8-t4",
      "cloud.google.com/gke-accelerator": "nvidia-tesla-t4",
    },
    allocatable: { cpu: "8", memory: "32Gi", "nvidia.com/gpu": "1" },
  },
];

export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  const cluster = new Cluster({
    nodes: options.nodes ?? DEFAULT_NODES,
    images: options.images ?? {},
    msPerSecond: options.msPerSecond ?? 10,
    watchHistory: options.watchHistory ?? 10000,
    random: options.random ?? Math.random,
  });
  const server = new ApiServer(cluster);
  const url = await server.listen();
  const kubeconfig = stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "fake", cluster: { server: url, "insecure-skip-tls-verify": true } }],
    users: [{ name: "fake", user: { token: "fake-token" } }],
    contexts: [{ name: "fake", context: { cluster: "fake", user: "fake", namespace: "default" } }],
    "current-context": "fake",
  });
  const dir = mkdtempSync(join(tmpdir(), "fake-kube-"));
  const kubeconfigPath = join(dir, "kubeconfig.yaml");
  writeFileSync(kubeconfigPath, kubeconfig);
  return {
    url,
    kubeconfig,
    kubeconfigPath,
    requests: server.requests,
    faults: {
      apiErrors: (status, count, match) => {
        server.faults.push({
          status,
          remaining: count,
          method: match?.method,
          pathIncludes: match?.pathIncludes,
        });
      },
      dropWatches: () => server.dropWatches(),
      failImagePull: (pattern) => {
        cluster.pullFailures.push(pattern);
      },
      deletePod: (namespace, name) => cluster.deletePod(namespace, name),
    },
    list: (kind, namespace) => cluster.store.list(cluster.resource(kind).kind, namespace),
    namespaces: () => cluster.store.list("Namespace").map((ns) => ns.metadata.name ?? ""),
    close: async () => {
      await server.close();
      await cluster.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
