/**
 * The main step's flow with the benchmark runner replaced by recorded results, so that each verdict
 * is certain; GitHub is the fake REST API, reached through the real Octokit client.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runAction } from "../../src/action/action.ts";
import type { ResultsDocument } from "../../src/analysis/results.ts";
import type { BenchmarkOptions, Variant } from "../../src/benchmark/types.ts";
import { parseKubernetesTarget } from "../../src/spec/index.ts";
import type { KubernetesTarget, Spec, TargetSpec } from "../../src/spec/types.ts";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/index.ts";
import { resultsOf, steadyRun } from "../report/fixtures.ts";
import { testSpec } from "../support/measurements.ts";
import { OWNER, REPO, type Recorded, recordingIO, writePullRequestEvent } from "./fake-io.ts";

let dir: string;
let github: FakeGitHub;
let nextPull = 1;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "etude-action-flow-"));
  github = await startFakeGitHub();
});
after(async () => {
  await github.close();
  await rm(dir, { recursive: true, force: true });
});

/** Three repetitions whose response times reach `maxMs`: p90 at target grows with it. */
const measured = (maxMs: number[]) => resultsOf(maxMs.map((ms) => steadyRun(ms)));

interface Harness extends Recorded {
  benchmarks: Array<BenchmarkOptions & { variants?: Variant[] }>;
}

async function run(options: {
  inputs: Record<string, string>;
  spec?: Spec;
  head?: ResultsDocument;
  base?: ResultsDocument;
  stored?: Record<string, ResultsDocument>;
  fork?: boolean;
  pull?: number;
}): Promise<Harness & { pull: number }> {
  const pull = options.pull ?? nextPull++;
  const headRepo = options.fork ? "someone/recs" : `${OWNER}/${REPO}`;
  if (!github.state.pulls.has(`${OWNER}/${REPO}#${pull}`)) {
    github.addPullRequest(OWNER, REPO, pull, [{ filename: "models/gru4rec.py" }], {
      head: { repoFullName: headRepo },
    });
  }
  const eventPath = await writePullRequestEvent(dir, pull, headRepo);
  const benchmarks: Harness["benchmarks"] = [];
  const head = options.head ?? measured([40, 41, 42]);
  const { io, recorded } = recordingIO(
    { dir, eventPath, githubUrl: github.url, inputs: options.inputs },
    {
      loadSpec: async () => options.spec ?? testSpec({ repetitions: 3 }),
      readResults: async (path) => {
        const stored = options.stored?.[path];
        if (stored === undefined) throw new Error("no such file");
        return stored;
      },
      runBenchmark: async (benchmark) => {
        benchmarks.push(benchmark);
        const labels = benchmark.variants?.map((variant) => variant.label) ?? ["head"];
        return {
          interrupted: false,
          variants: labels.map((label) => ({
            label,
            results: label === "base" ? options.base! : head,
            verdict: (label === "base" ? options.base! : head).analysis.combined.verdict,
            files: {
              results: join(benchmark.outDir, label, "results.json"),
              report: join(benchmark.outDir, label, "report.md"),
              chart: join(benchmark.outDir, label, "chart.svg"),
            },
          })),
        };
      },
      runSweep: async () => assert.fail("a spec without a matrix runs no sweep"),
      readSweep: async () => assert.fail("a spec without a matrix reads no sweep"),
      chdir: (path) => assert.equal(path, dir),
      newRunId: () => "run-1",
    },
  );
  await runAction(io);
  return { ...recorded, benchmarks, pull };
}

function kubernetesBlock(target: TargetSpec): KubernetesTarget {
  if (target.kind !== "kubernetes") assert.fail(`expected a kubernetes target, got ${target.kind}`);
  return target.kubernetes;
}

const body = (pull: number) => github.commentsOn(OWNER, REPO, pull)[0]?.body ?? "";

