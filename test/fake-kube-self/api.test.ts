import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from "@kubernetes/client-node";
import { type FakeKube, startFakeKube } from "../fake-kube/index.ts";

async function rejection(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiException, `expected an ApiException, got ${String(error)}`);
    const body = typeof error.body === "string" ? JSON.parse(error.body) : error.body;
    return { code: error.code, body };
  }
  assert.fail("expected the request to fail");
}

describe("fake-kube API", () => {
  let fake: FakeKube;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let kc: KubeConfig;

  before(async () => {
    fake = await startFakeKube();
    kc = new KubeConfig();
    kc.loadFromString(fake.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });
  after(() => fake.close());

  it("creates, reads, patches, replaces and deletes a ConfigMap with the real status codes", async () => {
    await core.createNamespace({ body: { metadata: { name: "crud", labels: { team: "bench" } } } });
    const created = await core.createNamespacedConfigMap({
      namespace: "crud",
      body: {
        metadata: { name: "settings" },
        data: { a: "1" },
        binaryData: { b: Buffer.from([0, 1]).toString("base64") },
      },
    });
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp);
    assert.equal(fake.requests.at(-1)?.status, 201);

    const duplicate = await rejection(
      core.createNamespacedConfigMap({ namespace: "crud", body: { metadata: { name: "settings" } } }),
    );
    assert.equal(duplicate.code, 409);
    assert.equal(duplicate.body.reason, "AlreadyExists");
    assert.equal(duplicate.body.message, 'configmaps "settings" already exists');

    const missing = await rejection(core.readNamespacedConfigMap({ namespace: "crud", name: "nope" }));
    assert.equal(missing.code, 404);
    assert.equal(missing.body.reason, "NotFound");
    assert.deepEqual(missing.body.details, { name: "nope", kind: "configmaps" });

    const patched = await core.patchNamespacedConfigMap(
      { namespace: "crud", name: "settings", body: { data: { c: "3" } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    assert.deepEqual(patched.data, { a: "1", c: "3" });
    assert.ok(Number(patched.metadata?.resourceVersion) > Number(created.metadata?.resourceVersion));

    const jsonPatched = await core.patchNamespacedConfigMap({
      namespace: "crud",
      name: "settings",
      body: [{ op: "replace", path: "/data/a", value: "2" }],
    });
    assert.equal(jsonPatched.data?.a, "2");

    const stale = await rejection(
      core.replaceNamespacedConfigMap({
        namespace: "crud",
        name: "settings",
        body: { ...created, data: { x: "y" } },
      }),
    );
    assert.equal(stale.code, 409);
    assert.equal(stale.body.reason, "Conflict");

    const listed = await core.listNamespace({ labelSelector: "team in (bench, other)" });
    assert.deepEqual(
      listed.items.map((ns) => ns.metadata?.name),
      ["crud"],
    );

    await core.deleteNamespacedConfigMap({ namespace: "crud", name: "settings" });
    assert.equal(
      (await rejection(core.readNamespacedConfigMap({ namespace: "crud", name: "settings" }))).code,
      404,
    );
  });

  it("rejects invalid objects with 422 Invalid naming the field", async () => {
    const deployment = (container: Record<string, unknown>, replicas: unknown) => ({
      metadata: { name: "bad" },
      spec: {
        replicas,
        selector: { matchLabels: { app: "bad" } },
        template: { metadata: { labels: { app: "bad" } }, spec: { containers: [container] } },
      },
    });
    const nameless = await rejection(
      apps.createNamespacedDeployment({
        namespace: "default",
        body: deployment({ image: "node:24-slim" }, 1) as never,
      }),
    );
    assert.equal(nameless.code, 422);
    assert.equal(nameless.body.reason, "Invalid");
    const causes = (nameless.body.details as { causes: Array<{ field: string }> }).causes;
    assert.ok(
      causes.some((cause) => cause.field === "spec.template.spec.containers[0].name"),
      JSON.stringify(causes),
    );

    const wordy = await rejection(
      apps.createNamespacedDeployment({
        namespace: "default",
        body: deployment({ name: "c", image: "node:24-slim" }, "two") as never,
      }),
    );
    assert.equal(wordy.code, 422);
    assert.match(String(wordy.body.message), /spec\.replicas/);

    const badName = await rejection(core.createNamespace({ body: { metadata: { name: "Not_A_Label" } } }));
    assert.equal(badName.code, 422);
    assert.match(String(badName.body.message), /metadata\.name: Invalid value: "Not_A_Label"/);

    const networking = kc.makeApiClient(NetworkingV1Api);
    const policy = await networking.createNamespacedNetworkPolicy({
      namespace: "default",
      body: { metadata: { name: "deny-all" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
    });
    assert.equal(policy.metadata?.name, "deny-all");
    assert.equal(fake.list("NetworkPolicy", "default").length, 1);
  });

  it("streams watch events from a resourceVersion, and 410 for one that is too old", async () => {
    const small = await startFakeKube({ watchHistory: 5 });
    try {
      const config = new KubeConfig();
      config.loadFromString(small.kubeconfig);
      const client = config.makeApiClient(CoreV1Api);
      const start = await client.listNamespacedConfigMap({ namespace: "default" });
      const events: string[] = [];
      const watch = new Watch(config);
      const done = new Promise<unknown>((resolve) => {
        void watch.watch(
          "/api/v1/namespaces/default/configmaps",
          { resourceVersion: start.metadata?.resourceVersion, labelSelector: "app=x" },
          (type, object) => events.push(`${type} ${object.metadata.name}`),
          resolve,
        );
      });
      await client.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: "one", labels: { app: "x" } } },
      });
      await client.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "other" } } });
      await client.patchNamespacedConfigMap(
        { namespace: "default", name: "one", body: { data: { k: "v" } } },
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      );
      await client.deleteNamespacedConfigMap({ namespace: "default", name: "one" });
      await waitFor(() => events.length >= 3);
      assert.deepEqual(events, ["ADDED one", "MODIFIED one", "DELETED one"]);
      small.faults.dropWatches();
      assert.equal(await done, null);

      for (let i = 0; i < 6; i++) {
        await client.createNamespacedConfigMap({
          namespace: "default",
          body: { metadata: { name: `fill-${i}` } },
        });
      }
      const errors: Array<{ type: string; code: unknown }> = [];
      await new Promise<unknown>((resolve) => {
        void new Watch(config).watch(
          "/api/v1/namespaces/default/configmaps",
          { resourceVersion: start.metadata?.resourceVersion },
          (type, object) => errors.push({ type, code: object.code }),
          resolve,
        );
      });
      assert.deepEqual(errors, [{ type: "ERROR", code: 410 }]);
    } finally {
      await small.close();
    }
  });

  it("answers injected 429 and 500 errors for the next matching requests only", async () => {
    fake.faults.apiErrors(429, 1, { method: "GET", pathIncludes: "/configmaps" });
    fake.faults.apiErrors(500, 1, { pathIncludes: "/services" });
    const throttled = await rejection(core.listNamespacedConfigMap({ namespace: "default" }));
    assert.equal(throttled.code, 429);
    assert.equal(throttled.body.reason, "TooManyRequests");
    const broken = await rejection(core.listNamespacedService({ namespace: "default" }));
    assert.equal(broken.code, 500);
    await core.listNamespacedConfigMap({ namespace: "default" });
    await core.listNamespacedService({ namespace: "default" });
    assert.deepEqual(
      fake.requests.slice(-4).map((request) => request.status),
      [429, 500, 200, 200],
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
