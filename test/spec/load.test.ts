// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax of spec files is under test
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  type ClickFileFitter,
  loadSpec,
  type ParseSpecOptions,
  parseSpec,
  SpecError,
  type SpecProblem,
  specDigest,
} from "../../src/spec/index.ts";

const VALID = `workload:
  catalogSize: 100k
  sessionLengths: { exponent: 2.4 }
  itemPopularity: { exponent: 1.71 }
load:
  targetRate: 500
`;

async function problemsOf(text: string, options: Partial<ParseSpecOptions> = {}): Promise<SpecProblem[]> {
  try {
    await parseSpec(text, { file: "etude.yml", env: {}, ...options });
  } catch (error) {
    assert.ok(error instanceof SpecError, `expected a SpecError, got ${error}`);
    assert.equal(
      error.message,
      error.problems
        .map((p) => `${p.file}:${p.line}:${p.column} ${p.path}${p.path ? ": " : ""}${p.message}`)
        .join("\n"),
    );
    return error.problems;
  }
  assert.fail("the spec was accepted");
}

async function onlyProblem(text: string, options: Partial<ParseSpecOptions> = {}): Promise<SpecProblem> {
  const problems = await problemsOf(text, options);
  assert.equal(problems.length, 1, problems.map((p) => p.message).join("\n"));
  return problems[0]!;
}

