/**
 * The bundled action end to end on a pull request whose spec targets Kubernetes: the main step
 * deploys the reference model on the fake cluster, loads it from two load generator pods, comments
 * on the fake GitHub, writes outputs and the job summary; the post step then finds nothing left.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { writeBundles } from "../../src/build/bundles.ts";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/index.ts";
import { type FakeKube, startFakeKube } from "../fake-kube/index.ts";
import { parseCommandFile, runMainAndPost, type StepRun } from "./runner.ts";

const OWNER = "acme";
const REPO = "recs";
const BASE_IMAGE = "registry.example/acme/recs-model:main";
const HEADLINE = { pass: "✅ pass", fail: "❌ fail", invalid: "⚠️ invalid" } as const;
type Verdict = keyof typeof HEADLINE;

interface ActionRun {
  main: StepRun;
  post: StepRun;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

let dir: string;
let github: FakeGitHub;
let fake: FakeKube;
let bundles: Record<string, string>;
let runs = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "etude-action-kube-"));
  // The action reads the programs it deploys from beside its own bundle, as in dist/.
  bundles = await writeBundles(join(dir, "dist"), ["action", "action-post", "loadgen", "reference-server"]);
  github = await startFakeGitHub();
  fake = await startFakeKube({
    images: {
      // The base branch's model image: the reference server, answering on the pod's IP and PORT.
      [BASE_IMAGE]: {
        type: "command",
        entrypoint: [
          "env",
          "ETUDE_MODEL=noop",
          "ETUDE_CATALOG_SIZE=1000",
          "node",
          bundles["reference-server"]!,
        ],
      },
    },
  });
});

after(async () => {
  await fake.close();
  await github.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeSpec(name: string): Promise<string> {
  await writeFile(
    join(dir, `${name}.yml`),
    [
      `name: ${name}`,
      "workload: { catalogSize: 1000, sessionLengths: { exponent: 2.5 }, itemPopularity: { exponent: 1.7 } }",
      "load: { targetRate: 25, rampUp: 2s, hold: 3s, warmup: 0s, connections: 4 }",
      "constraints: { p90: 500ms, window: 1s }",
      "target:",
      "  kubernetes:",
      "    model:",
      "      reference: { model: noop, catalogSize: 1000 }",
      "      readiness: { initialDelay: 0s, period: 1s, timeout: 90s }",
      "      resources: { cpu: 250m, memory: 256Mi }",
      "    loadGenerator: { pods: 2, startDelay: 2s, resources: { cpu: 250m, memory: 256Mi } }",
      "repetitions: 1",
      "",
    ].join("\n"),
  );
  return `${name}.yml`;
}

async function pullRequestEvent(number: number): Promise<string> {
  const path = join(dir, `event-${number}.json`);
  const branch = (ref: string, sha: string) => ({ ref, sha, repo: { full_name: `${OWNER}/${REPO}` } });
  await writeFile(
    path,
    JSON.stringify({
      pull_request: {
        number,
        head: branch(`model-${number}`, "b".repeat(40)),
        base: branch("main", "a".repeat(40)),
      },
      repository: { full_name: `${OWNER}/${REPO}` },
    }),
  );
  return path;
}

/** The main step, then the post step with the state the main step saved, as the runner runs them. */
async function runAction(pullRequest: number, inputs: Record<string, string>): Promise<ActionRun> {
  const id = ++runs;
  const files = {
    output: join(dir, `output-${id}`),
    state: join(dir, `state-${id}`),
    summary: join(dir, `summary-${id}`),
  };
  await Promise.all(Object.values(files).map((file) => writeFile(file, "")));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: await pullRequestEvent(pullRequest),
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: github.url,
    GITHUB_WORKSPACE: dir,
    GITHUB_RUN_ID: String(7000 + id),
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: join(dir, "runner-temp"),
    "INPUT_GITHUB-TOKEN": "ghs_write",
    INPUT_KUBECONFIG: fake.kubeconfig,
    INPUT_PATHS: "models/**\n!**/*.md",
    INPUT_COMMENT: "always",
    "INPUT_FAIL-ON": "both",
    "INPUT_WORKING-DIRECTORY": ".",
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
  };
  const { main, post, state } = await runMainAndPost(
    { main: bundles.action!, post: bundles["action-post"]! },
    env,
    join(dir, `post-state-${id}`),
    100_000,
  );
  return {
    main,
    post,
    outputs: parseCommandFile(await readFile(files.output, "utf8")),
    state,
    summary: await readFile(files.summary, "utf8"),
  };
}

