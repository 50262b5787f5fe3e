/**
 * Runs the bundled action as the runner does: a child process with INPUT_* variables, the event
 * payload, and the runner's files for outputs, state and the job summary, against a fake GitHub
 * and model servers on loopback.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { writeBundles } from "../../src/build/bundles.ts";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/index.ts";
import { startDelayServer, type TestServer } from "../support/servers.ts";
import { parseCommandFile, runMainAndPost } from "./runner.ts";

const OWNER = "acme";
const REPO = "recs";
const TOKEN = "ghs_write";

interface StepResult {
  code: number | null;
  log: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

let dir: string;
let bundles: Record<string, string>;
let github: FakeGitHub;
let fast: TestServer;
let slow: TestServer;
let runs = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "etude-action-"));
  bundles = await writeBundles(join(dir, "dist"), ["action", "action-post", "cli"]);
  github = await startFakeGitHub();
  fast = await startDelayServer({ delayMs: 2 });
  slow = await startDelayServer({ delayMs: 40 });
});

after(async () => {
  await github.close();
  await fast.close();
  await slow.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeSpec(
  name: string,
  options: { url: string; p90: string; load?: string; repetitions?: number },
): Promise<string> {
  const path = join(dir, `${name}.yml`);
  const load = options.load ?? "{ targetRate: 20, rampUp: 1s, hold: 3s, warmup: 1s, connections: 8 }";
  await writeFile(
    path,
    [
      `name: ${name}`,
      "workload: { catalogSize: 1000, sessionLengths: { exponent: 2.4 }, itemPopularity: { exponent: 1.7 } }",
      `load: ${load}`,
      `constraints: { p90: ${options.p90}, window: 2s }`,
      `target: ${options.url}`,
      `repetitions: ${options.repetitions ?? 1}`,
      "",
    ].join("\n"),
  );
  return path;
}

async function pullRequestEvent(number: number, headRepo = `${OWNER}/${REPO}`, sha = "b".repeat(40)) {
  const path = join(dir, `event-${number}-${runs}.json`);
  const branch = (ref: string, commit: string, repo: string) => ({
    ref,
    sha: commit,
    repo: { full_name: repo },
  });
  await writeFile(
    path,
    JSON.stringify({
      pull_request: {
        number,
        head: branch(`feature-${number}`, sha, headRepo),
        base: branch("main", "a".repeat(40), `${OWNER}/${REPO}`),
      },
      repository: { full_name: `${OWNER}/${REPO}` },
    }),
  );
  return path;
}

/** Runs the main step, then the post step with the state the main step saved. */
async function runAction(inputs: Record<string, string>, eventPath: string, token = TOKEN) {
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
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: github.url,
    GITHUB_WORKSPACE: dir,
    GITHUB_RUN_ID: String(9000 + id),
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: join(dir, "runner-temp"),
    "INPUT_GITHUB-TOKEN": token,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
  };
  const { main, post, state } = await runMainAndPost(
    { main: bundles.action!, post: bundles["action-post"]! },
    env,
    join(dir, `post-state-${id}`),
    60_000,
  );
  const result: StepResult = {
    ...main,
    outputs: parseCommandFile(await readFile(files.output, "utf8")),
    state,
    summary: await readFile(files.summary, "utf8"),
  };
  return { main: result, post };
}

const HEADLINE = { pass: "✅ pass", fail: "❌ fail", invalid: "⚠️ invalid", skipped: "⏭️ skipped" } as const;

function assertConsistent(result: StepResult, body: string): void {
  const verdict = result.outputs.verdict as keyof typeof HEADLINE;
  assert.ok(verdict in HEADLINE, `verdict output is ${verdict}`);
  assert.equal(result.code, verdict === "pass" || verdict === "skipped" ? 0 : 1, result.log);
  assert.match(body, new RegExp(`## etude · .* · ${HEADLINE[verdict]}`));
  assert.ok(result.summary.includes(body.split("\n")[1]!), "the job summary carries the same report");
}

