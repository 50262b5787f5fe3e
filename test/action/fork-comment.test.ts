/**
 * The script of workflows/pull-request-fork-comment.yml, run as actions/github-script runs it (an
 * async function of require, github, context and core, in the workspace) against the fake GitHub.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { getOctokit } from "@actions/github";
import { parse } from "yaml";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/index.ts";

const OWNER = "acme";
const REPO = "recs";
const FORK_HEAD = "c".repeat(40);

type Script = (...args: unknown[]) => Promise<void>;

let github: FakeGitHub;
let workspace: string;
let script: Script;
const startDir = process.cwd();

before(async () => {
  github = await startFakeGitHub();
  workspace = await mkdtemp(join(tmpdir(), "etude-fork-comment-"));
  const workflow = parse(
    await readFile(new URL("../../workflows/pull-request-fork-comment.yml", import.meta.url), "utf8"),
  );
  const step = workflow.jobs.comment.steps.find((s: { uses?: string }) =>
    s.uses?.startsWith("actions/github-script@"),
  );
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Script;
  script = new AsyncFunction("require", "github", "context", "core", step.with.script);
  process.chdir(workspace);
});

after(async () => {
  process.chdir(startDir);
  await github.close();
  await rm(workspace, { recursive: true, force: true });
});

beforeEach(async () => {
  await rm(join(workspace, "etude-report"), { recursive: true, force: true });
});

async function writeArtifact(number: string, report: string, specName = "fork-runner"): Promise<void> {
  const dir = join(workspace, "etude-report");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "pull-request-number"), `${number}\n`);
  await writeFile(join(dir, "report.md"), report);
  await writeFile(join(dir, "results.json"), JSON.stringify({ spec: { name: specName } }));
}

async function runScript(headSha: string): Promise<{ failed: string[]; info: string[] }> {
  const failed: string[] = [];
  const info: string[] = [];
  await script(
    createRequire(import.meta.url),
    getOctokit("ghs_write", { baseUrl: github.url }),
    {
      repo: { owner: OWNER, repo: REPO },
      payload: {
        workflow_run: { head_sha: headSha, html_url: "https://github.com/acme/recs/actions/runs/1" },
      },
    },
    { info: (line: string) => info.push(line), setFailed: (line: string) => failed.push(line) },
  );
  return { failed, info };
}

describe("the fork comment workflow's script", () => {
  test("posts the report under the action's marker, then edits the same comment", async () => {
    github.addPullRequest(OWNER, REPO, 31, [{ filename: "models/a.py" }], {
      head: { repoFullName: "someone/recs", sha: FORK_HEAD },
    });
    await writeArtifact("31", "## etude · fork-runner · ✅ pass\n\nfirst\n");
    const first = await runScript(FORK_HEAD);
    assert.deepEqual(first.failed, []);
    const [comment] = github.commentsOn(OWNER, REPO, 31);
    assert.ok(comment !== undefined, "a comment was posted");
    assert.ok(comment.body.startsWith("<!-- etude:report:fork-runner -->\n## etude · fork-runner · ✅ pass"));
    assert.match(comment.body, /Measured on a GitHub runner by \[this run\]/);

    await writeArtifact("31", "## etude · fork-runner · ❌ fail\n\nsecond\n");
    const second = await runScript(FORK_HEAD);
    assert.deepEqual(second.failed, []);
    const comments = github.commentsOn(OWNER, REPO, 31);
    assert.equal(comments.length, 1);
    assert.equal(comments[0]!.id, comment.id);
    assert.match(comments[0]!.body, /❌ fail\n\nsecond/);
  });

  test("refuses a number whose pull request is not the commit the measuring run checked out", async () => {
    github.addPullRequest(OWNER, REPO, 32, [{ filename: "models/a.py" }], {
      head: { repoFullName: "someone/recs", sha: "d".repeat(40) },
    });
    await writeArtifact("32", "## etude · fork-runner · ✅ pass\n");
    const { failed } = await runScript(FORK_HEAD);
    assert.equal(failed.length, 1);
    assert.match(failed[0]!, /pull request #32 has head d{40}, but the measuring run checked out c{40}/);
    assert.deepEqual(github.commentsOn(OWNER, REPO, 32), []);
  });

  test("refuses an artifact whose number is not a pull request number", async () => {
    await writeArtifact("31; rm -rf /", "## etude\n");
    const { failed } = await runScript(FORK_HEAD);
    assert.equal(failed.length, 1);
    assert.match(failed[0]!, /pull-request-number is "31; rm -rf \/", not a pull request number/);
  });
});
