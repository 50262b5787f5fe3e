import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expandMatrix } from "../../src/matrix/expand.ts";
import { parseSpec, SpecError, type SpecProblem } from "../../src/spec/index.ts";

const BASE = `name: paper
workload:
  catalogSize: 100k
  preset: bolcom
load:
  targetRate: 500
constraints:
  p90: 50ms
`;

const MATRIX = `${BASE}matrix:
  concurrency: 2
  models:
    - name: gru4rec
      target: { kubernetes: { model: { image: ghcr.io/acme/gru4rec:1, resources: { memory: 8Gi } } } }
  deployments:
    - name: t4
      instanceType: n1-standard-8
      nodeSelector: { cloud.google.com/gke-accelerator: nvidia-tesla-t4 }
      resources: { cpu: "6" }
      gpus: 1
      tolerations: [{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }]
      pricePerMonth: 268.09
    - name: cpu
      pricePerHour: 0.148
  scenarios:
    - name: fashion
      catalogSize: 1M
    - name: ecommerce
      catalogSize: 10M
      targetRate: 1k
      constraints: { p90: 100ms }
`;

async function problemsOf(text: string): Promise<SpecProblem[]> {
  try {
    await parseSpec(text, { file: "etude.yml", env: {} });
  } catch (error) {
    assert.ok(error instanceof SpecError);
    return error.problems;
  }
  assert.fail("the spec was accepted");
}

