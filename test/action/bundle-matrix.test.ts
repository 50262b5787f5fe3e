/**
 * The bundled action on a spec with a matrix, run as the runner does: two reference models on this
 * machine, a pull-request comment with Table I on the fake GitHub, then a second push compared per
 * cell with the first run's stored sweep.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { writeBundles } from "../../src/build/bundles.ts";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/index.ts";
import { parseCommandFile, runMainAndPost } from "./runner.ts";

const OWNER = "acme";
const REPO = "recs";
const PULL = 1;
const CELLS = ["noop/local/small", "synthetic/local/small"];

const SPEC = `name: tiny-sweep
workload: { catalogSize: 1k, preset: bolcom }
load: { targetRate: 20, rampUp: 2s, hold: 1s, warmup: 0s, connections: 8 }
constraints: { p90: 200ms, window: 1s }
repetitions: 1
matrix:
  models:
    - name: noop
      target: { reference: { model: noop, workers: 1 } }
    - name: synthetic
      target: { reference: { model: synthetic, workers: 1 } }
  scenarios:
    - name: small
`;

let dir: string;
let bundles: Record<string, string>;
let github: FakeGitHub;
let runs = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "etude-action-matrix-bundle-"));
  bundles = await writeBundles(join(dir, "dist"), ["action", "action-post", "cli", "inference-worker"]);
  github = await startFakeGitHub();
  github.addPullRequest(OWNER, REPO, PULL, [{ filename: "models/synthetic.py" }]);
  await writeFile(join(dir, "sweep.yml"), SPEC);
});

after(async () => {
  await github.close();
  await rm(dir, { recursive: true, force: true });
});

async function runAction(inputs: Record<string, string>, sha: string) {
  const id = ++runs;
  const files = {
    event: join(dir, `event-${id}.json`),
    output: join(dir, `output-${id}`),
    state: join(dir, `state-${id}`),
    summary: join(dir, `summary-${id}`),
  };
  const branch = (ref: string, commit: string) => ({
    ref,
    sha: commit,
    repo: { full_name: `${OWNER}/${REPO}` },
  });
  await writeFile(
    files.event,
    JSON.stringify({
      pull_request: { number: PULL, head: branch("feature", sha), base: branch("main", "a".repeat(40)) },
      repository: { full_name: `${OWNER}/${REPO}` },
    }),
  );
  await Promise.all([files.output, files.state, files.summary].map((file) => writeFile(file, "")));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: github.url,
    GITHUB_WORKSPACE: dir,
    GITHUB_RUN_ID: String(7000 + id),
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: join(dir, "runner-temp"),
    "INPUT_GITHUB-TOKEN": "ghs_write",
    INPUT_SPEC: "sweep.yml",
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
  };
  const { main, post } = await runMainAndPost(
    { main: bundles.action!, post: bundles["action-post"]! },
    env,
    join(dir, `post-state-${id}`),
    60_000,
  );
  const [comment] = github.commentsOn(OWNER, REPO, PULL);
  assert.ok(comment, main.log);
  return {
    code: main.code,
    log: main.log,
    post,
    outputs: parseCommandFile(await readFile(files.output, "utf8")),
    summary: await readFile(files.summary, "utf8"),
    body: comment.body,
  };
}

const HEADLINE = { pass: "✅ pass", fail: "❌ fail", invalid: "⚠️ invalid" } as const;

/** Exit code, headline, outputs and job summary all tell the same verdict. */
function assertConsistent(result: Awaited<ReturnType<typeof runAction>>): void {
  const verdict = result.outputs.verdict as keyof typeof HEADLINE;
  assert.ok(verdict in HEADLINE, `verdict output is ${verdict}\n${result.log}`);
  assert.equal(result.code, verdict === "pass" ? 0 : 1, result.log);
  assert.match(
    result.body,
    new RegExp(`^<!-- etude:report:tiny-sweep -->\\n## etude · tiny-sweep · ${HEADLINE[verdict]}`),
  );
  assert.match(result.outputs["constraints-verdict"]!, /^(pass|fail|invalid)$/);
  assert.equal(result.summary.trim(), result.body.replace(/^<!--.*-->\n/, "").trim());
  if (verdict !== "pass") assert.match(result.log, new RegExp(`::error::etude: ${verdict}`));
}

describe("the bundled action on a spec with a matrix", { timeout: 150_000 }, () => {
  test("comments Table I, then compares each cell with the stored sweep on the next push", async () => {
    const first = await runAction({}, "b".repeat(40));
    assertConsistent(first);
    assert.equal(first.outputs["regression-verdict"], "none");
    assert.equal(first.outputs["p90-ms"], "");
    assert.match(first.body, /#### small: 1,000 items at 20 req\/s, p90 <= 200 ms/);
    assert.match(
      first.body,
      /\n(Cheapest: \*\*1 x local\*\* running (noop|synthetic)|\*\*No measured setup meets the budget in this scenario\.\*\*|\*\*No cell of this scenario could be measured\*\*)/,
    );
    assert.match(
      first.body,
      /\| Instance type \| Machines \| Cost per month \| Models that meet the budget \|/,
    );
    for (const id of CELLS)
      assert.match(first.body, new RegExp(`### Scenarios\\n\\n- .* Scenario small: .*${id.split("/")[0]}`));
    const sweep = JSON.parse(await readFile(first.outputs["results-path"]!, "utf8"));
    assert.deepEqual(
      sweep.cells.map((cell: { id: string }) => cell.id),
      CELLS,
    );
    assert.equal(
      await readFile(first.outputs["report-path"]!, "utf8"),
      first.body.replace(/^<!--.*-->\n/, ""),
    );
    assert.equal(first.post.code, 0, first.post.log);
    assert.match(
      first.post.log,
      /used local targets in every matrix cell, which stops with the run: nothing to clean up/,
    );

    const second = await runAction({ baseline: `results:${first.outputs["results-path"]}` }, "c".repeat(40));
    assertConsistent(second);
    assert.equal(github.commentsOn(OWNER, REPO, PULL).length, 1, "the second push edits the first comment");
    assert.match(second.outputs["regression-verdict"]!, /^(pass|fail|invalid)$/);
    assert.match(second.body, /### Comparison with the base, per cell/);
    const measuredIn = async (path: string) =>
      (JSON.parse(await readFile(path, "utf8")).cells as { id: string; status: string }[])
        .filter((cell) => cell.status === "measured")
        .map((cell) => cell.id);
    const before = await measuredIn(first.outputs["results-path"]!);
    const now = await measuredIn(second.outputs["results-path"]!);
    const both = now.filter((id) => before.includes(id));
    for (const id of both) assert.match(second.body, new RegExp(`<summary>${id}: `));
    if (both.length === 0) assert.equal(second.outputs["regression-verdict"], "invalid");
  });
});
