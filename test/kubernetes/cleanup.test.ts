import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { cleanup } from "../../src/targets/kubernetes/index.ts";
import { type FakeKube, startFakeKube } from "../fake-kube/index.ts";
import { shortTarget } from "./scenario.ts";

let fake: FakeKube;
let core: CoreV1Api;
before(async () => {
  fake = await startFakeKube();
  const kc = new KubeConfig();
  kc.loadFromString(fake.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
});
after(() => fake.close());

test("SIGTERM during a run deletes everything before the process ends", { timeout: 60_000 }, async () => {
  const runId = "sigterm";
  const child = spawn(process.execPath, [new URL("./fixtures/run-child.ts", import.meta.url).pathname], {
    env: { ...process.env, FAKE_KUBECONFIG: fake.kubeconfig, RUN_ID: runId },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  let sawNamespace = false;
  for await (const line of createInterface({ input: child.stdout! })) {
    if (/^load generator 0: second 0 /.test(line)) {
      sawNamespace = fake.namespaces().includes(`etude-${runId}`);
      child.kill("SIGTERM");
      break;
    }
  }
  const [code, signal] = await exited;
  assert.ok(sawNamespace, "the run was under way");
  assert.equal(signal ?? code, "SIGTERM");
  assert.ok(!fake.namespaces().includes(`etude-${runId}`), "namespace deleted");
});

test("cleanup of expired runs deletes only etude namespaces past their expiry", async () => {
  const now = Math.floor(Date.now() / 1000);
  const namespaces = {
    "etude-old": {
      "app.kubernetes.io/managed-by": "etude",
      "etude.dev/run-id": "old",
      "etude.dev/expires": String(now - 60),
    },
    "etude-new": {
      "app.kubernetes.io/managed-by": "etude",
      "etude.dev/run-id": "new",
      "etude.dev/expires": String(now + 3600),
    },
    "team-old": { "etude.dev/expires": String(now - 60) },
  };
  for (const [name, labels] of Object.entries(namespaces)) {
    await core.createNamespace({ body: { metadata: { name, labels } } });
  }
  const kubernetes = shortTarget({ kubeconfig: fake.kubeconfig });
  const report = await cleanup({ expired: true }, { kubernetes, log: () => {} });
  assert.deepEqual(report.namespaces, ["etude-old"]);
  assert.ok(!fake.namespaces().includes("etude-old"));
  assert.ok(fake.namespaces().includes("etude-new"));
  assert.ok(fake.namespaces().includes("team-old"));
  const byRun = await cleanup({ runId: "new" }, { kubernetes, log: () => {} });
  assert.deepEqual(byRun.namespaces, ["etude-new"]);
  assert.deepEqual((await cleanup({ runId: "new" }, { kubernetes, log: () => {} })).namespaces, []);
});
