import assert from "node:assert/strict";
import { test } from "node:test";
import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { parseKubernetesTarget } from "../../src/spec/index.ts";
import type { LoadSpec } from "../../src/spec/types.ts";
import { explainNotReady } from "../../src/targets/kubernetes/diagnose.ts";
import { loadGeneratorPodCount, partitionLoad } from "../../src/targets/kubernetes/job-config.ts";
import {
  loadGeneratorJob,
  modelDeployment,
  modelNetworkPolicy,
  namespaceManifest,
  resourceQuota,
  sanitizeRunId,
} from "../../src/targets/kubernetes/manifests.ts";

const identity = {
  runId: "Run_42/A",
  repository: "acme/recs",
  pullRequest: 7,
  expiresAt: Date.UTC(2030, 0, 1),
};
const target = parseKubernetesTarget({
  model: {
    image: "ghcr.io/acme/model:pr-7",
    instanceType: "g4dn.xlarge",
    resources: { cpu: "3500m", memory: "8Gi", gpu: 1 },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
    replicas: 2,
  },
  loadGenerator: { pods: 2, resources: { cpu: 1, memory: "512Mi" } },
});

test("the namespace carries the run's labels and expiry", () => {
  const ns = namespaceManifest(identity);
  assert.equal(ns.metadata?.name, "etude-run-42-a");
  assert.deepEqual(ns.metadata?.labels, {
    "app.kubernetes.io/managed-by": "etude",
    "etude.dev/run-id": "run-42-a",
    "etude.dev/expires": String(Date.UTC(2030, 0, 1) / 1000),
    "etude.dev/repository": "acme_recs",
    "etude.dev/pull-request": "7",
  });
  assert.equal(ns.metadata?.annotations?.["etude.dev/expires-at"], "2030-01-01T00:00:00.000Z");
  assert.throws(() => sanitizeRunId("///"), /run id "\/\/\/"/);
});

test("the model gets Guaranteed resources, GPUs, the instance type and stays off load generator nodes", () => {
  const deployment = modelDeployment(target, identity);
  const pod = deployment.spec!.template.spec!;
  const container = pod.containers[0]!;
  assert.deepEqual(container.resources?.requests, container.resources?.limits);
  assert.deepEqual(container.resources?.limits, { cpu: "3500m", memory: "8Gi", "nvidia.com/gpu": "1" });
  assert.equal(pod.nodeSelector?.["node.kubernetes.io/instance-type"], "g4dn.xlarge");
  assert.equal(pod.tolerations?.[0]?.key, "nvidia.com/gpu");
  assert.equal(deployment.spec?.replicas, 2);
  assert.equal(pod.automountServiceAccountToken, false);
  const term = pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0];
  assert.equal(term?.topologyKey, "kubernetes.io/hostname");
  assert.equal(term?.labelSelector?.matchLabels?.["app.kubernetes.io/component"], "load-generator");
  assert.equal(container.readinessProbe?.httpGet?.path, "/ping");
  assert.ok(
    container.env?.some((e) => e.name === "POD_IP" && e.valueFrom?.fieldRef?.fieldPath === "status.podIP"),
  );
});

test("the reference model runs the bundled server from a stock Node image", () => {
  const reference = parseKubernetesTarget({
    nodeImage: "registry.local/node:24",
    model: { reference: { catalogSize: 5000 } },
  });
  const pod = modelDeployment(reference, identity).spec!.template.spec!;
  assert.equal(pod.containers[0]!.image, "registry.local/node:24");
  assert.deepEqual(pod.containers[0]!.command, ["node", "/etc/etude/bootstrap.mjs"]);
  assert.ok(pod.containers[0]!.env?.some((e) => e.name === "ETUDE_CATALOG_SIZE" && e.value === "5000"));
  assert.equal(pod.volumes?.[0]?.configMap?.name, "etude-server-run-42-a");
});

test("the load generator is an Indexed Job, kept off the model's nodes, that never retries", () => {
  const job = loadGeneratorJob(target, identity, { pods: 2, activeDeadlineSeconds: 600 });
  assert.equal(job.spec?.completionMode, "Indexed");
  assert.equal(job.spec?.parallelism, 2);
  assert.equal(job.spec?.completions, 2);
  assert.equal(job.spec?.backoffLimit, 0);
  const pod = job.spec!.template.spec!;
  const resources = pod.containers[0]!.resources!;
  assert.deepEqual(resources.requests, resources.limits);
  const term = pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0];
  assert.equal(term?.labelSelector?.matchLabels?.["app.kubernetes.io/component"], "model");
  assert.equal(term?.topologyKey, "kubernetes.io/hostname");
});

