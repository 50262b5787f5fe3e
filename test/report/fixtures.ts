import type { EnvironmentDescription } from "../../src/analysis/environment.ts";
import { buildResults, type ResultsDocument } from "../../src/analysis/results.ts";
import type { RunMeasurement } from "../../src/loadgen/types.ts";
import type { LoadSpec, Spec } from "../../src/spec/types.ts";
import { plannedRun, spread, testLoad, testSpec } from "../support/measurements.ts";

export const environment: EnvironmentDescription = {
  etudeVersion: "0.1.0",
  node: "v24.21.0",
  os: "linux 6.8.0 x64",
  cpuModel: "Intel Xeon",
  cpus: 2,
  memoryBytes: 8 * 1024 ** 3,
  target: "http://127.0.0.1:8080",
};

export function resultsOf(
  runs: RunMeasurement[],
  overrides: {
    spec?: Partial<Spec>;
    load?: Partial<LoadSpec>;
    environment?: Partial<EnvironmentDescription>;
  } = {},
): ResultsDocument {
  return buildResults({
    spec: testSpec({ ...overrides.spec, load: testLoad(overrides.load) }),
    specDigest: "sha256:abc",
    runs,
    environment: { ...environment, ...overrides.environment },
    now: new Date("2025-03-01T12:00:00Z"),
  });
}

/** A run whose every second answers in 10..`maxMs` ms. */
export function steadyRun(maxMs: number, load: Partial<LoadSpec> = {}): RunMeasurement {
  return plannedRun({
    load,
    second: ({ targetRate }) => ({ responseMs: spread(10, maxMs, Math.max(1, Math.round(targetRate))) }),
  });
}