describe("parseSpec: malformed specs", () => {
  it("reports a duration written in words, with line, column, path, value and valid forms", async () => {
    const problem = await onlyProblem(`${VALID}  rampUp: 2 minutes\n`);
    assert.deepEqual(problem, {
      file: "etude.yml",
      line: 7,
      column: 11,
      path: "load.rampUp",
      value: "2 minutes",
      message:
        '"2 minutes" is not a duration; use a number with a unit: 500ms, 30s, 2m, 1h (also 250us, 1.5s, 1h30m)',
    });
  });

  it("asks for a unit on a bare number in a duration field", async () => {
    const problem = await onlyProblem(`${VALID}  hold: 30\n`);
    assert.equal(problem.path, "load.hold");
    assert.equal(problem.value, 30);
    assert.match(problem.message, /^30 has no unit; .* e\.g\. "30s" or "30ms"$/);
  });

  it("suggests the closest key for an unknown one and points at the key", async () => {
    const problem = await onlyProblem(`${VALID}  rampup: 2m\n`);
    assert.equal(`${problem.line}:${problem.column}`, "7:3");
    assert.equal(problem.path, "load.rampup");
    assert.equal(problem.value, "rampup");
    assert.match(
      problem.message,
      /^unknown key "rampup"; did you mean "rampUp"\? Valid keys: targetRate, rampUp, /,
    );
  });

  it("suggests keys of the distribution form in use", async () => {
    const problem = await onlyProblem(VALID.replace("{ exponent: 2.4 }", "{ exponent: 2.4, xmn: 2 }"));
    assert.equal(problem.path, "workload.sessionLengths.xmn");
    assert.equal(problem.message, 'unknown key "xmn"; did you mean "xmin"? Valid keys: exponent, xmin, max');
  });

  it("lists the valid keys when nothing is close", async () => {
    const problem = await onlyProblem(`${VALID}colour: blue\n`);
    assert.equal(problem.path, "colour");
    assert.match(
      problem.message,
      /^unknown key "colour"; valid keys: name, workload, load, constraints, target/,
    );
  });

  it("rejects a count with a comma", async () => {
    const problem = await onlyProblem(VALID.replace("100k", "100,000"));
    assert.equal(`${problem.line}:${problem.column} ${problem.path}`, "2:16 workload.catalogSize");
    assert.equal(problem.message, '"100,000" contains a comma; write 100_000 or 100000 instead');
  });

  it("names a missing required field and what belongs there", async () => {
    const problem = await onlyProblem(VALID.replace("  targetRate: 500\n", "  rampUp: 1m\n"));
    assert.equal(problem.path, "load.targetRate");
    assert.equal(`${problem.line}:${problem.column}`, "6:3");
    assert.equal(
      problem.message,
      "required field is missing: Request rate reached at the end of the ramp, requests per second.",
    );
  });

  it("rejects an unknown enum value with the valid ones", async () => {
    const problem = await onlyProblem(`${VALID}  arrival: bursty\n`);
    assert.equal(problem.path, "load.arrival");
    assert.equal(problem.message, '"bursty" is not one of "uniform", "poisson"');
  });

  it("rejects a share above 100%", async () => {
    const problem = await onlyProblem(`${VALID}constraints:\n  maxErrorRate: 150%\n`);
    assert.equal(problem.path, "constraints.maxErrorRate");
    assert.match(problem.message, /^"150%" is outside 0\.\.1/);
  });

  it("rejects topK not below the catalog size", async () => {
    const problem = await onlyProblem(
      VALID.replace("100k", "20").concat("").replace("workload:\n", "workload:\n  topK: 21\n"),
    );
    assert.equal(problem.path, "workload.topK");
    assert.equal(`${problem.line}:${problem.column}`, "2:9");
    assert.equal(
      problem.message,
      "21 is not below catalogSize 20; recommend fewer items than the catalog holds",
    );
  });

  it("rejects a power-law exponent of at most 1", async () => {
    const problem = await onlyProblem(VALID.replace("exponent: 1.71", "exponent: 1"));
    assert.equal(problem.path, "workload.itemPopularity.exponent");
    assert.match(problem.message, /^1 is too small; a discrete power law needs an exponent above 1/);
  });

  it("rejects a truncation point below xmin", async () => {
    const problem = await onlyProblem(
      VALID.replace("{ exponent: 1.71 }", "{ exponent: 1.71, xmin: 5, max: 3 }"),
    );
    assert.equal(problem.path, "workload.itemPopularity.max");
    assert.equal(problem.message, "3 is below xmin 5; the law needs max >= xmin");
  });

  it("rejects a maximum session length below the shortest session", async () => {
    const problem = await onlyProblem(
      VALID.replace("{ exponent: 2.4 }", "{ exponent: 2.4, xmin: 3 }").replace(
        "workload:\n",
        "workload:\n  maxSessionLength: 2\n",
      ),
    );
    assert.equal(problem.path, "workload.maxSessionLength");
    assert.match(problem.message, /^2 is below the shortest session length 3 of sessionLengths/);
  });

  it("rejects a target that is neither reference nor a URL, and a misspelt target kind", async () => {
    assert.equal(
      (await onlyProblem(`${VALID}target: referense\n`)).message,
      '"referense" is neither reference nor an http:// or https:// URL',
    );
    const problems = await problemsOf(`${VALID}target: { referance: { model: noop } }\n`);
    assert.ok(
      problems.some((p) => p.path === "target.referance" && p.message.includes('did you mean "reference"?')),
    );
  });

  it("rejects two target kinds at once", async () => {
    const problem = await onlyProblem(`${VALID}target: { url: "http://127.0.0.1:9000", reference: {} }\n`);
    assert.equal(problem.path, "target");
    assert.equal(
      problem.message,
      "url and reference exclude each other; give exactly one of url, reference, command, kubernetes",
    );
  });

  it("rejects a template body that is not JSON around {{items}}", async () => {
    const problem = await onlyProblem(
      `${VALID}protocol:\n  template: { path: /predict, body: '{"ids": {{items}}', items: /recommendations }\n`,
    );
    assert.equal(problem.path, "protocol.template.body");
    assert.match(problem.message, /is not JSON once \{\{items\}\} becomes an array/);
  });

  it("rejects a latency budget the request timeout would hide", async () => {
    const problem = await onlyProblem(`${VALID}  requestTimeout: 2s\nconstraints:\n  p99.9: 3s\n`);
    assert.equal(problem.path, 'constraints["p99.9"]');
    assert.equal(`${problem.line}:${problem.column}`, "9:10");
    assert.match(problem.message, /^3s is not below load.requestTimeout 2s; slower requests time out/);
  });

  it("rejects a throughput floor above the target rate and a window longer than the run", async () => {
    const problems = await problemsOf(
      `${VALID}  rampUp: 3s\nconstraints:\n  minThroughput: 1k\n  window: 10s\n`,
    );
    assert.deepEqual(
      problems.map((p) => p.path),
      ["constraints.minThroughput", "constraints.window"],
    );
    assert.match(problems[0]!.message, /^1000 exceeds load.targetRate 500; .*could never be met$/);
    assert.match(problems[1]!.message, /^10s is longer than load.rampUp \+ load.hold \(3s\)/);
  });

  it("reports YAML syntax errors with their position", async () => {
    const problems = await problemsOf("workload:\n  catalogSize: 1k\nload: [1, 2\n");
    assert.deepEqual(
      problems.map((p) => [p.path, p.line]),
      [["", 4]],
    );
    assert.match(
      problems[0]!.message,
      /^YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a \]$/,
    );
  });

  it("rejects duplicate keys", async () => {
    const problem = await onlyProblem(`${VALID}  targetRate: 600\n`);
    assert.match(problem.message, /^YAML syntax error: Map keys must be unique/);
    assert.equal(problem.line, 7);
  });

  it("rejects an empty file", async () => {
    assert.equal(
      (await onlyProblem("# nothing\n")).message,
      "the spec is empty; it needs at least workload and load",
    );
  });
});

