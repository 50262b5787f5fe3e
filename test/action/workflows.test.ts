import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { Inputs, Outputs } from "../../src/action/constants.ts";

const root = new URL("../../", import.meta.url);
const readYaml = async (path: string) => parse(await readFile(new URL(path, root), "utf8"));

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

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
  for (const file of ["pull-request.yml", "main-baseline.yml", "manual.yml"]) {
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
});
