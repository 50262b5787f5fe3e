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
    assert.deepEqual(t4.target, {
      kind: "kubernetes",
      kubernetes: {
        model: {
          image: "ghcr.io/acme/gru4rec:1",
          resources: { memory: "8Gi", cpu: "6", gpu: 1 },
          replicas: 1,
          nodeSelector: { "cloud.google.com/gke-accelerator": "nvidia-tesla-t4" },
          instanceType: "n1-standard-8",
        },
      },
    });
    assert.deepEqual(cells[0]!.spec.constraints.latencyMs, { p90: 50 });
    assert.equal(spec.matrix!.deployments[1]!.price!.perMonth, 0.148 * 730);
    assert.equal(spec.matrix!.concurrency, 2);
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
