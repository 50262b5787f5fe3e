import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { InfrastructureError } from "../../src/targets/errors.ts";
import { runOnKubernetes } from "../../src/targets/kubernetes/index.ts";
import { type FakeKube, startFakeKube } from "../fake-kube/index.ts";
import { shortSpec, shortTarget } from "./scenario.ts";

let fake: FakeKube;
before(async () => {
  fake = await startFakeKube();
});
after(() => fake.close());

test("429s and 500s from the API are retried and the run succeeds", { timeout: 60_000 }, async () => {
  fake.faults.apiErrors(429, 2, { method: "POST" });
  fake.faults.apiErrors(500, 2, { method: "GET", pathIncludes: "/pods" });
  const dropper = setInterval(() => fake.faults.dropWatches(), 20);
  const runId = "flaky";
  const lines: string[] = [];
  try {
    const { measurement } = await runOnKubernetes({
      spec: shortSpec(),
      kubernetes: shortTarget(
        { kubeconfig: fake.kubeconfig },
        { model: { readiness: { initialDelay: "30s" } } },
      ),
      runId,
      log: (line) => {
        lines.push(line);
        if (line.includes("model ready")) clearInterval(dropper);
      },
    });
    assert.ok(measurement.seconds.reduce((sum, s) => sum + s.ok, 0) > 100);
  } finally {
    clearInterval(dropper);
  }
  const statuses = fake.requests.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 429).length, 2);
  assert.equal(statuses.filter((s) => s === 500).length, 2);
  assert.ok(!fake.namespaces().includes(`etude-${runId}`));
});

test("a load generator pod deleted mid-run fails the run", { timeout: 60_000 }, async () => {
  const runId = "evicted";
  const namespace = `etude-${runId}`;
  const spec = shortSpec();
  spec.load.holdMs = 6_000;
  let deleted = false;
  const error = await runOnKubernetes({
    spec,
    kubernetes: shortTarget({ kubeconfig: fake.kubeconfig }),
    runId,
    log: (line) => {
      if (deleted || !/^load generator 0: second 1 /.test(line)) return;
      deleted = true;
      const pod = (
        fake.list("Pod", namespace) as { metadata: { name: string; labels: Record<string, string> } }[]
      ).find(
        (p) =>
          p.metadata.labels["app.kubernetes.io/component"] === "load-generator" &&
          p.metadata.name.includes("-0-"),
      );
      assert.ok(pod, "load generator pod 0 exists");
      fake.faults.deletePod(namespace, pod.metadata.name);
    },
  }).then(
    () => assert.fail("the run should have failed"),
    (e: Error) => e,
  );
  assert.ok(deleted, "the pod was deleted");
  assert.ok(error instanceof InfrastructureError);
  assert.match(
    error.message,
    /load generator 0 \(pod .*\) (stopped at second \d+|was deleted|ended without a result)/,
  );
  assert.ok(!fake.namespaces().includes(namespace));
});
