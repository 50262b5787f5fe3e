import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ClickFileFitter, parseSpec } from "../../src/spec/load.ts";
import { SpecError, type SpecProblem } from "../../src/spec/problems.ts";

function spec(itemPopularity: string, extra = ""): string {
  return `workload:\n  catalogSize: 1M\n  sessionLengths: { exponent: 2.4 }\n  itemPopularity: ${itemPopularity}\n${extra}load: { targetRate: 1k }\n`;
}

async function problems(text: string): Promise<SpecProblem[]> {
  try {
    await parseSpec(text, { file: "etude.yml", env: {} });
  } catch (error) {
    assert.ok(error instanceof SpecError, `expected a SpecError, got ${error}`);
    return error.problems;
  }
  assert.fail("the spec was accepted");
}

async function onlyProblem(text: string): Promise<SpecProblem> {
  const found = await problems(text);
  assert.equal(found.length, 1, found.map((problem) => problem.message).join("\n"));
  return found[0]!;
}

describe("spec: power-law tail over an empirical body", () => {
  it("accepts a body and a tail, in flow or block style", async () => {
    const parsed = await parseSpec(
      spec("{ body: [0.5, 0.15, 0.1], tail: { exponent: 2.994, xmin: 4, max: 2336 } }"),
      {
        file: "etude.yml",
        env: {},
      },
    );
    assert.deepEqual(parsed.workload.itemPopularity, {
      kind: "powerlaw-tail",
      body: [0.5, 0.15, 0.1],
      tail: { exponent: 2.994, xmin: 4, max: 2336 },
    });
    const block = await parseSpec(
      spec("\n    body: [0.6,\n           0.2]\n    tail:\n      exponent: 2.5\n      xmin: 3"),
      { file: "etude.yml", env: {} },
    );
    assert.deepEqual(block.workload.itemPopularity, {
      kind: "powerlaw-tail",
      body: [0.6, 0.2],
      tail: { exponent: 2.5, xmin: 3 },
    });
  });

  it("serves session lengths too, checking maxSessionLength against the body's first value", async () => {
    const text =
      "workload:\n  catalogSize: 1M\n  sessionLengths: { body: [0, 0.4], tail: { exponent: 2.5, xmin: 3 } }\n" +
      "  itemPopularity: { exponent: 1.7 }\n  maxSessionLength: 1\nload: { targetRate: 1k }\n";
    const problem = await onlyProblem(text);
    assert.equal(problem.path, "workload.maxSessionLength");
    assert.match(
      problem.message,
      /^1 is below the shortest session length 2 of sessionLengths; use at least 2$/,
    );
  });

  it("names a body whose length does not match tail.xmin", async () => {
    const problem = await onlyProblem(spec("{ body: [0.5, 0.2], tail: { exponent: 2.5, xmin: 5 } }"));
    assert.equal(problem.path, "workload.itemPopularity.body");
    assert.equal(`${problem.line}:${problem.column}`, "4:27");
    assert.deepEqual(problem.value, [0.5, 0.2]);
    assert.equal(
      problem.message,
      "holds 2 probabilities but tail.xmin 5 needs 4, P(x) for x = 1 .. xmin - 1; give that many or set tail.xmin to 3",
    );
  });

  it("names a body that leaves no mass to the tail", async () => {
    const problem = await onlyProblem(spec("{ body: [0.7, 0.3], tail: { exponent: 2.5, xmin: 3 } }"));
    assert.equal(problem.path, "workload.itemPopularity.body");
    assert.match(problem.message, /^sums to 1; the body's probabilities must sum to less than 1/);
  });

  it("names a negative probability, a bad tail and unknown keys, each at its place", async () => {
    const negative = await onlyProblem(spec("{ body: [0.5, -0.1], tail: { exponent: 2.5, xmin: 3 } }"));
    assert.equal(negative.path, "workload.itemPopularity.body[1]");
    assert.equal(negative.message, "-0.1 is too small; a body entry is a probability from 0 to 1");
    const exponent = await onlyProblem(spec("{ body: [0.5], tail: { exponent: 1, xmin: 2 } }"));
    assert.equal(exponent.path, "workload.itemPopularity.tail.exponent");
    assert.match(exponent.message, /^1 is too small; a discrete power law needs an exponent above 1/);
    const max = await onlyProblem(spec("{ body: [0.5, 0.1], tail: { exponent: 2, xmin: 3, max: 2 } }"));
    assert.equal(max.path, "workload.itemPopularity.tail.max");
    assert.equal(max.message, "2 is below xmin 3; the law needs max >= xmin");
    const typo = await problems(spec("{ body: [0.5], tial: { exponent: 2, xmin: 2 } }"));
    assert.deepEqual(
      typo.map((problem) => problem.path),
      ["workload.itemPopularity.tail", "workload.itemPopularity.tial"],
    );
    assert.match(typo[1]!.message, /did you mean "tail"\? Valid keys: body, tail/);
    const missing = await onlyProblem(spec("{ body: [0.5], tail: { exponent: 2 } }"));
    assert.equal(missing.path, "workload.itemPopularity.tail.xmin");
    assert.match(missing.message, /^required field is missing/);
  });

  it("lists the new form when a distribution matches none", async () => {
    const problem = await onlyProblem(spec("12"));
    assert.match(problem.message, /\{ body: \[0\.5, 0\.2\], tail: \{ exponent: 2\.5, xmin: 3 \} \}/);
  });

  it("takes a fitted power-law tail from fitFrom and checks it like a declared one", async () => {
    const fitted = { kind: "powerlaw-tail" as const, body: [0.6, 0.3], tail: { exponent: 2.8, xmin: 3 } };
    const fitClickFile: ClickFileFitter = async () => ({ workload: { itemPopularity: fitted } });
    const text =
      "workload:\n  catalogSize: 1M\n  sessionLengths: { exponent: 2.4 }\n  fitFrom: counts.csv\nload: { targetRate: 1k }\n";
    const parsed = await parseSpec(text, { file: "etude.yml", env: {}, fitClickFile });
    assert.deepEqual(parsed.workload.itemPopularity, fitted);
    const broken: ClickFileFitter = async () => ({
      workload: { itemPopularity: { ...fitted, body: [0.6] } },
    });
    await assert.rejects(parseSpec(text, { file: "etude.yml", env: {}, fitClickFile: broken }), (error) => {
      assert.ok(error instanceof SpecError);
      assert.equal(error.problems[0]!.path, "workload.itemPopularity.body");
      return true;
    });
  });
});
