import assert from "node:assert/strict";
import { request } from "node:http";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, Log, type V1Pod } from "@kubernetes/client-node";
import { type FakeKube, startFakeKube } from "../fake-kube/index.ts";

const SERVER = `
const http = require("node:http");
let hits = 0;
http.createServer((req, res) => {
  if (req.url === "/ready") { res.end("ok"); return; }
  hits++;
  res.end(JSON.stringify({ pod: process.env.POD_NAME, config: require("node:fs").readFileSync(process.env.CONFIG, "utf8"), hits }));
}).listen(8080, process.env.POD_IP);
process.on("SIGTERM", () => process.exit(0));
`;

function httpGet(host: string, port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // A fresh connection per request: the Service balances connections, not requests, as kube-proxy does.
    const req = request({ host, port, path, timeout: 2000, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.end();
  });
}

async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 10000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("fake-kube workloads", () => {
  let fake: FakeKube;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let batch: BatchV1Api;
  let kc: KubeConfig;

  before(async () => {
    fake = await startFakeKube({
      images: {
        "registry.example/crasher:1": { type: "crash", exitCode: 3, logs: ["model failed to load"] },
      },
    });
    kc = new KubeConfig();
    kc.loadFromString(fake.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    batch = kc.makeApiClient(BatchV1Api);
  });
  after(() => fake.close());

  it("runs a Deployment of a node: image that becomes ready and is reachable through its Service", async () => {
    await core.createNamespace({ body: { metadata: { name: "serve" } } });
    await core.createNamespacedConfigMap({
      namespace: "serve",
      body: { metadata: { name: "model" }, data: { "config.json": '{"k":21}' } },
    });
    await apps.createNamespacedDeployment({
      namespace: "serve",
      body: {
        metadata: { name: "model" },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "model" } },
          template: {
            metadata: { labels: { app: "model" } },
            spec: {
              containers: [
                {
                  name: "server",
                  image: "node:24-slim",
                  command: ["node", "-e", SERVER],
                  env: [
                    { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
                    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                    { name: "CONFIG", value: "/etc/model/config.json" },
                  ],
                  ports: [{ name: "http", containerPort: 8080 }],
                  readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 2 },
                  volumeMounts: [{ name: "config", mountPath: "/etc/model" }],
                  resources: { requests: { cpu: "1", memory: "1Gi" } },
                },
              ],
              volumes: [{ name: "config", configMap: { name: "model" } }],
            },
          },
        },
      },
    });
    const service = await core.createNamespacedService({
      namespace: "serve",
      body: {
        metadata: { name: "model" },
        spec: { selector: { app: "model" }, ports: [{ port: 80, targetPort: "http" }] },
      },
    });
    const clusterIP = service.spec?.clusterIP ?? "";
    assert.match(clusterIP, /^127\.1\.\d+\.\d+$/);

    const ready = await waitFor(async () => {
      const deployment = await apps.readNamespacedDeployment({ namespace: "serve", name: "model" });
      return deployment.status?.readyReplicas === 2 ? deployment : undefined;
    }, "two ready replicas");
    assert.equal(ready.status?.availableReplicas, 2);
    assert.equal(ready.status?.conditions?.find((c) => c.type === "Available")?.status, "True");

    const pods = await core.listNamespacedPod({ namespace: "serve", labelSelector: "app=model" });
    assert.equal(pods.items.length, 2);
    for (const pod of pods.items) {
      assert.match(pod.metadata?.name ?? "", /^model-[a-z0-9]{10}-[a-z0-9]{5}$/);
      assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, "ReplicaSet");
      assert.match(pod.status?.podIP ?? "", /^127\.2\.\d+\.\d+$/);
      assert.equal(pod.status?.phase, "Running");
    }

    const answers = [
      JSON.parse(await httpGet(clusterIP, 80, "/predict")),
      JSON.parse(await httpGet(clusterIP, 80, "/predict")),
    ];
    assert.deepEqual(
      answers.map((a) => a.config),
      ['{"k":21}', '{"k":21}'],
    );
    assert.deepEqual(
      new Set(answers.map((a) => a.pod)),
      new Set(pods.items.map((pod) => pod.metadata?.name)),
      "round-robin reaches both pods",
    );

    const victim = pods.items[0]?.metadata?.name ?? "";
    fake.faults.deletePod("serve", victim);
    await waitFor(async () => {
      const now = await core.listNamespacedPod({ namespace: "serve", labelSelector: "app=model" });
      const names = now.items.map((pod) => pod.metadata?.name);
      return now.items.length === 2 && !names.includes(victim) && now.items.every(isReady) ? true : undefined;
    }, "a replacement pod");
  });

  it("runs an Indexed Job to completion and follows its logs", async () => {
    await batch.createNamespacedJob({
      namespace: "default",
      body: {
        metadata: { name: "loadgen" },
        spec: {
          completions: 2,
          parallelism: 2,
          completionMode: "Indexed",
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: "Never",
              containers: [
                {
                  name: "gen",
                  image: "node:24-slim",
                  command: [
                    "node",
                    "-e",
                    "console.log('shard ' + process.env.JOB_COMPLETION_INDEX); setTimeout(() => console.log('done'), 150)",
                  ],
                },
              ],
            },
          },
        },
      },
    });
    const pod = await waitFor(async () => {
      const pods = await core.listNamespacedPod({
        namespace: "default",
        labelSelector: "batch.kubernetes.io/job-completion-index=1",
      });
      return pods.items.find((p) => p.status?.phase === "Running");
    }, "the running shard 1 pod");
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    const ended = new Promise((resolve) => stream.on("end", resolve));
    await new Log(kc).log("default", pod.metadata?.name ?? "", "gen", stream, { follow: true });
    await ended;
    assert.equal(text, "shard 1\ndone\n");

    const job = await waitFor(async () => {
      const current = await batch.readNamespacedJob({ namespace: "default", name: "loadgen" });
      return current.status?.conditions?.some((c) => c.type === "Complete" && c.status === "True")
        ? current
        : undefined;
    }, "job completion");
    assert.equal(job.status?.succeeded, 2);
    assert.equal(job.status?.failed, 0);
    assert.equal(job.status?.completedIndexes, "0,1");
  });

  it("leaves a pod that fits no node Pending with a FailedScheduling event", async () => {
    await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "greedy" },
        spec: {
          containers: [
            { name: "c", image: "node:24-slim", resources: { limits: { "nvidia.com/gpu": "2" } } },
          ],
        },
      },
    });
    const event = await waitFor(async () => {
      const events = await core.listNamespacedEvent({
        namespace: "default",
        fieldSelector: "involvedObject.name=greedy",
      });
      return events.items.find((e) => e.reason === "FailedScheduling");
    }, "FailedScheduling");
    assert.equal(event.message, "0/2 nodes are available: 2 Insufficient nvidia.com/gpu.");
    assert.equal(event.type, "Warning");
    const pod = await core.readNamespacedPod({ namespace: "default", name: "greedy" });
    assert.equal(pod.status?.phase, "Pending");
    const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    assert.equal(scheduled?.status, "False");
    assert.equal(scheduled?.reason, "Unschedulable");
  });

  it("reports image pull failures and crash loops as the kubelet does", async () => {
    fake.faults.failImagePull(/private\.example/);
    await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "unpullable" },
        spec: { containers: [{ name: "c", image: "private.example/model:1" }] },
      },
    });
    await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "crasher" },
        spec: { containers: [{ name: "c", image: "registry.example/crasher:1" }] },
      },
    });
    const waiting = await waitFor(async () => {
      const pod = await core.readNamespacedPod({ namespace: "default", name: "unpullable" });
      const reason = pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      return reason === "ImagePullBackOff" ? pod : undefined;
    }, "ImagePullBackOff");
    assert.equal(waiting.status?.phase, "Pending");
    const pullEvents = await core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: "involvedObject.name=unpullable",
    });
    assert.ok(
      pullEvents.items.some((e) => e.message?.startsWith('Failed to pull image "private.example/model:1"')),
    );

    const crashed = await waitFor(async () => {
      const pod = await core.readNamespacedPod({ namespace: "default", name: "crasher" });
      const status = pod.status?.containerStatuses?.[0];
      return (status?.restartCount ?? 0) >= 2 && status?.state?.waiting?.reason === "CrashLoopBackOff"
        ? status
        : undefined;
    }, "CrashLoopBackOff");
    assert.equal(crashed.lastState?.terminated?.exitCode, 3);
    assert.equal(crashed.lastState?.terminated?.reason, "Error");
    const stream = new PassThrough();
    let previous = "";
    stream.on("data", (chunk: Buffer) => {
      previous += chunk.toString("utf8");
    });
    const ended = new Promise((resolve) => stream.on("end", resolve));
    await new Log(kc).log("default", "crasher", "c", stream, { previous: true });
    await ended;
    assert.equal(previous, "model failed to load\n");
  });

  it("deletes everything in a namespace, killing its processes", async () => {
    await core.createNamespace({ body: { metadata: { name: "doomed" } } });
    await core.createNamespacedPod({
      namespace: "doomed",
      body: {
        metadata: { name: "sleeper" },
        spec: {
          containers: [
            {
              name: "c",
              image: "node:24-slim",
              command: ["node", "-e", "console.log(process.pid); setInterval(() => {}, 1000)"],
            },
          ],
        },
      },
    });
    const pid = await waitFor(async () => {
      const pod = await core.readNamespacedPod({ namespace: "doomed", name: "sleeper" });
      if (pod.status?.phase !== "Running") return undefined;
      const text = await core.readNamespacedPodLog({ namespace: "doomed", name: "sleeper" });
      return text.trim() ? Number(text.trim()) : undefined;
    }, "the sleeper's pid");
    assert.equal(isAlive(pid), true);

    const deleted = await core.deleteNamespace({ name: "doomed" });
    assert.equal((deleted as { status?: { phase?: string } }).status?.phase, "Terminating");
    await waitFor(() => !fake.namespaces().includes("doomed"), "namespace removal");
    assert.equal(fake.list("Pod", "doomed").length, 0);
    assert.equal(isAlive(pid), false);
  });
});

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
