import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CoreV1Api, KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import { watchUntil } from "../../src/targets/kubernetes/watch.ts";
import { type FakeKube, startFakeKube } from "../fake-kube/index.ts";

let fake: FakeKube;
let core: CoreV1Api;
let kubeConfig: KubeConfig;
before(async () => {
  fake = await startFakeKube({ watchHistory: 5 });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(fake.kubeconfig);
  core = kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: "w" } } });
});
after(() => fake.close());

const configMap = (name: string, labels: Record<string, string>): V1ConfigMap => ({
  metadata: { name, labels },
});

function waitForReady(app: string, reconnects: string[]) {
  return watchUntil<V1ConfigMap, string>({
    kubeConfig,
    path: "/api/v1/namespaces/w/configmaps",
    labelSelector: `app=${app}`,
    list: () => core.listNamespacedConfigMap({ namespace: "w", labelSelector: `app=${app}` }),
    check: (items) => items.find((item) => item.metadata?.labels?.ready === "yes")?.metadata?.name,
    timeoutMs: 10_000,
    onReconnect: (reason) => reconnects.push(reason),
  });
}

const watchRequests = () =>
  fake.requests.filter(
    (r) => r.path.startsWith("/api/v1/namespaces/w/configmaps?") && r.path.includes("watch=true"),
  );

test("a dropped watch is resumed from the last resourceVersion", async () => {
  const before = watchRequests().length;
  const waiting = waitForReady("first", []);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await core.createNamespacedConfigMap({ namespace: "w", body: configMap("m1", { app: "first" }) });
  await new Promise((resolve) => setTimeout(resolve, 100));
  fake.faults.dropWatches();
  await new Promise((resolve) => setTimeout(resolve, 400));
  await core.createNamespacedConfigMap({
    namespace: "w",
    body: configMap("m2", { app: "first", ready: "yes" }),
  });
  assert.equal(await waiting, "m2");
  const watches = watchRequests().slice(before);
  assert.ok(watches.length >= 2, `${watches.length} watch requests`);
  assert.ok(watches.slice(1).every((r) => r.path.includes("resourceVersion=")));
});

test("a resourceVersion that expired (410 Gone) leads to a new list", async () => {
  const reconnects: string[] = [];
  const lists = () =>
    fake.requests.filter(
      (r) => r.path.startsWith("/api/v1/namespaces/w/configmaps?") && !r.path.includes("watch=true"),
    ).length;
  const listsBefore = lists();
  const waiting = waitForReady("second", reconnects);
  await new Promise((resolve) => setTimeout(resolve, 100));
  // More changes than the server keeps, none of them seen by this watch: its version expires.
  for (let i = 0; i < 10; i++) {
    await core.createNamespacedConfigMap({ namespace: "w", body: configMap(`other-${i}`, {}) });
  }
  fake.faults.dropWatches();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await core.createNamespacedConfigMap({
    namespace: "w",
    body: configMap("m3", { app: "second", ready: "yes" }),
  });
  assert.equal(await waiting, "m3");
  assert.ok(
    reconnects.some((r) => r.includes("410 Gone")),
    reconnects.join("; "),
  );
  assert.ok(lists() - listsBefore >= 2, "listed again");
});
