import assert from "node:assert/strict";
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runSweep } from "../../src/benchmark/sweep.ts";
import { readSweep } from "../../src/matrix/sweep-file.ts";
import { parseSpec } from "../../src/spec/index.ts";
import { startFakeKube } from "../fake-kube/index.ts";

/** Prices per hour; a month counts 730 hours. */
const E2_PER_HOUR = 0.25;
const T4_PER_HOUR = 1.1;

function sweepSpec(kubeconfigPath: string): string {
  const model = (name: string, reference: string) => `    - name: ${name}
      target:
        kubernetes:
          kubeconfigPath: ${kubeconfigPath}
          model:
            reference: { model: ${reference} }
            readiness: { initialDelay: 0s, period: 1s, timeout: 60s }
            resources: { cpu: 250m, memory: 256Mi }
          loadGenerator:
            pods: 1
            startDelay: 2s
            resources: { cpu: 250m, memory: 256Mi }
`;
  return `name: instance-types
workload:
  catalogSize: 1k
  preset: bolcom
load:
  targetRate: 25
  rampUp: 1s
  hold: 2s
  warmup: 0s
  connections: 4
constraints:
  p90: 500ms
  window: 1s
repetitions: 1
matrix:
  models:
${model("noop", "noop")}${model("synthetic", "synthetic")}  deployments:
    - name: e2
      instanceType: e2-standard-8
      resources: { cpu: 500m, memory: 512Mi }
      pricePerHour: ${E2_PER_HOUR}
    - name: t4
      instanceType: n1-standard-8-t4
      gpus: 1
      tolerations: [{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }]
      pricePerHour: ${T4_PER_HOUR}
  scenarios:
    - name: shop
      targetRate: 25
`;
}

function dollars(perHour: number, machines: number): string {
  const perMonth = Math.round(perHour * 730 * 100) / 100;
  return `$${(perMonth * machines).toFixed(2)}`;
}

test("a sweep over two instance types of a cluster answers which setup is cheapest", {
  timeout: 180_000,
}, async () => {
  const fake = await startFakeKube();
  const dir = await mkdtemp(join(tmpdir(), "etude-kube-sweep-"));
  try {
    const spec = await parseSpec(sweepSpec(fake.kubeconfigPath), { file: "sweep.yml", env: {} });
    const lines: string[] = [];
    const outcome = await runSweep({ spec, outDir: dir, runId: "sweep", log: (line) => lines.push(line) });

    const ids = ["noop/e2/shop", "synthetic/e2/shop", "noop/t4/shop", "synthetic/t4/shop"];
    assert.deepEqual(outcome.ran, ids);
    assert.equal(outcome.interrupted, false);
    const stored = await readSweep(outcome.files.sweep);
    assert.deepEqual(
      stored?.cells.map((cell) => cell.id),
      ids,
    );
    for (const cell of stored!.cells) {
      assert.equal(cell.status, "measured", cell.status === "failed" ? cell.error : "");
      if (cell.status !== "measured") continue;
      const results = JSON.parse(await readFile(join(dir, cell.resultsPath), "utf8"));
      const instanceType = cell.deployment === "e2" ? "e2-standard-8" : "n1-standard-8-t4";
      assert.match(
        results.environment.target,
        new RegExp(`${cell.model} model.*instance type ${instanceType}`),
      );
      const gpus = cell.deployment === "t4" ? 1 : 0;
      assert.match(results.environment.target, new RegExp(`${gpus} GPU`));
    }

    const report = await readFile(outcome.files.report, "utf8");
    const rows = report.split("\n").filter((line) => line.startsWith("| "));
    const measured = stored!.cells.flatMap((cell) => (cell.status === "measured" ? [cell] : []));
    for (const cell of measured) {
      const row = rows.find(
        (line) => line.startsWith(`| ${cell.model} `) && line.includes(` ${cell.deployment} `),
      );
      assert.ok(row, `no row for ${cell.id} in\n${report}`);
      const { verdict, invalidReasons } = cell.summary;
      if (verdict === "invalid") {
        // The generator fell behind on a loaded machine: the cell is reported as unmeasured, with why.
        assert.ok(invalidReasons.length > 0);
        assert.ok(row.includes(`unmeasured: ${invalidReasons[0]!.slice(0, 40)}`), row);
        continue;
      }
      if (verdict === "pass") {
        const price = cell.deployment === "e2" ? E2_PER_HOUR : T4_PER_HOUR;
        assert.match(row, new RegExp(`\\| +1 +\\| +\\${dollars(price, 1)} +\\| meets the budget`));
      }
    }
    const passing = measured.filter((cell) => cell.summary.verdict === "pass");
    const cheapestLine = report
      .split("\n")
      .find((line) => line.startsWith("Cheapest: ") || line.startsWith("**No"));
    assert.ok(cheapestLine, report);
    if (passing.some((cell) => cell.deployment === "e2")) {
      const model = passing.find((cell) => cell.deployment === "e2")!.model;
      assert.match(cheapestLine, /^Cheapest: \*\*1 x e2-standard-8\*\* running /);
      assert.ok(cheapestLine.includes(model) || passing.filter((c) => c.deployment === "e2").length > 1);
      assert.ok(cheapestLine.endsWith(`${dollars(E2_PER_HOUR, 1)} per month.`), cheapestLine);
    } else if (measured.every((cell) => cell.summary.verdict === "invalid")) {
      assert.equal(cheapestLine, "**No cell of this scenario could be measured**; see the reasons below.");
    }

    const chart = await readFile(outcome.files.throughputChart, "utf8");
    assert.match(chart, /^<svg/);
    for (const cell of measured) assert.ok(chart.includes(cell.id), `${cell.id} missing from the chart`);
    assert.equal(outcome.files.catalogChart, undefined, "one catalog size draws no catalog chart");
    await access(join(dir, "sweep-throughput.svg"));

    assert.deepEqual(
      fake.namespaces().filter((name) => name.startsWith("etude-")),
      [],
      "every cell's namespace is deleted",
    );
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
});