/** Verdict, exit code, comment, outputs and summary tell the same story, whichever verdict it is. */
async function assertConsistentRun(run: ActionRun, specName: string, pullRequest: number): Promise<string> {
  const { outputs, main } = run;
  const verdict = outputs.verdict as Verdict;
  assert.ok(verdict in HEADLINE, `verdict output ${JSON.stringify(verdict)}\n${main.log}`);
  assert.equal(main.code, verdict === "pass" ? 0 : 1, main.log);
  if (verdict !== "pass") assert.match(main.log, new RegExp(`::error::etude: ${verdict}\\.`));
  assert.doesNotMatch(main.log, /::error::(?!etude: (fail|invalid)\.)/, "no error but the verdict");

  const comments = github.commentsOn(OWNER, REPO, pullRequest);
  assert.equal(comments.length, 1, "one report comment per spec");
  const body = comments[0]!.body;
  assert.ok(body.startsWith(`<!-- etude:report:${specName} -->\n`), "the hidden marker comes first");
  assert.match(body, new RegExp(`^## etude · ${specName} · ${HEADLINE[verdict]}$`, "m"));
  assert.match(body, /^\| Constraint +\| +Budget \| Measured \| Verdict +\|$/m);
  assert.match(body, /p90/);
  assert.match(body, /```mermaid\n/);
  assert.match(body, new RegExp(`npx etude run ${specName}\\.yml`));
  assert.match(
    outputs["comment-url"]!,
    new RegExp(`/${OWNER}/${REPO}/pull/${pullRequest}#issuecomment-${comments[0]!.id}$`),
  );

  const constraintsLine = {
    pass: "✅ every budget met",
    fail: "❌ a budget was broken",
    invalid: "⚠️ invalid",
  };
  assert.match(outputs["constraints-verdict"]!, /^(pass|fail|invalid)$/);
  assert.ok(body.includes(constraintsLine[outputs["constraints-verdict"] as Verdict]));

  const figures = ["p50-ms", "p90-ms", "p99-ms"].map((name) => outputs[name]!);
  if (figures.every((figure) => figure !== "")) {
    const [p50, p90, p99] = figures.map(Number) as [number, number, number];
    assert.ok(p50 > 0 && p50 <= p90 && p90 <= p99, `percentiles ${figures.join(", ")}`);
  } else {
    // No percentiles at target only when the run never reached it, which makes it invalid.
    assert.equal(outputs["constraints-verdict"], "invalid", `percentiles ${figures.join(", ")}`);
  }
  assert.ok(Number(outputs["max-throughput"]) >= 0, `max-throughput ${outputs["max-throughput"]}`);

  const results = JSON.parse(await readFile(outputs["results-path"]!, "utf8"));
  assert.equal(results.spec.name, specName);
  assert.match(results.environment.target, /^kubernetes: etude reference server \(noop model, 1000 items\)/);
  assert.equal(results.environment.kubernetes.loadGenerator.pods.length, 2, "two load generator pods");
  assert.equal(results.analysis.combined.verdict, outputs["constraints-verdict"]);
  const report = await readFile(outputs["report-path"]!, "utf8");
  assert.equal(`<!-- etude:report:${specName} -->\n${report}`, body, "the comment is the report file");
  assert.ok(run.summary.includes(report), "the job summary carries the report");
  return body;
}

/** After the post step, the cluster holds no namespace of any etude run. */
async function assertClusterClean(run: ActionRun): Promise<void> {
  const runId = run.state["run-id"];
  assert.match(runId ?? "", /^gh-\d+-1-[0-9a-f]{6}$/, "the main step saved its run id for the post step");
  assert.equal(run.post.code, 0, run.post.log);
  assert.match(run.post.log, new RegExp(`cleaned up run ${runId}`));
  assert.doesNotMatch(run.post.log, /::error::/);
  const deadline = Date.now() + 20_000;
  const leftovers = () => fake.namespaces().filter((name) => name.startsWith("etude-"));
  while (leftovers().length > 0 && Date.now() < deadline) await sleep(100);
  assert.deepEqual(leftovers(), []);
}

describe("the bundled action on a Kubernetes cluster", { timeout: 120_000 }, () => {
  test("deploys the reference model, comments the verdict, sets the outputs and leaves nothing behind", async () => {
    github.addPullRequest(OWNER, REPO, 21, [{ filename: "models/gru4rec/model.py" }]);
    const run = await runAction(21, { spec: await writeSpec("cluster-gate") });
    const body = await assertConsistentRun(run, "cluster-gate", 21);
    assert.equal(run.outputs["regression-verdict"], "none");
    assert.match(body, /\*\*Regression against the base:\*\* — no baseline configured/);
    assert.match(run.main.log, /starting target head: kubernetes/);
    await assertClusterClean(run);
  });

  test("baseline image: measures the base image in the same run, interleaved with the head", async () => {
    github.addPullRequest(OWNER, REPO, 22, [{ filename: "models/gru4rec/model.py" }]);
    const run = await runAction(22, {
      spec: await writeSpec("cluster-compare"),
      baseline: `image:${BASE_IMAGE}`,
      "fail-on": "constraints",
    });
    const body = await assertConsistentRun(run, "cluster-compare", 22);
    const order = [...run.main.log.matchAll(/repetition 1\/1 against (base|head)/g)].map((match) => match[1]);
    assert.deepEqual(order, ["base", "head"], "the base runs first, then the head");
    assert.match(run.outputs["regression-verdict"]!, /^(pass|fail|invalid)$/);
    assert.match(body, /### Comparison with the base/);
    assert.match(body, new RegExp(`Base: image ${BASE_IMAGE.replace(/[.]/g, "\\.")}, measured in this run`));
    assert.match(body, /<summary>Base measurement<\/summary>/);
    const base = JSON.parse(
      await readFile(join(run.outputs["results-path"]!, "..", "..", "base", "results.json"), "utf8"),
    );
    assert.equal(base.environment.target.startsWith(`kubernetes: image ${BASE_IMAGE}`), true);
    await assertClusterClean(run);
  });
});