test("the model may reach only its namespace and DNS", () => {
  const policy = modelNetworkPolicy(identity);
  assert.deepEqual(policy.spec?.policyTypes, ["Egress"]);
  assert.equal(policy.spec?.podSelector?.matchLabels?.["app.kubernetes.io/component"], "model");
  const [inside, dns] = policy.spec!.egress!;
  assert.deepEqual(inside, { to: [{ podSelector: {} }] });
  assert.deepEqual(
    dns?.ports?.map((p) => p.port),
    [53, 53],
  );
  assert.equal(policy.spec?.egress?.length, 2);
});

test("the quota covers the pods of the run plus one replacement each", () => {
  const quota = resourceQuota(target, identity, 2);
  // model: 3 pods x 3.5 cpu; generator: 3 pods x 1 cpu
  assert.equal(quota.spec?.hard?.["requests.cpu"], "13500m");
  assert.equal(quota.spec?.hard?.["limits.cpu"], "13500m");
  assert.equal(quota.spec?.hard?.pods, "6");
  assert.equal(quota.spec?.hard?.["requests.nvidia.com/gpu"], "3");
  assert.equal(quota.spec?.hard?.["requests.memory"], String(3 * 8 * 2 ** 30 + 3 * 512 * 2 ** 20));
});

test("the load is split evenly between generator pods", () => {
  const load: LoadSpec = {
    targetRate: 2500,
    rampUpMs: 1000,
    holdMs: 0,
    warmupMs: 0,
    warmupRate: 100,
    requestTimeoutMs: 1000,
    connections: 9,
    arrival: "uniform",
  };
  assert.equal(loadGeneratorPodCount(load, target.loadGenerator), 2);
  const auto = parseKubernetesTarget({ model: { image: "x" } }).loadGenerator;
  assert.equal(loadGeneratorPodCount(load, auto), 3);
  const share = partitionLoad(load, 2);
  assert.equal(share.targetRate, 1250);
  assert.equal(share.warmupRate, 50);
  assert.equal(share.connections, 5);
});

function pod(name: string, status: V1Pod["status"]): V1Pod {
  return { metadata: { name }, status };
}
const event = (name: string, reason: string, message: string): CoreV1Event => ({
  metadata: { name: `${name}.1` },
  involvedObject: { name },
  reason,
  message,
});

test("not-ready pods are explained in one sentence", () => {
  const pull = explainNotReady("The model", {
    pods: [
      pod("m-1", {
        containerStatuses: [
          {
            name: "model",
            image: "ghcr.io/x:bad",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: "ImagePullBackOff", message: "manifest unknown" } },
          },
        ],
      }),
    ],
    events: [],
    logs: new Map(),
  });
  assert.match(pull, /image ghcr\.io\/x:bad cannot be pulled \(ImagePullBackOff: manifest unknown\)/);
  const crash = explainNotReady("The model", {
    pods: [
      pod("m-1", {
        containerStatuses: [
          {
            name: "model",
            image: "i",
            imageID: "",
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 1 } },
          },
        ],
      }),
    ],
    events: [],
    logs: new Map([["m-1", ["loading weights", "Error: out of memory"]]]),
  });
  assert.match(
    crash,
    /crashes .*exit code 1, restarted 3 times.*last log lines:\nloading weights\nError: out of memory/s,
  );
  const unschedulable = explainNotReady("The model", {
    pods: [
      pod("m-1", {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
      }),
    ],
    events: [event("m-1", "FailedScheduling", "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.")],
    logs: new Map(),
  });
  assert.match(unschedulable, /cannot be scheduled: no node has enough nvidia\.com\/gpu/);
  const probe = explainNotReady("The model", {
    pods: [pod("m-1", { phase: "Running" })],
    events: [event("m-1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503")],
    logs: new Map(),
  });
  assert.match(
    probe,
    /readiness probe fails \(Readiness probe failed: HTTP probe failed with statuscode: 503\)/,
  );
});
