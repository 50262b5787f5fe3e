import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { Inputs, Outputs } from "../../src/action/constants.ts";

const root = new URL("../../", import.meta.url);
const readYaml = async (path: string) => parse(await readFile(new URL(path, root), "utf8"));

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  name: string;
  on: Record<string, Record<string, unknown> | null>;
  permissions: Record<string, string>;
  jobs: Record<string, { if?: string; steps: Step[] }>;
}

const stepsOf = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap((job) => job.steps);

describe("action.yml", () => {
  test("declares exactly the inputs and outputs the action reads and writes, each documented", async () => {
    const action = await readYaml("action.yml");
    assert.deepEqual(Object.keys(action.inputs).sort(), Object.values(Inputs).sort());
    assert.deepEqual(Object.keys(action.outputs).sort(), Object.values(Outputs).sort());
    for (const [name, input] of Object.entries<{ description?: string }>({
      ...action.inputs,
      ...action.outputs,
    })) {
      assert.ok((input.description ?? "").length > 20, `${name} is documented`);
    }
  });

  test("runs on node24 with a post step that always cleans up", async () => {
    const action = await readYaml("action.yml");
    assert.deepEqual(action.runs, {
      using: "node24",
      main: "dist/action.mjs",
      post: "dist/action-post.mjs",
      "post-if": "always()",
    });
  });
});

describe("example workflows", () => {
  for (const file of [
    "pull-request.yml",
    "main-baseline.yml",
    "manual.yml",
    "pull-request-fork-measure.yml",
  ]) {
    test(`${file} parses, grants contents: read and passes only known inputs`, async () => {
      const workflow = await readYaml(`workflows/${file}`);
      assert.ok(workflow.on, `${file} has triggers`);
      assert.equal(workflow.permissions?.contents, "read");
      const steps: Step[] = Object.values<{ steps: Step[] }>(workflow.jobs).flatMap((job) => job.steps);
      const etude = steps.filter((step) => step.uses?.startsWith("etude-dev/etude@"));
      assert.equal(etude.length, 1, `${file} runs the action once`);
      for (const name of Object.keys(etude[0]!.with ?? {})) {
        assert.ok((Object.values(Inputs) as string[]).includes(name), `${file}: unknown input ${name}`);
      }
    });
  }

  test("the pull-request gate may write its comment", async () => {
    const workflow = await readYaml("workflows/pull-request.yml");
    assert.equal(workflow.permissions["pull-requests"], "write");
    assert.ok("pull_request" in workflow.on);
    assert.ok(!("pull_request_target" in workflow.on), "never hand cluster credentials to fork code");
  });

  test("the fork measurement runs with no secret and no write permission, and uploads its report", async () => {
    const text = await readFile(new URL("workflows/pull-request-fork-measure.yml", root), "utf8");
    const workflow: Workflow = parse(text);
    assert.deepEqual(Object.keys(workflow.on), ["pull_request"]);
    assert.deepEqual(workflow.permissions, { contents: "read" });
    assert.doesNotMatch(text, /secrets\./, "a fork pull request gets no secrets");
    assert.match(workflow.jobs.measure!.if ?? "", /head\.repo\.full_name != github\.repository/);
    const steps = stepsOf(workflow);
    const etude = steps.find((step) => step.uses?.startsWith("etude-dev/etude@"));
    assert.equal(etude?.with?.comment, "never", "the read-only token cannot comment");
    assert.equal(etude?.with?.kubeconfig, undefined);
    for (const step of steps.filter((step) => step.run !== undefined)) {
      assert.doesNotMatch(step.run!, /\$\{\{/, "run scripts read values from env, never expand expressions");
    }
    const upload = steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
    assert.equal(upload?.with?.name, "etude-fork-report");
  });

  test("the fork comment runs trusted on workflow_run, checks out nothing and posts the uploaded report", async () => {
    const measure: Workflow = await readYaml("workflows/pull-request-fork-measure.yml");
    const workflow: Workflow = await readYaml("workflows/pull-request-fork-comment.yml");
    assert.deepEqual(Object.keys(workflow.on), ["workflow_run"]);
    assert.deepEqual(workflow.on.workflow_run, { workflows: [measure.name], types: ["completed"] });
    assert.deepEqual(workflow.permissions, { contents: "read", actions: "read", "pull-requests": "write" });
    const steps = stepsOf(workflow);
    assert.deepEqual(
      steps.map((step) => step.uses?.replace(/@.*/, "")),
      ["actions/download-artifact", "actions/github-script"],
      "no checkout, no fork code, not even the action",
    );
    assert.ok(
      steps.every((step) => step.run === undefined),
      "no shell runs on the artifact",
    );
    const [download, post] = steps as [Step, Step];
    assert.equal(download.with?.name, "etude-fork-report");
    assert.match(String(download.with?.["run-id"]), /^\$\{\{ github\.event\.workflow_run\.id \}\}$/);
    const script = String(post.with?.script);
    assert.match(script, /pull\.head\.sha !== run\.head_sha/, "the number in the artifact is checked");
    assert.match(script, /etude:report:/, "the action's marker, so the comment is edited, not repeated");
  });
});
