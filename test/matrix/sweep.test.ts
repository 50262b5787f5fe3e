import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCellBenchmark, runSweep } from "../../src/benchmark/sweep.ts";
import { parseSpec } from "../../src/spec/index.ts";

const SPEC = `name: tiny
workload:
  catalogSize: 1k
  preset: bolcom
load:
  targetRate: 40
  rampUp: 2s
  hold: 1s
  warmup: 0s
constraints:
  p90: 200ms
  window: 1s
repetitions: 1
matrix:
  models:
    - name: first
      target: { reference: { model: noop, workers: 1 } }
    - name: second
      target: { reference: { model: noop, workers: 1 } }
  scenarios:
    - name: small
`;

const directories: string[] = [];
after(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

async function outDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "etude-sweep-"));
  directories.push(directory);
  return directory;
}

describe("runSweep", () => {
  it("resumes an interrupted sweep by running only the cells not yet finished", async () => {
    const spec = await parseSpec(SPEC, { file: "tiny.yml", env: {} });
    const dir = await outDir();
    const controller = new AbortController();
    const started: string[] = [];
    const first = await runSweep({
      spec,
      outDir: dir,
      runId: "t",
      signal: controller.signal,
      runCell: (cell, options) => {
        started.push(cell.id);
        if (started.length === 2) controller.abort();
        return runCellBenchmark(cell, options);
      },
    });
    assert.equal(first.interrupted, true);
    assert.deepEqual(
      first.document.cells.map((cell) => [cell.id, cell.status]),
      [["first/local/small", "measured"]],
    );

    const second = await runSweep({ spec, outDir: dir, runId: "t" });
    assert.equal(second.interrupted, false);
    assert.deepEqual(second.ran, ["second/local/small"]);
    assert.deepEqual(
      second.document.cells.map((cell) => [cell.id, cell.status]),
      [
        ["first/local/small", "measured"],
        ["second/local/small", "measured"],
      ],
    );
    const saved = JSON.parse(await readFile(join(dir, "sweep.json"), "utf8"));
    assert.equal(saved.cells.length, 2);
    const firstCell = second.document.cells[0]!;
    assert.equal(
      firstCell.status === "measured" && firstCell.resultsPath,
      join("cells", "first", "local", "small", "results.json"),
    );
    const report = await readFile(second.files.report, "utf8");
    assert.match(report, /## small: 1,000 items at 40 req\/s, p90 <= 200 ms/);
    assert.match(await readFile(second.files.throughputChart, "utf8"), /^<svg/);

    const rerun = await runSweep({
      spec,
      outDir: dir,
      runId: "t",
      rerun: true,
      runCell: async (cell) => {
        throw new Error(`no capacity for ${cell.id}`);
      },
    });
    assert.deepEqual(rerun.ran, ["first/local/small", "second/local/small"]);
  });

  it("records why a cell failed to deploy and goes on with the next", async () => {
    const spec = await parseSpec(SPEC, { file: "tiny.yml", env: {} });
    const dir = await outDir();
    const outcome = await runSweep({
      spec,
      outDir: dir,
      runId: "t",
      runCell: async (cell) => {
        throw new Error(`image pull failed for ${cell.model.name}`);
      },
    });
    assert.deepEqual(
      outcome.document.cells.map((cell) => [cell.id, cell.status === "failed" ? cell.error : cell.status]),
      [
        ["first/local/small", "image pull failed for first"],
        ["second/local/small", "image pull failed for second"],
      ],
    );
    const report = await readFile(outcome.files.report, "utf8");
    assert.match(report, /No cell of this scenario could be measured/);
    assert.match(report, /unmeasured: image pull failed for second/);
  });
});
