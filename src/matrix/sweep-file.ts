/** sweep.json: the cells a sweep has finished, so an interrupted sweep resumes where it stopped. */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { SweepDocument } from "./types.ts";

export const SWEEP_FILE = "sweep.json";

const summary = z.object({
  verdict: z.enum(["pass", "fail", "invalid"]),
  invalidReasons: z.array(z.string()),
  maxSustainableThroughput: z.number(),
  p50AtTarget: z.number().nullable(),
  p90AtTarget: z.number().nullable(),
  p99AtTarget: z.number().nullable(),
  curve: z.array(z.object({ throughput: z.number(), p90: z.number() })),
});

const base = {
  id: z.string(),
  model: z.string(),
  deployment: z.string(),
  scenario: z.string(),
  specDigest: z.string(),
  finishedAt: z.string(),
};

const sweepSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string(),
  cells: z.array(
    z.discriminatedUnion("status", [
      z.object({ ...base, status: z.literal("measured"), resultsPath: z.string(), summary }),
      z.object({ ...base, status: z.literal("failed"), error: z.string() }),
    ]),
  ),
});

/** The sweep file at `path`, or undefined when there is none yet. */
export async function readSweep(path: string): Promise<SweepDocument | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = sweepSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `${path} is not a sweep file: ${z.prettifyError(parsed.error)}; delete it or use another --out`,
    );
  }
  return parsed.data;
}

/** Writes through a temporary file so an interruption never leaves half a file. */
export async function writeSweep(path: string, document: SweepDocument): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`);
  await rename(temporary, path);
}
