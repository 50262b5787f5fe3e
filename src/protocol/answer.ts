import { InvalidResponseError, type ServerTiming } from "./types.ts";

const SNIPPET_LENGTH = 120;

function snippet(body: string): string {
  return body.length <= SNIPPET_LENGTH ? body : `${body.slice(0, SNIPPET_LENGTH)}…`;
}

/** JSON.parse, failing as an invalid answer. */
export function parseAnswer(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidResponseError(`the answer is not JSON: ${JSON.stringify(snippet(body))}`);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The recommended item ids at `where` in an answer: a non-empty array of integers. An empty list
 * counts as invalid, so a server that answers nothing cannot pass a latency budget.
 */
export function requireItemIds(value: unknown, where: string): number[] {
  if (!Array.isArray(value)) {
    throw new InvalidResponseError(
      `${where} should be an array of item ids, but is ${JSON.stringify(value)?.slice(0, SNIPPET_LENGTH) ?? "missing"}`,
    );
  }
  if (value.length === 0) throw new InvalidResponseError(`${where} is an empty list of item ids`);
  for (let i = 0; i < value.length; i++) {
    if (!Number.isSafeInteger(value[i])) {
      throw new InvalidResponseError(
        `${where}[${i}] should be an integer item id, but is ${JSON.stringify(value[i])}`,
      );
    }
  }
  return value as number[];
}

/** Accepts `[ids]` or `[[ids]]` (a batch of one, as tensors are often nested). */
export function flattenBatchOfOne(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) ? value[0] : value;
}

export function headerText(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function phase(block: Record<string, unknown>, key: string): number | undefined {
  const value = block[key];
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Timings of an etude `nf` block (`pre_ms`, `inf_ms`, `post_ms`, optional `queue_ms`), if it has any. */
export function timingFromNf(nf: unknown): ServerTiming | undefined {
  if (!isObject(nf)) return undefined;
  const preMs = phase(nf, "pre_ms");
  const infMs = phase(nf, "inf_ms");
  const postMs = phase(nf, "post_ms");
  const queueMs = phase(nf, "queue_ms");
  if (preMs === undefined && infMs === undefined && postMs === undefined) return undefined;
  const timing: ServerTiming = { totalMs: (preMs ?? 0) + (infMs ?? 0) + (postMs ?? 0) + (queueMs ?? 0) };
  if (preMs !== undefined) timing.preMs = preMs;
  if (infMs !== undefined) timing.infMs = infMs;
  if (postMs !== undefined) timing.postMs = postMs;
  return timing;
}

/** Model facts of an etude `nf` block (`mname`, `mthreads`, `mdevice`), if it has any. */
export function modelFromNf(nf: unknown): { name?: string; threads?: number; device?: string } | undefined {
  if (!isObject(nf)) return undefined;
  const model: { name?: string; threads?: number; device?: string } = {};
  if (typeof nf.mname === "string") model.name = nf.mname;
  if (typeof nf.mthreads === "number" && Number.isSafeInteger(nf.mthreads)) model.threads = nf.mthreads;
  if (typeof nf.mdevice === "string") model.device = nf.mdevice;
  return Object.keys(model).length === 0 ? undefined : model;
}

/** `[1,2,3]` for a session, without building an intermediate object: this runs for every request. */
export function renderIds(items: ArrayLike<number>): string {
  return `[${Array.prototype.join.call(items, ",")}]`;
}
