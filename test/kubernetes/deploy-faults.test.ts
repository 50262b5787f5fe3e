import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { InfrastructureError } from "../../src/targets/errors.ts";
import { runOnKubernetes } from "../../src/targets/kubernetes/index.ts";
import { type FakeKube, startFakeKube } from "../fake-kube/index.ts";
import { shortSpec, shortTarget } from "./scenario.ts";

let fake: FakeKube;
before(async () => {
  fake = await startFakeKube();
});
after(() => fake.close());

const ETUDE_KINDS = ["Deployment", "Service", "ConfigMap", "Job", "NetworkPolicy", "ResourceQuota", "Pod"];

async function failingRun(runId: string, overrides: Record<string, unknown>): Promise<Error> {
  const kubernetes = shortTarget({ kubeconfig: fake.kubeconfig }, overrides);
  const error = await runOnKubernetes({ spec: shortSpec(), kubernetes, runId, log: () => {} }).then(
    () => assert.fail("the run should have failed"),
    (e: Error) => e,
  );
  assert.ok(error instanceof InfrastructureError, `${error.name}: ${error.message}`);
  assert.ok(!fake.namespaces().includes(`etude-${runId}`), "the run's namespace is deleted");
  return error;
}

test("an image that cannot be pulled is named", async () => {
  fake.faults.failImagePull(/ghcr\.io\/acme\/missing/);
  const error = await failingRun("pull", {
    model: { reference: undefined, image: "ghcr.io/acme/missing:pr-1" },
  });
  assert.match(
    error.message,
    /the image ghcr\.io\/acme\/missing:pr-1 cannot be pulled \((ErrImagePull|ImagePullBackOff)/,
  );
});

test("a crash loop reports the container's last log lines", async () => {
  const crash =
    "console.log('loading weights'); console.error('fatal: embedding table does not fit'); process.exit(3)";
  const error = await failingRun("crash", {
    model: { reference: undefined, image: "node:24-slim", command: ["node", "-e", crash] },
  });
  assert.match(error.message, /The model crashes .*exit code 3/);
  assert.match(error.message, /last log lines:\n(.*\n)*.*fatal: embedding table does not fit/);
});

test("an unschedulable model names the missing resource", async () => {
  const error = await failingRun("gpu", { model: { resources: { cpu: "1", memory: "1Gi", gpu: 4 } } });
  assert.match(error.message, /cannot be scheduled: no node has enough nvidia\.com\/gpu/);
});

test("in an existing namespace, everything of the run is deleted by label and the namespace stays", async () => {
  const kc = new KubeConfig();
  kc.loadFromString(fake.kubeconfig);
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "bench" } } });
  await failingRun("shared", {
    namespace: "bench",
    createNamespace: false,
    model: { resources: { cpu: "64", memory: "1Gi" } },
  }).then((error) => assert.match(error.message, /no node has enough cpu/));
  assert.ok(fake.namespaces().includes("bench"));
  for (const kind of ETUDE_KINDS) {
    assert.deepEqual(fake.list(kind, "bench"), [], `${kind} left in bench`);
  }
});
