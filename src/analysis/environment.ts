import { createHash } from "node:crypto";
import * as os from "node:os";
import type { ResultsDocument } from "./results.ts";

/** Where a benchmark ran: enough to tell whether two results can be compared. */
export interface Environment {
  /** environmentFingerprint of the fields below and the spec digest. */
  fingerprint: string;
  etudeVersion: string;
  /** Node version of the load generator, e.g. "v24.21.0". */
  node: string;
  /** Platform, release and architecture of the load generator's machine. */
  os: string;
  cpuModel: string;
  cpus: number;
  memoryBytes: number;
  /** What was measured, e.g. "reference synthetic model" or a deployment's image and instance type. */
  target: string;
  kubernetes?: Record<string, unknown>;
}

export type EnvironmentDescription = Omit<Environment, "fingerprint">;

export interface FingerprintInput {
  specDigest: string;
  target: string;
  cpuModel: string;
  cpus: number;
  memoryBytes: number;
}

const BYTES_PER_GIB = 1024 ** 3;

/** Memory in whole GiB: machines of one type report a few MiB more or less. */
function memoryGiB(bytes: number): number {
  return Math.round(bytes / BYTES_PER_GIB);
}

/**
 * A hash of what decides whether two results measure the same thing on the same kind of machine:
 * spec digest, target description, CPU model and count, memory in GiB. Timestamps and versions are left out.
 */
export function environmentFingerprint(input: FingerprintInput): string {
  const comparableFields = [
    input.specDigest,
    input.target,
    input.cpuModel,
    input.cpus,
    memoryGiB(input.memoryBytes),
  ];
  return createHash("sha256").update(JSON.stringify(comparableFields)).digest("hex").slice(0, 16);
}

/** Describes the machine this process runs on; the caller names the etude version and the target. */
export function describeHost(
  fields: Pick<EnvironmentDescription, "etudeVersion" | "target" | "kubernetes">,
): EnvironmentDescription {
  const cpus = os.cpus();
  return {
    ...fields,
    node: process.version,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cpus: os.availableParallelism(),
    memoryBytes: os.totalmem(),
  };
}

/** Whether two results measured the same spec and target on the same kind of machine, and if not, how they differ. */
export function comparable(a: ResultsDocument, b: ResultsDocument): { ok: boolean; differences: string[] } {
  const differences: string[] = [];
  const compare = (what: string, left: unknown, right: unknown): void => {
    if (left !== right) differences.push(`${what}: ${JSON.stringify(left)} vs ${JSON.stringify(right)}`);
  };
  compare("spec digest", a.specDigest, b.specDigest);
  compare("target", a.environment.target, b.environment.target);
  compare("CPU model", a.environment.cpuModel, b.environment.cpuModel);
  compare("CPU count", a.environment.cpus, b.environment.cpus);
  compare("memory (GiB)", memoryGiB(a.environment.memoryBytes), memoryGiB(b.environment.memoryBytes));
  return { ok: differences.length === 0, differences };
}
