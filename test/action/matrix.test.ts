/**
 * The main step on a spec with a matrix, with the sweep replaced by recorded results per cell so that
 * each verdict is certain; GitHub is the fake REST API, reached through the real Octokit client.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { runAction } from "../../src/action/action.ts";
import type { ResultsDocument } from "../../src/analysis/results.ts";
import type { SweepOptions } from "../../src/benchmark/sweep.ts";
import { expandMatrix } from "../../src/matrix/expand.ts";
import { summariseResults } from "../../src/matrix/summary.ts";
import type { CellRecord, SweepDocument } from "../../src/matrix/types.ts";
import { parseSpec } from "../../src/spec/index.ts";
import type { Spec } from "../../src/spec/types.ts";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/index.ts";
import { resultsOf, steadyRun } from "../report/fixtures.ts";
import { OWNER, REPO, recordingIO, type Recorded as StepRecord, writePullRequestEvent } from "./fake-io.ts";

const SPEC = `name: catalog-sweep
workload: { catalogSize: 10k, preset: bolcom }
load: { targetRate: 100, rampUp: 10s, hold: 10s, warmup: 2s }
constraints: { p90: 50ms, window: 5s }
target: http://127.0.0.1:8080
matrix:
  models:
    - name: gru4rec
      target: http://127.0.0.1:8081
    - name: sasrec
      target: http://127.0.0.1:8082
  scenarios:
    - name: small
      catalogSize: 10k
    - name: large
      catalogSize: 1M
`;

let dir: string;
let github: FakeGitHub;
let spec: Spec;
let nextPull = 1;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "etude-action-matrix-"));
  github = await startFakeGitHub();
  spec = await parseSpec(SPEC, { file: "sweep.yml", env: {} });
});
after(async () => {
  await github.close();
  await rm(dir, { recursive: true, force: true });
});

/** Three repetitions answering in 10..`maxMs` ms: p90 at target grows with it; the budget is p90 <= 50 ms. */
const measured = (maxMs: number[]) => resultsOf(maxMs.map((ms) => steadyRun(ms)));
const within = () => measured([40, 41, 42]);
const over = () => measured([90, 91, 92]);

/** A cell's recorded outcome: its results, or why it could not be deployed. */
type Recorded = ResultsDocument | Error;

/** A sweep document in `sweepDir` whose cells' results are registered in `files`. */
function sweepOf(
  cells: Record<string, Recorded>,
  sweepDir: string,
  files: Map<string, ResultsDocument>,
): SweepDocument {
  const records = Object.entries(cells).map(([id, recorded]): CellRecord => {
    const [model, deployment, scenario] = id.split("/") as [string, string, string];
    const identity = {
      id,
      model,
      deployment,
      scenario,
      specDigest: "sha256:abc",
      finishedAt: "2025-03-01T12:00:00Z",
    };
    if (recorded instanceof Error) return { ...identity, status: "failed", error: recorded.message };
    const path = join(sweepDir, "cells", id, "results.json");
    files.set(path, recorded);
    return {
      ...identity,
      status: "measured",
      resultsPath: relative(sweepDir, path),
      summary: summariseResults(recorded),
    };
  });
  return { schemaVersion: 1, name: spec.name, cells: records };
}

interface Harness extends StepRecord {
  sweeps: SweepOptions[];
  pull: number;
}

