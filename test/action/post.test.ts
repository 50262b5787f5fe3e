/**
 * The post step against a fake Kubernetes cluster: a main step killed mid-run leaves its namespace
 * behind, and the post step, given the state the main step saved, deletes it.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { writeBundles } from "../../src/build/bundles.ts";
import { type FakeKube, startFakeKube } from "../fake-kube/index.ts";
import { parseCommandFile } from "./runner.ts";

let dir: string;
let dist: string;
let fake: FakeKube;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "etude-action-post-"));
  dist = join(dir, "dist");
  // The action's steps and the in-cluster programs it deploys, read from beside the action's bundle.
  await writeBundles(dist, ["action", "action-post", "loadgen", "reference-server"]);
  fake = await startFakeKube();
});

after(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function collect(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const [code] = await once(child, "close");
  return { code: code as number | null, output };
}

test("the post step deletes what a killed main step left in the cluster", { timeout: 90_000 }, async () => {
  const spec = join(dir, "etude.yml");
  await writeFile(
    spec,
    [
      "name: cluster",
      "workload: { catalogSize: 1000, sessionLengths: { exponent: 2.5 }, itemPopularity: { exponent: 1.7 } }",
      "load: { targetRate: 20, rampUp: 5s, hold: 20s, warmup: 0s, connections: 4 }",
      "constraints: { p90: 50ms, window: 1s }",
      "target:",
      "  kubernetes:",
      "    model:",
      "      reference: { model: synthetic, catalogSize: 1000 }",
      "      readiness: { initialDelay: 0s, period: 1s, timeout: 60s }",
      "      resources: { cpu: 250m, memory: 256Mi }",
      "    loadGenerator: { pods: 1, startDelay: 1s, resources: { cpu: 250m, memory: 256Mi } }",
      "repetitions: 1",
      "",
    ].join("\n"),
  );
  const stateFile = join(dir, "state");
  await writeFile(stateFile, "");
  await mkdir(join(dir, "temp"), { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_EVENT_NAME: "workflow_dispatch",
    GITHUB_EVENT_PATH: join(dir, "event.json"),
    GITHUB_REF: "refs/heads/main",
    GITHUB_SHA: "a".repeat(40),
    GITHUB_REPOSITORY: "acme/recs",
    GITHUB_WORKSPACE: dir,
    GITHUB_STATE: stateFile,
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary"),
    RUNNER_TEMP: join(dir, "temp"),
    INPUT_SPEC: "etude.yml",
    INPUT_KUBECONFIG: Buffer.from(fake.kubeconfig).toString("base64"),
    "INPUT_GITHUB-TOKEN": "unused",
  };
  await writeFile(env.GITHUB_EVENT_PATH!, JSON.stringify({ ref: "refs/heads/main" }));
  await writeFile(env.GITHUB_OUTPUT!, "");
  await writeFile(env.GITHUB_STEP_SUMMARY!, "");

  const main = spawn(process.execPath, [join(dist, "action.mjs")], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const mainDone = collect(main);
  let state: Record<string, string> = {};
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    state = parseCommandFile(await readFile(stateFile, "utf8"));
    if (state["run-id"] && fake.namespaces().includes(`etude-${state["run-id"]}`)) break;
    await sleep(100);
  }
  const namespace = `etude-${state["run-id"]}`;
  assert.ok(fake.namespaces().includes(namespace), `the run created ${namespace}`);
  main.kill("SIGKILL");
  await mainDone;
  assert.ok(fake.namespaces().includes(namespace), "a killed main step cleans nothing up itself");

  const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
  const post = spawn(process.execPath, [join(dist, "action-post.mjs")], {
    env: { ...env, ...stateEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const result = await collect(post);
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, new RegExp(`cleaned up run ${state["run-id"]}`));
  assert.doesNotMatch(result.output, /::error::/);
  const gone = Date.now() + 20_000;
  while (fake.namespaces().includes(namespace) && Date.now() < gone) await sleep(100);
  assert.ok(!fake.namespaces().includes(namespace), `${namespace} was deleted`);
});
