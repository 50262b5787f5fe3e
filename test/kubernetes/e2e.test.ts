import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanup, runOnKubernetes } from "../../src/targets/kubernetes/index.ts";
import { shortSpec, shortTarget } from "./scenario.ts";

/**
 * The whole flow: the reference server deployed from a stock Node image, two load generator pods,
 * merged measurements, nothing left behind. Runs against the fake API server, or against a real
 * cluster when ETUDE_E2E_KUBECONFIG names a kubeconfig file (the kind workflow).
 */
const realCluster = process.env.ETUDE_E2E_KUBECONFIG;

test("a run deploys the model, loads it from two pods, merges and cleans up", {
  timeout: 240_000,
}, async () => {
  const fake = realCluster ? undefined : await (await import("../fake-kube/index.ts")).startFakeKube();
  try {
    const connection = realCluster ? { kubeconfigPath: realCluster } : { kubeconfig: fake!.kubeconfig };
    const kubernetes = shortTarget(
      connection,
      realCluster ? { model: { readiness: { timeout: "5m" } } } : {},
    );
    const lines: string[] = [];
    const runId = `e2e-${Date.now().toString(36)}`;
    const { measurement, environment } = await runOnKubernetes({
      spec: shortSpec(),
      kubernetes,
      runId,
      repository: "acme/recs",
      pullRequest: 12,
      log: (line) => lines.push(line),
    });

    assert.equal(measurement.load.targetRate, 50);
    const hold = measurement.seconds.filter((s) => s.phase === "hold");
    assert.ok(hold.length >= 2, `hold seconds: ${hold.length}`);
    for (const second of hold)
      assert.ok(Math.abs(second.targetRate - 50) < 1e-9, `target ${second.targetRate}`);
    const sent = measurement.seconds.reduce((sum, s) => sum + s.sent, 0);
    const ok = measurement.seconds.reduce((sum, s) => sum + s.ok, 0);
    assert.ok(sent >= 100, `sent ${sent}`);
    assert.ok(ok >= sent * 0.95, `ok ${ok} of ${sent}`);
    assert.equal(measurement.aborted, undefined);

    const model = environment.model as {
      pods: { node: string; instanceType?: string; images: { imageID: string }[] }[];
    };
    const generators = environment.loadGenerator as { pods: { node: string }[] };
    assert.equal(generators.pods.length, 2);
    const modelNodes = new Set(model.pods.map((p) => p.node));
    for (const pod of generators.pods)
      assert.ok(!modelNodes.has(pod.node), `load generator on model node ${pod.node}`);
    assert.ok(model.pods[0]?.images[0]?.imageID, "image digest recorded");
    assert.ok(
      lines.some((line) => /^load generator 1: second \d+/.test(line)),
      "progress streamed",
    );

    if (fake) {
      assert.ok(!fake.namespaces().includes(`etude-${runId}`), "namespace deleted");
      const report = await cleanup({ runId }, { kubernetes, log: () => {} });
      assert.deepEqual(report.namespaces, [], "nothing left for cleanup");
    }
  } finally {
    await fake?.close();
  }
});