describe("runAction", () => {
  test("a stored baseline that was faster is a regression and fails the check", async () => {
    const stored = { [join(dir, "baseline.json")]: measured([20, 21, 22]) };
    const result = await run({ inputs: { baseline: "results:baseline.json" }, stored });
    assert.deepEqual(
      [result.outputs.verdict, result.outputs["constraints-verdict"], result.outputs["regression-verdict"]],
      ["fail", "pass", "fail"],
    );
    assert.equal(result.failures.length, 1);
    assert.match(result.failures[0]!, /Regression against the base in p50Ms, p90Ms, p99Ms/);
    assert.match(body(result.pull), /## etude · narm-groceries · ❌ fail/);
    assert.match(body(result.pull), /\| p90 response time at target +\|.*❌ regression/);
  });

  test("a stored baseline that differs only by noise passes", async () => {
    const stored = { [join(dir, "noise.json")]: measured([41, 42, 40]) };
    const result = await run({ inputs: { baseline: "results:noise.json" }, stored });
    assert.deepEqual([result.outputs.verdict, result.outputs["regression-verdict"]], ["pass", "pass"]);
    assert.deepEqual(result.failures, []);
    assert.match(body(result.pull), /✅ no regression/);
  });

  test("a faster head is an improvement, not a failure", async () => {
    const stored = { [join(dir, "slower.json")]: measured([60, 61, 62]) };
    const result = await run({ inputs: { baseline: "results:slower.json" }, stored });
    assert.equal(result.outputs.verdict, "pass");
    assert.match(body(result.pull), /🚀 improvement/);
  });

  test("a stored baseline from another machine is refused as invalid", async () => {
    const other = resultsOf(
      [40, 41, 42].map((ms) => steadyRun(ms)),
      { environment: { cpus: 16 } },
    );
    const result = await run({
      inputs: { baseline: "results:other.json" },
      stored: { [join(dir, "other.json")]: other },
    });
    assert.deepEqual([result.outputs.verdict, result.outputs["regression-verdict"]], ["invalid", "invalid"]);
    assert.match(result.failures[0]!, /CPU count: 16 vs 2/);
  });

  test("a missing stored baseline names the input and the path", async () => {
    const result = await run({ inputs: { baseline: "results:gone.json" } });
    assert.match(result.failures[0]!, /input baseline is "results:gone\.json", which cannot be used/);
  });

  test("an image baseline deploys base and head as interleaved variants of a kubernetes target", async () => {
    const spec = testSpec({
      repetitions: 3,
      target: {
        kind: "kubernetes",
        kubernetes: parseKubernetesTarget({ model: { image: "ghcr.io/acme/model:pr" } }),
      },
    });
    const result = await run({
      spec,
      inputs: { baseline: "image:ghcr.io/acme/model:main", kubeconfig: "apiVersion: v1" },
      base: measured([40, 41, 42]),
    });
    const [benchmark] = result.benchmarks;
    assert.deepEqual(
      benchmark!.variants!.map((variant) => [variant.label, kubernetesBlock(variant.target).model.image]),
      [
        ["base", "ghcr.io/acme/model:main"],
        ["head", "ghcr.io/acme/model:pr"],
      ],
    );
    assert.equal(kubernetesBlock(benchmark!.spec.target).kubeconfig, "apiVersion: v1");
    assert.deepEqual(result.states, [{ runId: "run-1", specPath: join(dir, "etude.yml") }]);
    assert.equal(result.outputs.verdict, "pass");
    assert.match(body(result.pull), /Base: image ghcr\.io\/acme\/model:main, measured in this run/);
  });

  test("an image baseline for a target that is not kubernetes is refused before measuring", async () => {
    const result = await run({ inputs: { baseline: "image:model:main" } });
    assert.match(result.failures[0]!, /input baseline is "image:model:main", but the spec's target is url/);
    assert.deepEqual(result.benchmarks, []);
  });

  test("a fork pull request without a kubeconfig is explained, never measured, never passed", async () => {
    const spec = testSpec({
      target: { kind: "kubernetes", kubernetes: parseKubernetesTarget({ model: { image: "m" } }) },
    });
    const result = await run({ spec, inputs: {}, fork: true });
    assert.deepEqual(result.benchmarks, []);
    assert.match(result.failures[0]!, /comes from a fork \(someone\/recs\)/);
    assert.match(result.summary.join(""), /GitHub gives fork pull requests no secrets/);
  });

  test("on-failure writes no comment for a pass, but updates an earlier one", async () => {
    const quiet = await run({ inputs: { comment: "on-failure" } });
    assert.equal(quiet.outputs.verdict, "pass");
    assert.deepEqual(github.commentsOn(OWNER, REPO, quiet.pull), []);
    assert.match(quiet.summary.join(""), /✅ pass/);

    const failing = testSpec({
      repetitions: 3,
      constraints: { latencyMs: { p90: 10 }, maxErrorRate: 0.01, windowMs: 5_000 },
    });
    const broken = await run({
      inputs: { comment: "on-failure" },
      pull: quiet.pull,
      spec: failing,
      head: resultsOf(
        [40, 41, 42].map((ms) => steadyRun(ms)),
        { spec: { constraints: failing.constraints } },
      ),
    });
    assert.equal(broken.outputs.verdict, "fail");
    assert.match(body(quiet.pull), /❌ a budget was broken/);

    await run({ inputs: { comment: "on-failure" }, pull: quiet.pull });
    assert.equal(github.commentsOn(OWNER, REPO, quiet.pull).length, 1);
    assert.match(body(quiet.pull), /## etude · narm-groceries · ✅ pass/);
  });

  test("fail-on nothing reports an invalid run as a warning without failing", async () => {
    const short = { holdMs: 0, rampUpMs: 3_000 };
    const invalid = resultsOf(
      [40, 41, 42].map((ms) => steadyRun(ms, short)),
      { load: short },
    );
    const result = await run({ inputs: { "fail-on": "nothing", comment: "never" }, head: invalid });
    assert.equal(result.outputs.verdict, "invalid");
    assert.deepEqual(result.failures, []);
    assert.match(result.warnings[0]!, /etude: invalid \(not enforced: fail-on is nothing\)/);
    assert.deepEqual(github.commentsOn(OWNER, REPO, result.pull), []);
  });
});