describe("parseSpec: several problems at once", () => {
  it("collects every problem of the file, in file order", async () => {
    const problems = await problemsOf(`name: x
workload:
  catalogSize: 1,000
  sessionLengths: { exponent: "2.4" }
  itemPopularity: { exponent: 1.7 }
  topK: 2000
load:
  targetRate: \${RATE}
  rampup: 2m
  hold: 5
target: http//model
repetitions: 0
`);
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.path}`),
      [
        "3:16 workload.catalogSize",
        "4:31 workload.sessionLengths.exponent",
        "8:15 load.targetRate",
        "9:3 load.rampup",
        "10:9 load.hold",
        "11:9 target",
        "12:14 repetitions",
      ],
    );
    assert.match(problems[1]!.message, /^"2.4" is not a number/);
    assert.equal(
      problems[2]!.message,
      "environment variable RATE is not set; set it or give a default: ${RATE:-value}",
    );
    assert.equal(problems[2]!.value, "${RATE}");
  });
});

describe("parseSpec: interpolation", () => {
  it("substitutes variables, reading unquoted numbers as numbers", async () => {
    const spec = await parseSpec(
      VALID.replace("{ exponent: 2.4 }", "\n    exponent: ${ALPHA}")
        .replace("500", "${RATE:-1k}")
        .concat("target: ${URL}\n"),
      { file: "etude.yml", env: { ALPHA: "2.2", URL: "http://10.0.0.7:8080" } },
    );
    assert.deepEqual(spec.workload.sessionLengths, { kind: "powerlaw", exponent: 2.2, xmin: 1 });
    assert.equal(spec.load.targetRate, 1000);
    assert.deepEqual(spec.target, { kind: "url", url: "http://10.0.0.7:8080" });
  });

  it("keeps $${ as a literal ${", async () => {
    const spec = await parseSpec(`${VALID}name: "cost-$${"$"}{X}"\n`, { file: "etude.yml", env: { X: "1" } });
    assert.equal(spec.name, "cost-${X}");
  });

  it("names the variable and the field of an unset variable", async () => {
    const problem = await onlyProblem(
      `${VALID}target:\n  command: { run: "serve --token \${TOKEN}", url: "http://127.0.0.1:1" }\n`,
    );
    assert.equal(problem.path, "target.command.run");
    assert.match(problem.message, /^environment variable TOKEN is not set/);
  });
});

describe("parseSpec: defaults and shorthands", () => {
  it("fills every default", async () => {
    const spec = await parseSpec(VALID, { file: "/specs/gru4rec.yml", env: {} });
    assert.deepEqual(spec, {
      name: "gru4rec",
      workload: {
        catalogSize: 100_000,
        sessionLengths: { kind: "powerlaw", exponent: 2.4, xmin: 1 },
        itemPopularity: { kind: "powerlaw", exponent: 1.71, xmin: 1 },
        topK: 21,
        maxSessionLength: 50,
        seed: 1,
      },
      load: {
        targetRate: 500,
        rampUpMs: 60_000,
        holdMs: 0,
        warmupMs: 5000,
        warmupRate: 10,
        requestTimeoutMs: 5000,
        connections: "auto",
        arrival: "uniform",
      },
      constraints: { latencyMs: {}, maxErrorRate: 0.01, windowMs: 5000 },
      target: { kind: "reference", model: "synthetic", catalogSize: 100_000, workers: 0, port: 0 },
      protocol: { kind: "etude" },
      repetitions: 3,
      regression: { minRelative: 0.05, minLatencyMs: 1, minThroughput: 0, confidence: 0.95 },
    });
  });

  it("caps the default warm-up rate at the target rate", async () => {
    const spec = await parseSpec(VALID.replace("500", "4"), { file: "etude.yml", env: {} });
    assert.equal(spec.load.warmupRate, 4);
  });

  it("expands the command target, splitting a quoted command line", async () => {
    const spec = await parseSpec(
      `${VALID}target:\n  command:\n    run: python serve.py --name "my model"\n    url: http://127.0.0.1:8080\n`,
      { file: "etude.yml", env: {} },
    );
    assert.deepEqual(spec.target, {
      kind: "command",
      command: "python",
      args: ["serve.py", "--name", "my model"],
      env: {},
      url: "http://127.0.0.1:8080",
      readinessUrl: "http://127.0.0.1:8080/ping",
      readinessTimeoutMs: 300_000,
    });
  });

  it("expands the protocol shorthands", async () => {
    const torchserve = await parseSpec(`name: narm\n${VALID}protocol: torchserve\n`, {
      file: "etude.yml",
      env: {},
    });
    assert.deepEqual(torchserve.protocol, { kind: "torchserve", model: "narm" });
    const kserve = await parseSpec(`${VALID}protocol: { kserve-v2: { model: m } }\n`, {
      file: "etude.yml",
      env: {},
    });
    assert.deepEqual(kserve.protocol, { kind: "kserve-v2", model: "m" });
    const template = await parseSpec(
      `${VALID}protocol:\n  template: { path: /p, body: '{"ids": {{items}}}', items: /recs }\n`,
      { file: "etude.yml", env: {} },
    );
    assert.deepEqual(template.protocol, {
      kind: "template",
      path: "/p",
      method: "POST",
      headers: {},
      body: '{"ids": {{items}}}',
      itemsPointer: "/recs",
    });
  });
});