describe("expandMatrix", () => {
  it("keeps a spec without a matrix as exactly one cell with its own spec", async () => {
    const spec = await parseSpec(BASE, { file: "etude.yml", env: {} });
    assert.equal(spec.matrix, undefined);
    const cells = expandMatrix(spec);
    assert.equal(cells.length, 1);
    assert.deepEqual(cells[0]!.spec, spec);
  });

  it("gives one concrete spec per model x deployment x scenario with stable ids", async () => {
    const spec = await parseSpec(MATRIX, { file: "etude.yml", env: {} });
    const cells = expandMatrix(spec);
    assert.deepEqual(
      cells.map((cell) => cell.id),
      ["gru4rec/t4/fashion", "gru4rec/cpu/fashion", "gru4rec/t4/ecommerce", "gru4rec/cpu/ecommerce"],
    );
    const t4 = cells[2]!.spec;
    assert.equal(t4.workload.catalogSize, 10_000_000);
    assert.equal(t4.load.targetRate, 1000);
    assert.deepEqual(t4.constraints.latencyMs, { p90: 100 });
    assert.equal(t4.matrix, undefined);
    assert.ok(t4.target.kind === "kubernetes", `expected a kubernetes target, got ${t4.target.kind}`);
    const { model, loadGenerator } = t4.target.kubernetes;
    assert.equal(model.image, "ghcr.io/acme/gru4rec:1");
    assert.deepEqual(model.resources, { memory: "8Gi", cpu: "6", gpu: 1 });
    assert.equal(model.replicas, 1);
    assert.deepEqual(model.nodeSelector, { "cloud.google.com/gke-accelerator": "nvidia-tesla-t4" });
    assert.deepEqual(model.tolerations, [
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
    assert.equal(model.instanceType, "n1-standard-8");
    assert.equal(model.readiness.timeoutMs, 20 * 60_000);
    assert.deepEqual(
      loadGenerator.tolerations,
      [],
      "the deployment places the model, not the load generator",
    );
    const cpu = cells[3]!.spec.target;
    assert.ok(cpu.kind === "kubernetes");
    assert.deepEqual(cpu.kubernetes.model.resources, { cpu: "1", memory: "8Gi", gpu: 0 });
    assert.equal(cpu.kubernetes.model.instanceType, undefined);
    assert.deepEqual(cells[0]!.spec.constraints.latencyMs, { p90: 50 });
    assert.equal(spec.matrix!.deployments[1]!.price!.perMonth, 0.148 * 730);
    assert.equal(spec.matrix!.concurrency, 2);
  });

  it("gives a Kubernetes reference model the scenario's catalog size unless it names one", async () => {
    const spec = await parseSpec(
      `${BASE}matrix:
  models:
    - name: noop
      target: { kubernetes: { model: { reference: { model: noop } } } }
    - name: fixed
      target: { kubernetes: { model: { reference: { catalogSize: 7k } } } }
  deployments:
    - name: cpu
      instanceType: e2-standard-8
      replicas: 2
  scenarios:
    - name: small
      catalogSize: 10k
`,
      { file: "etude.yml", env: {} },
    );
    assert.deepEqual(
      expandMatrix(spec).map((cell) =>
        cell.spec.target.kind === "kubernetes"
          ? [cell.id, cell.spec.target.kubernetes.model.reference, cell.spec.target.kubernetes.model.replicas]
          : [cell.id, cell.spec.target.kind],
      ),
      [
        ["noop/cpu/small", { model: "noop", catalogSize: 10_000 }, 2],
        ["fixed/cpu/small", { model: "synthetic", catalogSize: 7000 }, 2],
      ],
    );
  });

  it("gives reference models the scenario's catalog size and defaults to one local deployment", async () => {
    const spec = await parseSpec(
      `${BASE}matrix:\n  models:\n    - name: noop\n      target: { reference: { model: noop } }\n  scenarios:\n    - name: small\n      catalogSize: 10k\n`,
      { file: "etude.yml", env: {} },
    );
    const [cell] = expandMatrix(spec);
    assert.equal(cell!.id, "noop/local/small");
    assert.deepEqual(cell!.spec.target, {
      kind: "reference",
      model: "noop",
      workers: 0,
      port: 0,
      catalogSize: 10_000,
    });
  });
});

describe("matrix spec errors", () => {
  it("names the field, its line and column, the value and what is valid", async () => {
    const problems = await problemsOf(
      `${BASE}matrix:\n  deployments:\n    - name: t4\n      pricePerHour: -1\n    - name: home\n      local: true\n      pricePerMonth: 10\n`,
    );
    assert.deepEqual(
      problems.map((p) => [p.line, p.column, p.path, p.value, p.message]),
      [
        [
          12,
          21,
          "matrix.deployments[0].pricePerHour",
          -1,
          "-1 is too small; a price per hour above 0, e.g. 0.367",
        ],
        [
          15,
          22,
          "matrix.deployments[1].pricePerMonth",
          10,
          "a local deployment runs one server on this machine; remove pricePerMonth or set local: false",
        ],
      ],
    );
  });

  it("rejects duplicate names, a local model on a cluster deployment, a catalog below topK and a bad name", async () => {
    const duplicate = await problemsOf(`${BASE}matrix:\n  deployments:\n    - name: t4\n    - name: t4\n`);
    assert.deepEqual(
      duplicate.map((p) => [p.line, p.column, p.path, p.value, p.message]),
      [
        [
          12,
          13,
          "matrix.deployments[1].name",
          "t4",
          '"t4" is already the name of another entry; names must be unique',
        ],
      ],
    );
    const placement = await problemsOf(
      `${BASE}matrix:\n  models:\n    - name: noop\n      target: reference\n  deployments:\n    - name: t4\n`,
    );
    assert.deepEqual(
      placement.map((p) => [p.path, p.message]),
      [
        [
          "matrix.models[0].target",
          "model noop runs on this machine but deployment t4 is a Kubernetes placement; give the model a kubernetes target or set local: true on the deployment",
        ],
      ],
    );
    const name = await problemsOf(`${BASE}matrix:\n  scenarios:\n    - name: tiny catalog\n`);
    assert.deepEqual(
      name.map((p) => [p.path, p.message]),
      [
        [
          "matrix.scenarios[0].name",
          '"tiny catalog" is not a valid name; use letters, digits, ".", "_" and "-", e.g. gru4rec',
        ],
      ],
    );
    const catalog = await problemsOf(
      `${BASE}matrix:\n  scenarios:\n    - name: tiny\n      catalogSize: 10\n`,
    );
    assert.deepEqual(
      catalog.map((p) => [p.line, p.path, p.message]),
      [
        [
          12,
          "matrix.scenarios[0].catalogSize",
          "10 is not above workload.topK 21; recommend fewer items than the catalog holds",
        ],
      ],
    );
  });
});