async function run(options: {
  inputs: Record<string, string>;
  spec?: Spec;
  cells: Record<string, Recorded>;
  /** Stored sweeps by path, their cells' results next to them. */
  stored?: Record<string, Record<string, Recorded>>;
  /** The stored sweeps' cell results are absent, as after downloading only sweep.json. */
  withoutStoredResults?: boolean;
  interrupted?: boolean;
}): Promise<Harness> {
  const pull = nextPull++;
  github.addPullRequest(OWNER, REPO, pull, [{ filename: "models/gru4rec.py" }]);
  const eventPath = await writePullRequestEvent(dir, pull);
  const files = new Map<string, ResultsDocument>();
  const sweeps = new Map<string, SweepDocument>();
  for (const [path, cells] of Object.entries(options.stored ?? {})) {
    sweeps.set(path, sweepOf(cells, join(path, ".."), files));
  }
  if (options.withoutStoredResults) files.clear();
  const sweepsRun: SweepOptions[] = [];
  const { io, recorded } = recordingIO(
    { dir, eventPath, githubUrl: github.url, inputs: options.inputs },
    {
      loadSpec: async () => options.spec ?? spec,
      readResults: async (path) => {
        const results = files.get(path);
        if (results === undefined) throw new Error(`ENOENT: no such file ${path}`);
        return results;
      },
      runBenchmark: async () => assert.fail("a spec with a matrix runs a sweep"),
      runSweep: async (sweep) => {
        sweepsRun.push(sweep);
        const planned = new Set(expandMatrix(sweep.spec).map((cell) => cell.id));
        assert.deepEqual(
          Object.keys(options.cells).filter((id) => !planned.has(id)),
          [],
          "cells of the spec",
        );
        const document = sweepOf(options.cells, sweep.outDir, files);
        return {
          document,
          ran: document.cells.map((cell) => cell.id),
          interrupted: options.interrupted ?? false,
          files: {
            sweep: join(sweep.outDir, "sweep.json"),
            report: join(sweep.outDir, "sweep.md"),
            throughputChart: join(sweep.outDir, "sweep-throughput.svg"),
          },
        };
      },
      readSweep: async (path) => sweeps.get(path),
      chdir: () => {},
      newRunId: () => `run-${pull}`,
    },
  );
  await runAction(io);
  return { ...recorded, sweeps: sweepsRun, pull };
}

const body = (pull: number) => github.commentsOn(OWNER, REPO, pull)[0]?.body ?? "";

const ALL_WITHIN = {
  "gru4rec/local/small": within(),
  "sasrec/local/small": within(),
  "gru4rec/local/large": within(),
  "sasrec/local/large": within(),
};

