import { z } from "zod";
import { ERROR_CLASSES } from "../loadgen/types.ts";
import type { ResultsDocument } from "./results.ts";

const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative();
const encodedHistogram = z.string().min(1);

const loadSchema = z.object({
  targetRate: z.number().positive(),
  rampUpMs: nonNegative,
  holdMs: nonNegative,
  warmupMs: nonNegative,
  warmupRate: nonNegative,
  requestTimeoutMs: z.number().positive(),
  connections: z.union([z.number().int().positive(), z.literal("auto")]),
  arrival: z.enum(["uniform", "poisson"]),
});

const constraintsSchema = z.object({
  latencyMs: z.object({
    p50: z.number().positive().optional(),
    p90: z.number().positive().optional(),
    p99: z.number().positive().optional(),
    "p99.9": z.number().positive().optional(),
  }),
  minThroughput: nonNegative.optional(),
  maxErrorRate: z.number().min(0).max(1),
  windowMs: z.number().positive(),
});

/** The spec's own module validates it in full; here only what analysis and comparison rely on. */
const specSchema = z.looseObject({
  name: z.string(),
  workload: z.looseObject({}),
  load: loadSchema,
  constraints: constraintsSchema,
  target: z.looseObject({ kind: z.string() }),
  protocol: z.looseObject({ kind: z.string() }),
  repetitions: z.number().int().positive(),
  regression: z.looseObject({}),
});

const errorCounts = z.partialRecord(z.enum(ERROR_CLASSES as [string, ...string[]]), count);

const secondSchema = z.object({
  second: count,
  phase: z.enum(["warmup", "ramp", "hold"]),
  targetRate: nonNegative,
  offered: count,
  sent: count,
  dropped: count,
  late: count,
  ok: count,
  errors: errorCounts,
  throughput: count,
  inFlightMax: count,
  sendLag: encodedHistogram,
  responseTime: encodedHistogram,
  serviceTime: encodedHistogram,
  serverTime: encodedHistogram.optional(),
  generator: z.object({ eventLoopDelayP99Us: nonNegative, eventLoopUtilization: z.number().min(0).max(1) }),
});

const runSchema = z.object({
  startedAt: z.string(),
  load: loadSchema,
  connections: z.number().int().positive(),
  seconds: z.array(secondSchema),
  aborted: z.object({ reason: z.string(), atSecond: count }).optional(),
});

const environmentSchema = z.object({
  fingerprint: z.string().min(1),
  etudeVersion: z.string().min(1),
  node: z.string(),
  os: z.string(),
  cpuModel: z.string(),
  cpus: z.number().int().positive(),
  memoryBytes: nonNegative,
  target: z.string(),
  kubernetes: z.record(z.string(), z.unknown()).optional(),
});

function resultsSchema(schemaVersion: number) {
  return z.object({
    schemaVersion: z.literal(schemaVersion),
    etude: z.object({ version: z.string().min(1) }),
    createdAt: z.iso.datetime({ offset: true }),
    spec: specSchema,
    specDigest: z.string().min(1),
    environment: environmentSchema,
    runs: z.array(runSchema).min(1),
    analysis: z.looseObject({}),
  });
}

/** What a results file stores and etude trusts; the analysis is recomputed from it. */
export type ResultsFields = Omit<ResultsDocument, "analysis">;

const MAX_REPORTED_ISSUES = 5;

function describeValue(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : `${text}.${String(key)}`),
    "results",
  );
}

/** Validates the stored fields of a results document; the analysis block is recomputed by the caller. */
export function parseResultsFields(value: unknown, supportedVersion: number): ResultsFields {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === "number" && version > supportedVersion) {
    throw new Error(
      `results.schemaVersion: ${version} is newer than this etude reads (${supportedVersion}); upgrade etude to read these results`,
    );
  }
  const parsed = resultsSchema(supportedVersion).safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const lines = issues
      .slice(0, MAX_REPORTED_ISSUES)
      .map((issue) => `${fieldPath(issue.path)}: ${issue.message} (got ${describeValue(issue.input)})`);
    if (issues.length > MAX_REPORTED_ISSUES) lines.push(`…and ${issues.length - MAX_REPORTED_ISSUES} more`);
    throw new Error(`invalid results document:\n${lines.join("\n")}`);
  }
  // The loose spec parts are validated by the spec module when the spec is loaded; the document carries them through.
  return parsed.data as unknown as ResultsFields;
}