describe("parseSpec: presets", () => {
  it("supplies both distributions of the bol.com log", async () => {
    const spec = await parseSpec(
      "workload: { catalogSize: 1M, preset: bolcom }\nload: { targetRate: 1k }\n",
      {
        file: "etude.yml",
        env: {},
      },
    );
    assert.equal(spec.workload.preset, "bolcom");
    assert.deepEqual(spec.workload.sessionLengths, { kind: "power-function", a: 0.07, loc: 2, scale: 277 });
    assert.deepEqual(spec.workload.itemPopularity, {
      kind: "power-function",
      a: 0.0407,
      loc: 1,
      scale: 2335,
    });
  });

  it("supplies the RecSys'15 distributions", async () => {
    const spec = await parseSpec(
      "workload: { catalogSize: 1M, preset: recsys15 }\nload: { targetRate: 1k }\n",
      {
        file: "etude.yml",
        env: {},
      },
    );
    assert.deepEqual(spec.workload.sessionLengths, { kind: "power-function", a: 0.1032, loc: 1, scale: 199 });
    assert.deepEqual(spec.workload.itemPopularity, {
      kind: "power-function",
      a: 0.0798,
      loc: 1,
      scale: 147418,
    });
  });

  it("rejects a preset together with explicit distributions, and an unknown preset", async () => {
    const both = await onlyProblem(VALID.replace("workload:\n", "workload:\n  preset: bolcom\n"));
    assert.equal(both.path, "workload.itemPopularity");
    assert.equal(both.message, "preset and itemPopularity both define the item popularity; keep one");
    const unknown = await onlyProblem(
      "workload: { catalogSize: 1M, preset: yoochoose }\nload: { targetRate: 1k }\n",
    );
    assert.equal(unknown.message, '"yoochoose" is not one of "bolcom", "recsys15"');
  });
});