describe("the bundled action on pull requests", { timeout: 120_000 }, () => {
  test("skips with a comment when no model code changed, and the post step has nothing to clean", async () => {
    github.addPullRequest(OWNER, REPO, 1, [{ filename: "docs/readme.md" }]);
    const spec = await writeSpec("skip", { url: fast.url, p90: "100ms" });
    const { main, post } = await runAction({ spec, paths: "models/**" }, await pullRequestEvent(1));
    assert.equal(main.code, 0, main.log);
    assert.equal(main.outputs.verdict, "skipped");
    const [comment] = github.commentsOn(OWNER, REPO, 1);
    assert.match(comment!.body, /^<!-- etude:report:skip -->\n## etude · skip · ⏭️ skipped/);
    assert.match(comment!.body, /No changed file matches the model code paths \(`models\/\*\*`\)/);
    assertConsistent(main, comment!.body);
    assert.deepEqual(main.state, {}, "no benchmark started, so nothing for the post step");
    assert.equal(post.code, 0);
    assert.match(post.log, /nothing to clean up/);
  });

  test("measures, comments, then updates the same comment with a comparison on the next push", async () => {
    github.addPullRequest(OWNER, REPO, 2, [{ filename: "models/gru4rec.py" }]);
    const spec = await writeSpec("fast", { url: fast.url, p90: "100ms" });
    const first = await runAction({ spec, paths: "models/**" }, await pullRequestEvent(2));
    const [created] = github.commentsOn(OWNER, REPO, 2);
    assert.ok(created, first.main.log);
    assertConsistent(first.main, created.body);
    assert.match(first.main.outputs["p90-ms"]!, /^\d+(\.\d+)?$/);
    assert.match(first.main.outputs["max-throughput"]!, /^\d+(\.\d+)?$/);
    assert.match(first.main.outputs["comment-url"]!, new RegExp(`/pull/2#issuecomment-${created.id}$`));
    assert.match(created.body, /```mermaid/);
    assert.match(created.body, /npx etude run fast\.yml|npx etude run .*fast\.yml/);
    const results = JSON.parse(await readFile(first.main.outputs["results-path"]!, "utf8"));
    assert.equal(results.spec.name, "fast");
    assert.equal(
      await readFile(first.main.outputs["report-path"]!, "utf8"),
      created.body.replace(/^<!--.*-->\n/, ""),
    );
    assert.equal(first.post.code, 0);
    assert.match(first.post.log, /url target, which stops with the run: nothing to clean up/);

    const second = await runAction(
      {
        spec,
        paths: "models/**",
        baseline: `results:${first.main.outputs["results-path"]}`,
        "fail-on": "constraints",
      },
      await pullRequestEvent(2, `${OWNER}/${REPO}`, "c".repeat(40)),
    );
    const comments = github.commentsOn(OWNER, REPO, 2);
    assert.equal(comments.length, 1, "the second push edits the first comment");
    assert.equal(comments[0]!.id, created.id);
    assertConsistent(second.main, comments[0]!.body);
    assert.match(comments[0]!.body, /### Comparison with the base/);
    assert.match(comments[0]!.body, /\| Metric +\| +Base +\| +Head +\| +Delta +\| +Interval +\| Verdict/);
    assert.match(second.main.outputs["regression-verdict"]!, /^(pass|fail|invalid)$/);
  });

  test("a real regression against the stored baseline fails; a noise-only difference passes", async () => {
    // One server whose delay changes between pushes, so both runs measure the same target.
    let delayMs = 2;
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () => setTimeout(() => response.end('{"items":[[1,2,3]]}'), delayMs));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      github.addPullRequest(OWNER, REPO, 6, [{ filename: "models/sasrec.py" }]);
      const spec = await writeSpec("gated", { url, p90: "500ms", repetitions: 3 });
      const base = await runAction({ spec, "fail-on": "constraints" }, await pullRequestEvent(6));
      const baseline = `results:${base.main.outputs["results-path"]}`;

      const same = await runAction(
        { spec, baseline },
        await pullRequestEvent(6, `${OWNER}/${REPO}`, "d".repeat(40)),
      );
      const [noise] = github.commentsOn(OWNER, REPO, 6);
      assertConsistent(same.main, noise!.body);
      assert.equal(same.main.outputs["regression-verdict"], "pass", noise!.body);

      delayMs = 30;
      const slower = await runAction(
        { spec, baseline },
        await pullRequestEvent(6, `${OWNER}/${REPO}`, "e".repeat(40)),
      );
      const [regressed] = github.commentsOn(OWNER, REPO, 6);
      assertConsistent(slower.main, regressed!.body);
      assert.equal(slower.main.outputs["regression-verdict"], "fail", regressed!.body);
      assert.equal(slower.main.outputs.verdict, "fail");
      assert.equal(slower.main.code, 1);
      assert.match(regressed!.body, /\| p90 response time at target +\|[^\n]*regression/i);
    } finally {
      server.close();
    }
  });

  test("a broken budget fails the check", async () => {
    github.addPullRequest(OWNER, REPO, 3, [{ filename: "models/narm.py" }]);
    const spec = await writeSpec("slow", { url: slow.url, p90: "5ms" });
    const { main } = await runAction({ spec }, await pullRequestEvent(3));
    const [comment] = github.commentsOn(OWNER, REPO, 3);
    assertConsistent(main, comment!.body);
    assert.equal(main.code, 1);
    // A loaded machine may make the run invalid instead; a broken budget is never a pass.
    assert.match(main.outputs["constraints-verdict"]!, /^(fail|invalid)$/);
    if (main.outputs["constraints-verdict"] === "fail") assert.match(comment!.body, /❌ a budget was broken/);
  });

  test("a run that never reaches the target is invalid and fails, saying why", async () => {
    github.addPullRequest(OWNER, REPO, 4, [{ filename: "models/stamp.py" }]);
    const spec = await writeSpec("short", {
      url: fast.url,
      p90: "100ms",
      load: "{ targetRate: 20, rampUp: 2s, hold: 0s, warmup: 1s, connections: 8 }",
    });
    const { main } = await runAction({ spec }, await pullRequestEvent(4));
    const [comment] = github.commentsOn(OWNER, REPO, 4);
    assert.equal(main.outputs.verdict, "invalid");
    assertConsistent(main, comment!.body);
    assert.match(comment!.body, /The measurement is invalid: .*target rate/);
    assert.match(main.log, /::error::etude: invalid/);
  });

  test("a fork pull request with a read-only token gets an explanation, not a bare 403", async () => {
    github.addPullRequest(OWNER, REPO, 5, [{ filename: "docs/readme.md" }], {
      head: { repoFullName: "someone/recs" },
    });
    github.setTokenPermissions("ghs_read", "read");
    const spec = await writeSpec("fork", { url: fast.url, p90: "100ms" });
    const { main } = await runAction(
      { spec, paths: "models/**" },
      await pullRequestEvent(5, "someone/recs"),
      "ghs_read",
    );
    assert.equal(main.code, 0, main.log);
    assert.equal(main.outputs.verdict, "skipped");
    assert.deepEqual(github.commentsOn(OWNER, REPO, 5), []);
    assert.match(main.log, /::warning::Could not write the etude report comment on acme\/recs#5/);
    assert.match(main.summary, /two workflows/);
    assert.match(main.summary, /workflow_run/);
    assert.doesNotMatch(main.log, /::error::/);
  });
});