describe("runAction on a spec with a matrix", () => {
  test("shows Table I per scenario and fails when a scenario has no measured setup within budget", async () => {
    const result = await run({
      inputs: {},
      cells: {
        "gru4rec/local/small": within(),
        "sasrec/local/small": over(),
        "gru4rec/local/large": over(),
        "sasrec/local/large": new Error("the image could not be pulled"),
      },
    });
    assert.deepEqual(
      [result.outputs.verdict, result.outputs["constraints-verdict"], result.outputs["regression-verdict"]],
      ["fail", "fail", "none"],
    );
    assert.equal(
      result.outputs["results-path"],
      join(dir, "temp", "etude", `run-${result.pull}`, "sweep.json"),
    );
    assert.equal(result.outputs["p90-ms"], "");
    assert.equal(result.failures.length, 1);
    assert.equal(
      result.failures[0],
      "etude: fail. No measured setup met the budget in scenario large (see the report's Scenarios section).",
    );

    const comment = body(result.pull);
    assert.match(comment, /^<!-- etude:report:catalog-sweep -->\n## etude · catalog-sweep · ❌ fail/);
    assert.match(
      comment,
      /- ✅ Scenario small: gru4rec\/local\/small met every budget at 100 req\/s as deployed\./,
    );
    assert.match(
      comment,
      /- ❌ Scenario large: no measured setup met the budget at 100 req\/s \(gru4rec\/local\/large fell short\)\. Not measured: sasrec\/local\/large \(the image could not be pulled\)\./,
    );
    assert.match(comment, /### catalog-sweep: cheapest setup that meets the budget/);
    assert.match(comment, /#### small: 10,000 items at 100 req\/s, p90 <= 50 ms/);
    assert.match(comment, /Cheapest: \*\*1 x local\*\* running gru4rec/);
    assert.match(comment, /\| Instance type \| Machines \| Cost per month \| Models that meet the budget \|/);
    assert.match(comment, /```mermaid/);
    assert.match(comment, /SVG charts in the results directory: `sweep-throughput\.svg`/);
    assert.doesNotMatch(comment, /!\[/, "SVG files are not linked as images in a comment");
    assert.equal(result.summary.join(""), comment.replace(/^<!--.*-->\n/, ""));
  });

  test("a sweep whose every cell fails to deploy is invalid", async () => {
    const broken = new Error("no node matches the selector");
    const result = await run({
      inputs: {},
      cells: Object.fromEntries(Object.keys(ALL_WITHIN).map((id) => [id, broken])),
    });
    assert.deepEqual([result.outputs.verdict, result.outputs["constraints-verdict"]], ["invalid", "invalid"]);
    assert.match(
      result.failures[0]!,
      /The measurement is invalid: no cell of scenario small, large could be measured/,
    );
    assert.match(
      body(result.pull),
      /- ⚠️ Scenario small: no cell could be measured\. Not measured: gru4rec\/local\/small \(no node matches the selector\), sasrec/,
    );
    assert.match(body(result.pull), /No cell of this scenario could be measured/);
  });

  test("a cell slower than in the stored sweep regresses and fails the check; the others are collapsed", async () => {
    const stored = join(dir, "main", "sweep.json");
    const result = await run({
      inputs: { baseline: "results:main/sweep.json" },
      cells: ALL_WITHIN,
      stored: {
        [stored]: {
          "gru4rec/local/small": measured([20, 21, 22]),
          "sasrec/local/small": measured([41, 42, 40]),
          "gru4rec/local/large": measured([40, 42, 41]),
        },
      },
    });
    assert.deepEqual(
      [result.outputs.verdict, result.outputs["constraints-verdict"], result.outputs["regression-verdict"]],
      ["fail", "pass", "fail"],
    );
    assert.match(
      result.failures[0]!,
      /Regression against the base in gru4rec\/local\/small p50Ms, gru4rec\/local\/small p90Ms/,
    );
    assert.doesNotMatch(result.failures[0]!, /sasrec/);
    const comment = body(result.pull);
    assert.match(comment, /### Comparison with the base, per cell/);
    assert.match(
      comment,
      /Base: stored sweep catalog-sweep, finished 2025-03-01T12:00:00Z, 3 measured cell\(s\)\./,
    );
    assert.match(comment, /Not compared: sasrec\/local\/large was not measured in the base sweep\./);
    assert.match(
      comment,
      /<details open>\n<summary>gru4rec\/local\/small: ❌ regression<\/summary>\n\n\| Metric +\| +Base +\| +Head/,
    );
    assert.match(comment, /<details>\n<summary>sasrec\/local\/small: ✅ no regression<\/summary>/);
    assert.match(comment, /<details>\n<summary>gru4rec\/local\/large: ✅ no regression<\/summary>/);
    assert.match(comment, /\| p90 response time at target +\|[^\n]*❌ regression/);
  });

  test("a stored sweep that differs only by noise passes per cell", async () => {
    const stored = join(dir, "noise", "sweep.json");
    const result = await run({
      inputs: { baseline: `results:${stored}` },
      cells: ALL_WITHIN,
      stored: { [stored]: { ...ALL_WITHIN, "sasrec/local/large": measured([42, 40, 41]) } },
    });
    assert.deepEqual([result.outputs.verdict, result.outputs["regression-verdict"]], ["pass", "pass"]);
    assert.deepEqual(result.failures, []);
    assert.doesNotMatch(body(result.pull), /Not compared/);
    assert.equal(body(result.pull).match(/<summary>[^<]*: ✅ no regression<\/summary>/g)?.length, 4);
  });

  test("a stored sweep whose cell results were not downloaded cannot be compared, naming the cell", async () => {
    const stored = join(dir, "partial", "sweep.json");
    const result = await run({
      inputs: { baseline: `results:${stored}`, "fail-on": "regression" },
      cells: ALL_WITHIN,
      stored: { [stored]: { "gru4rec/local/small": within() } },
      withoutStoredResults: true,
    });
    assert.deepEqual([result.outputs.verdict, result.outputs["regression-verdict"]], ["invalid", "invalid"]);
    assert.match(
      result.failures[0]!,
      /gru4rec\/local\/small: The base cell's results cannot be read: ENOENT: no such file .*partial\/cells\/gru4rec\/local\/small\/results\.json/,
    );
    assert.match(
      body(result.pull),
      /<details open>\n<summary>gru4rec\/local\/small: ⚠️ the comparison cannot be trusted/,
    );
  });

  test("a missing stored sweep names the input and the path", async () => {
    const result = await run({ inputs: { baseline: "results:elsewhere/sweep.json" }, cells: ALL_WITHIN });
    assert.match(
      result.failures[0]!,
      /input baseline is "results:elsewhere\/sweep\.json", which cannot be used \(.*elsewhere\/sweep\.json\): no such file/,
    );
  });

  test("no cell measured on both sides makes the regression verdict invalid", async () => {
    const stored = join(dir, "other", "sweep.json");
    const result = await run({
      inputs: { baseline: `results:${stored}` },
      cells: ALL_WITHIN,
      stored: { [stored]: { "gru4rec/local/small": new Error("timed out") } },
    });
    assert.deepEqual([result.outputs.verdict, result.outputs["regression-verdict"]], ["invalid", "invalid"]);
    assert.match(result.failures[0]!, /No cell was measured in both the head and the base sweep/);
  });

  test("an image baseline is refused before anything is measured, naming the input", async () => {
    const result = await run({ inputs: { baseline: "image:ghcr.io/acme/model:main" }, cells: ALL_WITHIN });
    assert.deepEqual(result.sweeps, []);
    assert.match(
      result.failures[0]!,
      /input baseline is "image:ghcr\.io\/acme\/model:main", but the spec has a matrix/,
    );
    assert.match(result.failures[0]!, /"results:<path to the main branch's sweep\.json>"/);
  });

  test("an interrupted sweep fails the step and says so in the report", async () => {
    const { "sasrec/local/large": _unfinished, ...finished } = ALL_WITHIN;
    const result = await run({ inputs: {}, cells: finished, interrupted: true });
    assert.deepEqual(result.failures, ["The sweep was interrupted before every cell ran."]);
    assert.match(body(result.pull), /The sweep was interrupted: not every cell ran\./);
    assert.match(body(result.pull), /Not run yet: sasrec\/local\/large\./);
    assert.equal(result.sweeps[0]!.labels?.pullRequest, result.pull);
    assert.equal(result.sweeps[0]!.labels?.repository, `${OWNER}/${REPO}`);
  });

  test("the kubeconfig input reaches every Kubernetes model of the matrix", async () => {
    const kube = (image: string) =>
      `{ kubernetes: { kubeconfigPath: /etc/kube.yaml, model: { image: ghcr.io/acme/${image}:pr } } }`;
    const cluster = await parseSpec(
      SPEC.replace("target: http://127.0.0.1:8081", `target: ${kube("gru4rec")}`)
        .replace("target: http://127.0.0.1:8082", `target: ${kube("sasrec")}`)
        .replace("  scenarios:", "  deployments:\n    - name: e2\n  scenarios:"),
      { file: "sweep.yml", env: {} },
    );
    const result = await run({ inputs: { kubeconfig: "apiVersion: v1" }, spec: cluster, cells: {} });
    const models = result.sweeps[0]!.spec.matrix!.models.map((model) =>
      model.target.kind === "kubernetes"
        ? [model.name, model.target.kubernetes.kubeconfig, model.target.kubernetes.kubeconfigPath]
        : [model.name, model.target.kind],
    );
    assert.deepEqual(models, [
      ["gru4rec", "apiVersion: v1", undefined],
      ["sasrec", "apiVersion: v1", undefined],
    ]);
    assert.equal(result.outputs["constraints-verdict"], "invalid");
  });
});
