import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  comparable,
  type EnvironmentDescription,
  environmentFingerprint,
} from "../../src/analysis/environment.ts";
import { analyseRuns } from "../../src/analysis/repetitions.ts";
import { buildResults, parseResults, readResults, writeResults } from "../../src/analysis/results.ts";
import { plannedRun, spread, testSpec } from "../support/measurements.ts";

const environment: EnvironmentDescription = {
  etudeVersion: "0.1.0",
  node: "v24.21.0",
  os: "linux 6.8.0 x64",
  cpuModel: "AMD EPYC 7763 64-Core Processor",
  cpus: 4,
  memoryBytes: 16 * 1024 ** 3,
  target: "reference synthetic model, 10,000 items",
};

function sampleResults(overrides: { cpus?: number; now?: Date; specDigest?: string } = {}) {
  const spec = testSpec({ repetitions: 2 });
  const runs = [10, 14].map((fromMs) =>
    plannedRun({
      second: ({ targetRate }) => ({
        responseMs: spread(fromMs, fromMs * 3, Math.round(targetRate)),
        serverMs: [[fromMs / 2, Math.round(targetRate)]],
      }),
    }),
  );
  return buildResults({
    spec,
    specDigest: overrides.specDigest ?? "sha256:abc",
    runs,
    environment: { ...environment, cpus: overrides.cpus ?? environment.cpus },
    now: overrides.now ?? new Date("2025-03-01T12:00:00Z"),
  });
}

const directory = await mkdtemp(join(tmpdir(), "etude-results-"));
after(() => rm(directory, { recursive: true, force: true }));

describe("results document", () => {
  test("round-trips through a file and re-analyses to the same answer", async () => {
    const results = sampleResults();
    const path = join(directory, "nested", "results.json");
    await writeResults(path, results);
    const read = await readResults(path);

    assert.deepEqual(read, results);
    assert.deepEqual(analyseRuns(read.runs, read.spec.constraints), results.analysis);
    assert.equal(read.schemaVersion, 1);
    assert.equal(read.createdAt, "2025-03-01T12:00:00.000Z");
    assert.equal(read.etude.version, "0.1.0");
    assert.equal(read.analysis.combined.verdict, "pass");
  });

  test("the stored analysis is recomputed from the runs on reading", async () => {
    const results = sampleResults();
    const tampered = { ...results, analysis: { runs: [], combined: { verdict: "pass" } } };
    assert.deepEqual(parseResults(JSON.stringify(tampered)).analysis, results.analysis);
  });

  test("the fingerprint ignores time and changes with what makes results comparable", () => {
    const base = sampleResults();
    assert.equal(
      sampleResults({ now: new Date("2026-01-01T00:00:00Z") }).environment.fingerprint,
      base.environment.fingerprint,
    );
    assert.notEqual(sampleResults({ cpus: 8 }).environment.fingerprint, base.environment.fingerprint);
    assert.notEqual(
      environmentFingerprint({ ...environment, specDigest: "sha256:other" }),
      base.environment.fingerprint,
    );
    assert.equal(
      environmentFingerprint({
        ...environment,
        memoryBytes: environment.memoryBytes - 3 * 1024 ** 2,
        specDigest: "sha256:abc",
      }),
      base.environment.fingerprint,
      "a few MiB of memory do not make a different machine",
    );
  });

  test("comparable names every difference", () => {
    const base = sampleResults();
    assert.deepEqual(comparable(base, sampleResults({ now: new Date("2026-01-01T00:00:00Z") })), {
      ok: true,
      differences: [],
    });
    const other = comparable(base, sampleResults({ cpus: 8, specDigest: "sha256:def" }));
    assert.equal(other.ok, false);
    assert.deepEqual(other.differences, ['spec digest: "sha256:abc" vs "sha256:def"', "CPU count: 4 vs 8"]);
  });

  test("parseResults names the offending field, its value and what is expected", () => {
    const document = JSON.parse(JSON.stringify(sampleResults()));
    document.runs[1].seconds[3].offered = "many";
    assert.throws(
      () => parseResults(document),
      (error: Error) => {
        assert.match(
          error.message,
          /results\.runs\[1\]\.seconds\[3\]\.offered: .*expected number.*\(got "many"\)/,
        );
        return true;
      },
    );
  });

  test("parseResults rejects a missing field and an unknown phase", () => {
    const document = JSON.parse(JSON.stringify(sampleResults()));
    delete document.specDigest;
    document.runs[0].seconds[0].phase = "cooldown";
    assert.throws(
      () => parseResults(document),
      (error: Error) => {
        assert.match(error.message, /results\.specDigest: .*\(got nothing\)/);
        assert.match(
          error.message,
          /results\.runs\[0\]\.seconds\[0\]\.phase: .*"warmup"\|"ramp"\|"hold".*\(got "cooldown"\)/,
        );
        return true;
      },
    );
  });

  test("parseResults refuses a newer schema version with a way out", () => {
    const document = { ...sampleResults(), schemaVersion: 2 };
    assert.throws(
      () => parseResults(document),
      /results\.schemaVersion: 2 is newer than this etude reads \(1\); upgrade etude/,
    );
  });

  test("readResults names the file when its content is not JSON", async () => {
    const path = join(directory, "broken.json");
    await writeFile(path, "{ not json");
    await assert.rejects(readResults(path), (error: Error) => {
      assert.ok(error.message.startsWith(`${path}: results: not valid JSON`), error.message);
      return true;
    });
    assert.equal(await readFile(path, "utf8"), "{ not json");
  });
});
