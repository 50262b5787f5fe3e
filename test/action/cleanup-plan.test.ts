import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runsToClean } from "../../src/action/cleanup-plan.ts";
import { parseSpec } from "../../src/spec/index.ts";

const model = (name: string, target: string) => `    - name: ${name}\n      target: ${target}\n`;
const cluster = (kubeconfigPath: string) =>
  `{ kubernetes: { kubeconfigPath: ${kubeconfigPath}, model: { reference: { model: noop } } } }`;

async function matrixSpec(models: string): Promise<Parameters<typeof runsToClean>[0]> {
  const text = `name: sweep
workload: { catalogSize: 1k, preset: bolcom }
load: { targetRate: 20, rampUp: 1s, hold: 1s, warmup: 0s }
constraints: { p90: 100ms, window: 1s }
matrix:
  models:
${models}  deployments:
    - name: e2
      instanceType: e2-standard-8
    - name: t4
      instanceType: n1-standard-8
  scenarios:
    - name: shop
`;
  return parseSpec(text, { file: "sweep.yml", env: {} });
}

describe("runsToClean", () => {
  test("a matrix cleans one run per cluster cell, on each distinct cluster", async () => {
    const spec = await matrixSpec(
      model("noop", cluster("/etc/a.yaml")) +
        model("other", cluster("/etc/a.yaml")) +
        model("far", cluster("/etc/b.yaml")),
    );
    const runs = runsToClean(spec, "gh-1");
    const byCluster = (path: string) =>
      runs.filter((run) => run.kubernetes.kubeconfigPath === path).map((run) => run.runId);
    const ids = ["gh-1-1", "gh-1-2", "gh-1-3", "gh-1-4", "gh-1-5", "gh-1-6"];
    assert.deepEqual(byCluster("/etc/a.yaml"), ids);
    assert.deepEqual(byCluster("/etc/b.yaml"), ids);
    assert.equal(runs.length, 12);
  });

  test("the kubeconfig input replaces every cell's connection", async () => {
    const spec = await matrixSpec(
      model("noop", cluster("/etc/a.yaml")) + model("far", cluster("/etc/b.yaml")),
    );
    const runs = runsToClean(spec, "gh-2", "apiVersion: v1");
    assert.deepEqual(
      runs.map((run) => [
        run.runId,
        run.kubernetes.kubeconfig,
        run.kubernetes.kubeconfigPath,
        run.kubernetes.inCluster,
      ]),
      [1, 2, 3, 4].map((n) => [`gh-2-${n}`, "apiVersion: v1", undefined, false]),
    );
  });

  test("a sweep of local cells leaves nothing in a cluster", async () => {
    const text = `name: local
workload: { catalogSize: 1k, preset: bolcom }
load: { targetRate: 20, rampUp: 1s, hold: 1s, warmup: 0s }
constraints: { p90: 100ms, window: 1s }
matrix:
  models:
    - name: noop
      target: { reference: { model: noop } }
`;
    assert.deepEqual(runsToClean(await parseSpec(text, { file: "local.yml", env: {} }), "gh-3"), []);
  });
});
