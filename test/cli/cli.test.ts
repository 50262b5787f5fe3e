import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

const CLI = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const SHARED_COUNTS = new URL("../../../shared/data/item-click-counts.csv", import.meta.url).pathname;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function etude(args: string[], options: { interruptAfterLine?: RegExp } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (options.interruptAfterLine && !interrupted && options.interruptAfterLine.test(stderr)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * On a machine busy with other work the generator may fall behind its schedule; etude then says
 * `invalid` (exit 4) with its reason instead of a verdict, which is the behaviour under test too.
 */
function assertVerdict(result: CliResult, verdict: "pass" | "fail", code: number): void {
  if (result.code === 4) {
    assert.match(result.stdout, /verdict: invalid/);
    assert.match(result.stderr, /invalid: .*(could not keep up|event-loop delay)/);
    return;
  }
  assert.equal(result.code, code, result.stderr);
  assert.match(result.stdout, new RegExp(`verdict: ${verdict}`));
}

function shortSpec(overrides: { rampUp: string; hold: string; p90: string }): string {
  return `name: short
workload:
  catalogSize: 2k
  preset: bolcom
load:
  targetRate: 40
  rampUp: ${overrides.rampUp}
  hold: ${overrides.hold}
  warmup: 1s
constraints:
  p90: ${overrides.p90}
  window: 2s
target:
  reference:
    model: noop
repetitions: 1
`;
}

describe("etude CLI", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "etude-cli-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("run benchmarks the reference server and writes results, report and chart", async () => {
    const spec = join(dir, "pass.yml");
    await writeFile(spec, shortSpec({ rampUp: "3s", hold: "2s", p90: "500ms" }));
    const out = join(dir, "pass");
    const result = await etude(["run", spec, "--out", out, "--request-log"]);
    assertVerdict(result, "pass", 0);
    const requests = (await readFile(join(out, "requests-head-1.jsonl"), "utf8")).trim().split("\n");
    const first = JSON.parse(requests[0]!);
    assert.equal(typeof first.intendedMs, "number");
    assert.ok(requests.length >= 100, `${requests.length} request lines`);
    const results = JSON.parse(await readFile(join(out, "results.json"), "utf8"));
    assert.equal(results.schemaVersion, 1);
    assert.equal(results.runs.length, 1);
    assert.ok(results.runs[0].seconds.length >= 5, "one record per second of the plan");
    const report = await readFile(join(out, "report.md"), "utf8");
    assert.match(report, /quickstart|short/);
    assert.match(report, /```mermaid/);
    assert.match(await readFile(join(out, "chart.svg"), "utf8"), /^<svg/);

    const again = join(dir, "re-rendered");
    const rendered = await etude(["report", join(out, "results.json"), "--out", again]);
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.equal(
      await readFile(join(again, "report.md"), "utf8"),
      report,
      "re-analysis gives the same report",
    );
    assert.equal(
      await readFile(join(again, "chart.svg"), "utf8"),
      await readFile(join(out, "chart.svg"), "utf8"),
    );
  });

  test("a budget the server cannot meet exits 1", async () => {
    const spec = join(dir, "fail.yml");
    await writeFile(spec, shortSpec({ rampUp: "3s", hold: "2s", p90: "1us" }));
    const result = await etude(["run", spec, "--out", join(dir, "fail")]);
    assertVerdict(result, "fail", 1);
  });

  test("Ctrl-C stops the load and still writes the partial results and report", async () => {
    const spec = join(dir, "long.yml");
    await writeFile(spec, shortSpec({ rampUp: "60s", hold: "0s", p90: "500ms" }));
    const out = join(dir, "interrupted");
    const result = await etude(["run", spec, "--out", out], { interruptAfterLine: /ramp/ });
    assert.equal(result.code, 130, result.stderr);
    const results = JSON.parse(await readFile(join(out, "results.json"), "utf8"));
    assert.ok(results.runs[0].aborted, "the run is marked as stopped early");
    assert.ok(results.runs[0].seconds.length >= 1, "the seconds measured so far are kept");
    assert.ok(existsSync(join(out, "report.md")));
  });

  test("a target that crashes mid-run exits 3 and keeps what was measured", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = join(dir, "crashing-server.mjs");
    await writeFile(
      server,
      `import { createServer } from "node:http";
createServer((request, response) => {
  request.resume();
  request.on("end", () => response.end(request.method === "GET" ? "{}" : '{"items":[[1,2,3]]}'));
}).listen(${port}, "127.0.0.1");
setTimeout(() => { console.error("model server: out of memory"); process.exit(137); }, 4000);
`,
    );
    const spec = join(dir, "crashing.yml");
    await writeFile(
      spec,
      shortSpec({ rampUp: "6s", hold: "2s", p90: "500ms" }).replace(
        /target:[\s\S]*?noop\n/,
        `target:\n  command:\n    run: [${JSON.stringify(process.execPath)}, ${JSON.stringify(server)}]\n    url: http://127.0.0.1:${port}\n`,
      ),
    );
    const out = join(dir, "crashing");
    const result = await etude(["run", spec, "--out", out]);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /exited with code 137[\s\S]*out of memory/);
    const results = JSON.parse(await readFile(join(out, "results.json"), "utf8"));
    const seconds = results.runs[0].seconds as { ok: number; errors: Record<string, number> }[];
    assert.ok(
      seconds.some((second) => second.ok > 0),
      "answers before the crash are kept",
    );
    assert.ok(
      seconds.some((second) => (second.errors.connect ?? 0) > 0),
      "the crash shows as connect errors",
    );
    assert.ok(existsSync(join(out, "report.md")));
  });

  test("a bad spec exits 2 naming the line, the field and what is valid", async () => {
    const spec = join(dir, "bad.yml");
    await writeFile(
      spec,
      "workload:\n  catalogSize: 1k\nload:\n  targetRate: 10\n  rampUp: 2 minutes\ntarget: reference\n",
    );
    const result = await etude(["run", spec]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.yml:5:\d+ load\.rampUp/);
    assert.match(result.stderr, /500ms/);
  });

  test("an unreachable target exits 3", async () => {
    const spec = join(dir, "unreachable.yml");
    await writeFile(
      spec,
      shortSpec({ rampUp: "2s", hold: "0s", p90: "1s" }).replace(
        /target:[\s\S]*?noop\n/,
        "target: http://127.0.0.1:9/\n",
      ),
    );
    const result = await etude(["run", spec, "--out", join(dir, "unreachable")]);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /unreachable/);
  });

  test("usage errors exit 2 with the command's help; --help exits 0", async () => {
    const unknown = await etude(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const help = await etude(["run", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: etude run/);
    const badModel = await etude(["serve", "--model", "bert"]);
    assert.equal(badModel.code, 2);
    assert.match(badModel.stderr, /--model must be noop or synthetic, got "bert"/);
  });

  test("fit --json reports the exponent of the real click counts", {
    skip: !existsSync(SHARED_COUNTS),
  }, async () => {
    const result = await etude(["fit", SHARED_COUNTS, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.ok(
      report.itemPopularity.wholeRange.exponent > 1.5 && report.itemPopularity.wholeRange.exponent < 2.2,
    );
    assert.equal(report.source.items > 300_000, true);
    assert.equal(report.workload.itemPopularity.kind, "powerlaw-tail");
  });
});

describe("etude CLI on a Kubernetes cluster", () => {
  test("run deploys on the cluster, writes results shaped like a local run's, and leaves nothing behind", {
    timeout: 240_000,
  }, async () => {
    const { startFakeKube } = await import("../fake-kube/index.ts");
    const fake = await startFakeKube();
    const dir = await mkdtemp(join(tmpdir(), "etude-cli-kube-"));
    try {
      const spec = join(dir, "cluster.yml");
      await writeFile(
        spec,
        `name: cluster
workload:
  catalogSize: 1k
  preset: bolcom
load:
  targetRate: 30
  rampUp: 2s
  hold: 2s
  warmup: 0s
  connections: 4
constraints:
  p90: 500ms
  window: 1s
target:
  kubernetes:
    kubeconfigPath: ${fake.kubeconfigPath}
    model:
      reference: { model: noop, catalogSize: 1000 }
      readiness: { initialDelay: 0ms, period: 1s, timeout: 90s }
      resources: { cpu: 250m, memory: 256Mi }
    loadGenerator:
      pods: 2
      startDelay: 2s
      resources: { cpu: 250m, memory: 256Mi }
repetitions: 1
`,
      );
      const out = join(dir, "out");
      const result = await etude(["run", spec, "--out", out, "--run-id", "cli-e2e"]);
      assert.ok([0, 4].includes(result.code ?? -1), result.stderr);
      const results = JSON.parse(await readFile(join(out, "results.json"), "utf8"));
      assert.equal(results.runs.length, 1);
      assert.ok(results.runs[0].seconds.length >= 4);
      assert.ok(
        results.runs[0].seconds.every((s: { responseTime?: string }) => typeof s.responseTime === "string"),
      );
      assert.match(results.environment.target, /^kubernetes: etude reference server \(noop model/);
      assert.equal(results.environment.kubernetes.loadGenerator.pods.length, 2);
      assert.ok(!fake.namespaces().includes("etude-cli-e2e"), "the run's namespace is deleted");

      const cleanup = await etude(["cleanup", spec, "--run-id", "cli-e2e"]);
      assert.equal(cleanup.code, 0, cleanup.stderr);
      assert.match(cleanup.stderr, /deleted 0 namespace/);
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
