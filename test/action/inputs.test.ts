import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError, readSettings } from "../../src/action/inputs.ts";

function reader(values: Record<string, string>) {
  return (name: string) => values[name] ?? "";
}

describe("readSettings", () => {
  test("applies the defaults when every input is empty", () => {
    const settings = readSettings(reader({ "github-token": "t" }));
    assert.deepEqual(settings, {
      specPath: "etude.yml",
      githubToken: "t",
      baseline: { kind: "none" },
      paths: [],
      comment: "always",
      failOn: "both",
      workingDirectory: ".",
    });
  });

  test("reads every input into typed settings", () => {
    const settings = readSettings(
      reader({
        spec: "bench/gru4rec.yml",
        kubeconfig: "YXBpVmVyc2lvbjogdjE=",
        baseline: "results:baseline/results.json",
        paths: "models/**\n\n# docs do not change latency\n!models/**/*.md\n",
        comment: "on-failure",
        "fail-on": "regression",
        repetitions: "5",
        "working-directory": "service",
      }),
    );
    assert.equal(settings.specPath, "bench/gru4rec.yml");
    assert.equal(settings.kubeconfig, "YXBpVmVyc2lvbjogdjE=");
    assert.deepEqual(settings.baseline, { kind: "results", path: "baseline/results.json" });
    assert.deepEqual(settings.paths, ["models/**", "!models/**/*.md"]);
    assert.equal(settings.comment, "on-failure");
    assert.equal(settings.failOn, "regression");
    assert.equal(settings.repetitions, 5);
    assert.equal(settings.workingDirectory, "service");
  });

  test("reads an image baseline", () => {
    const settings = readSettings(reader({ baseline: "image:ghcr.io/acme/model:main" }));
    assert.deepEqual(settings.baseline, { kind: "image", image: "ghcr.io/acme/model:main" });
  });

  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    [
      "comment",
      { comment: "sometimes" },
      /input comment is "sometimes"; valid values: "always", "on-failure", "never"/,
    ],
    [
      "fail-on",
      { "fail-on": "latency" },
      /input fail-on is "latency"; valid values: "constraints", "regression"/,
    ],
    [
      "baseline kind",
      { baseline: "branch:main" },
      /input baseline is "branch:main"; valid values: "none", "image:/,
    ],
    ["empty image", { baseline: "image:" }, /input baseline is "image:"/],
    [
      "repetitions zero",
      { repetitions: "0" },
      /input repetitions is "0"; valid: a whole number of at least 1/,
    ],
    ["repetitions text", { repetitions: "three" }, /input repetitions is "three"/],
    ["only exclusions", { paths: "!docs/**" }, /input paths is "!docs\/\*\*": it has only "!" patterns/],
    [
      "regression without baseline",
      { "fail-on": "regression" },
      /input fail-on is "regression" but input baseline is "none"/,
    ],
  ];
  for (const [name, values, message] of invalid) {
    test(`rejects ${name}, naming the input, the value and what is valid`, () => {
      assert.throws(
        () => readSettings(reader(values)),
        (error: unknown) => {
          assert.ok(error instanceof InputError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