describe("parseSpec: fitFrom", () => {
  const FIT_SPEC =
    "workload:\n  catalogSize: 1M\n  fitFrom: { file: data/counts.csv, column: qty }\nload: { targetRate: 1k }\n";

  it("fits the item popularity from a file relative to the spec", async () => {
    const calls: unknown[] = [];
    const fitClickFile: ClickFileFitter = async (path, options) => {
      calls.push([path, options]);
      return {
        workload: {
          itemPopularity: { kind: "powerlaw", exponent: 1.71, xmin: 1, max: 5000 },
          sessionLengths: { kind: "powerlaw", exponent: 2.5, xmin: 1 },
        },
      };
    };
    const spec = await parseSpec(FIT_SPEC, { file: "/repo/bench/etude.yml", env: {}, fitClickFile });
    assert.deepEqual(calls, [["/repo/bench/data/counts.csv", { column: "qty" }]]);
    assert.deepEqual(spec.workload.itemPopularity, { kind: "powerlaw", exponent: 1.71, xmin: 1, max: 5000 });
    assert.deepEqual(spec.workload.sessionLengths, { kind: "powerlaw", exponent: 2.5, xmin: 1 });
  });

  it("requires session lengths when the file holds only item counts", async () => {
    const fitClickFile: ClickFileFitter = async () => ({
      workload: { itemPopularity: { kind: "powerlaw", exponent: 1.71, xmin: 1 } },
    });
    const problem = await onlyProblem(FIT_SPEC, { fitClickFile });
    assert.equal(problem.path, "workload.fitFrom");
    assert.equal(`${problem.line}:${problem.column}`, "3:12");
    assert.match(
      problem.message,
      /^data\/counts.csv holds per-item click counts but no session lengths; add e\.g\. sessionLengths/,
    );
    const spec = await parseSpec(
      FIT_SPEC.replace("  fitFrom", "  sessionLengths: { exponent: 3 }\n  fitFrom"),
      {
        file: "etude.yml",
        env: {},
        fitClickFile,
      },
    );
    assert.deepEqual(spec.workload.sessionLengths, { kind: "powerlaw", exponent: 3, xmin: 1 });
  });

  it("reports a file that cannot be fitted", async () => {
    const fitClickFile: ClickFileFitter = async (path) => {
      throw new Error(`ENOENT: no such file, open '${path}'`);
    };
    const problem = await onlyProblem(FIT_SPEC, { fitClickFile, baseDir: "/data" });
    assert.equal(
      problem.message,
      "cannot fit /data/data/counts.csv: ENOENT: no such file, open '/data/data/counts.csv'",
    );
  });
});

describe("parseSpec: fitFrom with the real click counts", () => {
  it("fits the shared per-item counts, relative to the spec file", async () => {
    const dataDir = new URL("../../../shared/data/", import.meta.url).pathname;
    const spec = await parseSpec(
      "workload:\n  catalogSize: 1M\n  sessionLengths: { exponent: 2.4 }\n  fitFrom: item-click-counts.csv\nload: { targetRate: 1k }\n",
      { file: `${dataDir}etude.yml`, env: {} },
    );
    const items = spec.workload.itemPopularity;
    assert.equal(items.kind, "powerlaw-tail", "the whole-range power law fits worse than the tail");
    assert.ok(
      items.kind === "powerlaw-tail" &&
        items.tail.xmin === 71 &&
        Math.abs(items.tail.exponent - 2.994) < 0.001,
      `tail ${JSON.stringify(items.tail)}`,
    );
    assert.deepEqual(spec.workload.sessionLengths, { kind: "powerlaw", exponent: 2.4, xmin: 1 });
  });
});

describe("loadSpec", () => {
  it("parses the reference example", async () => {
    const spec = await loadSpec(new URL("../../examples/spec-reference.yml", import.meta.url).pathname, {});
    assert.equal(spec.name, "gru4rec");
    assert.equal(spec.load.targetRate, 1000);
    assert.equal(spec.load.rampUpMs, 120_000);
    assert.deepEqual(spec.constraints.latencyMs, { p50: 20, p90: 50, p99: 200, "p99.9": 500 });
    assert.equal(spec.constraints.maxErrorRate, 0.001);
  });

  it("reads a file and reports one it cannot read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "etude-spec-"));
    try {
      await writeFile(join(dir, "bench.yaml"), VALID);
      assert.equal((await loadSpec(join(dir, "bench.yaml"), {})).name, "bench");
      await assert.rejects(loadSpec(join(dir, "missing.yml"), {}), {
        name: "SpecError",
        message: `${join(dir, "missing.yml")}:1:1 cannot read the spec: no such file`,
      });
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe("specDigest", () => {
  it("is stable under key order and changes with any setting", async () => {
    const spec = await parseSpec(VALID, { file: "etude.yml", env: {} });
    const reordered = await parseSpec(
      `load:\n  targetRate: 500\n${VALID.slice(0, VALID.indexOf("\nload:") + 1)}`,
      {
        file: "etude.yml",
        env: {},
      },
    );
    assert.match(specDigest(spec), /^[0-9a-f]{64}$/);
    assert.equal(specDigest(reordered), specDigest(spec));
    assert.notEqual(specDigest({ ...spec, load: { ...spec.load, targetRate: 501 } }), specDigest(spec));
  });
});
