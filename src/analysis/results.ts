import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { RunMeasurement } from "../loadgen/types.ts";
import type { Spec } from "../spec/types.ts";
import { type Environment, type EnvironmentDescription, environmentFingerprint } from "./environment.ts";
import { analyseRuns } from "./repetitions.ts";
import { parseResultsFields } from "./results-schema.ts";
import type { Analysis } from "./types.ts";

export const RESULTS_SCHEMA_VERSION = 1;

/** Everything a benchmark produced, documented in docs/results-schema.md. */
export interface ResultsDocument {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  etude: { version: string };
  /** ISO 8601. */
  createdAt: string;
  spec: Spec;
  specDigest: string;
  environment: Environment;
  /** One per repetition, with the encoded per-second histograms so results can be re-analysed and merged. */
  runs: RunMeasurement[];
  /** Derived from spec and runs; readers in etude recompute it so results of different versions compare by one definition. */
  analysis: Analysis;
}

export interface BuildResultsInput {
  spec: Spec;
  specDigest: string;
  runs: readonly RunMeasurement[];
  environment: EnvironmentDescription;
  now: Date;
}

export function buildResults(input: BuildResultsInput): ResultsDocument {
  const { spec, specDigest, environment } = input;
  const runs = [...input.runs];
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    etude: { version: environment.etudeVersion },
    createdAt: input.now.toISOString(),
    spec,
    specDigest,
    environment: { ...environment, fingerprint: environmentFingerprint({ ...environment, specDigest }) },
    runs,
    analysis: analyseRuns(runs, spec.constraints),
  };
}

/**
 * Validates a results document (JSON text or an already parsed value) and recomputes its analysis.
 * Throws an Error naming the first offending fields, or saying that a newer etude wrote the document.
 */
export function parseResults(json: string | unknown): ResultsDocument {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new Error(`results: not valid JSON (${(error as Error).message})`, { cause: error });
    }
  }
  const fields = parseResultsFields(value, RESULTS_SCHEMA_VERSION);
  return { ...fields, analysis: analyseRuns(fields.runs, fields.spec.constraints) };
}

export async function readResults(path: string): Promise<ResultsDocument> {
  const text = await readFile(path, "utf8");
  try {
    return parseResults(text);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

export async function writeResults(path: string, document: ResultsDocument): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`, "utf8");
}
