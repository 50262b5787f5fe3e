import type { ServerTiming } from "./types.ts";

const PRE = new Set(["pre", "preprocess", "preprocessing"]);
const INF = new Set(["inf", "inference", "infer", "predict"]);
const POST = new Set(["post", "postprocess", "postprocessing"]);

/**
 * Reads a W3C `Server-Timing` header. Metrics named pre/inf/post (or preprocess, inference,
 * postprocess) fill the phases; repeated names add up. totalMs is the `total` metric when the server
 * sends one, otherwise the sum of every metric's `dur`. Undefined when no metric has a duration.
 */
export function parseServerTiming(header: string | undefined): ServerTiming | undefined {
  if (header === undefined) return undefined;
  let preMs: number | undefined;
  let infMs: number | undefined;
  let postMs: number | undefined;
  let declaredTotal: number | undefined;
  let sum = 0;
  let found = false;
  for (const metric of splitOutsideQuotes(header, ",")) {
    const [rawName = "", ...params] = splitOutsideQuotes(metric, ";");
    const name = rawName.trim().toLowerCase();
    const duration = durationOf(params);
    if (name === "" || duration === undefined) continue;
    found = true;
    if (name === "total") {
      declaredTotal = (declaredTotal ?? 0) + duration;
      continue;
    }
    sum += duration;
    if (PRE.has(name)) preMs = (preMs ?? 0) + duration;
    else if (INF.has(name)) infMs = (infMs ?? 0) + duration;
    else if (POST.has(name)) postMs = (postMs ?? 0) + duration;
  }
  if (!found) return undefined;
  const timing: ServerTiming = { totalMs: declaredTotal ?? sum };
  if (preMs !== undefined) timing.preMs = preMs;
  if (infMs !== undefined) timing.infMs = infMs;
  if (postMs !== undefined) timing.postMs = postMs;
  return timing;
}

/** The first `dur` parameter, as the specification says later ones are ignored. */
function durationOf(params: string[]): number | undefined {
  for (const param of params) {
    const equals = param.indexOf("=");
    if (equals === -1 || param.slice(0, equals).trim().toLowerCase() !== "dur") continue;
    let value = param.slice(equals + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    const duration = value === "" ? Number.NaN : Number(value);
    return Number.isFinite(duration) && duration >= 0 ? duration : undefined;
  }
  return undefined;
}

/** Splits on `separator` except inside quoted strings (a `desc="a, b"` must stay whole). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === "\\") i++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
