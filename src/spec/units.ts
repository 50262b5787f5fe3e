/**
 * Parsers for the human units of the spec: durations (`500ms`, `1.5s`, `2m`, `1h30m`, `250us`),
 * counts and rates (`1000`, `2.5k`, `10M`, `1_000_000`) and shares (`5%`, `0.05`).
 * Each throws a `UnitError` whose message states the value and the accepted forms.
 */

export class UnitError extends Error {
  override name = "UnitError";
}

const DURATION_UNITS_MS: Record<string, number> = {
  us: 0.001,
  µs: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_PART = /(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)/g;

/** A duration: one or more number-unit parts, e.g. `1h30m`. JSON Schema `pattern` and parser share it. */
export const DURATION_PATTERN = "^(\\d+(\\.\\d+)?(us|µs|ms|s|m|h))+$";
/** A plain or suffixed count, digits optionally grouped by underscores. */
export const COUNT_PATTERN = "^\\d+(_\\d+)*(\\.\\d+)?[kKMG]?$";
/** A percentage or a decimal fraction. */
export const FRACTION_PATTERN = "^(\\d+(\\.\\d+)?%|\\d*\\.?\\d+)$";

const DURATION_FORMS = "use a number with a unit: 500ms, 30s, 2m, 1h (also 250us, 1.5s, 1h30m)";
const COUNT_FORMS = "use a non-negative number, optionally with a suffix: 1000, 1_000, 2.5k, 10M, 1G";
const FRACTION_FORMS = "use a percentage or a fraction between 0 and 1: 5%, 0.1%, 0.05";

const COUNT_SUFFIXES: Record<string, number> = { "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Parses a duration into milliseconds. A bare number is rejected: its unit would be a guess. */
export function parseDuration(value: string | number): number {
  if (typeof value === "number") {
    throw new UnitError(`${show(value)} has no unit; ${DURATION_FORMS}, e.g. "${value}s" or "${value}ms"`);
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw new UnitError(`${show(value)} has no unit; ${DURATION_FORMS}, e.g. "${text}s" or "${text}ms"`);
  }
  if (!new RegExp(DURATION_PATTERN).test(text)) {
    throw new UnitError(`${show(value)} is not a duration; ${DURATION_FORMS}`);
  }
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) {
    ms += Number(amount) * DURATION_UNITS_MS[unit!]!;
  }
  return ms;
}

/** Parses a count or a rate. Commas are rejected: `1,000` reads as 1.000 in half the world. */
export function parseCount(value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new UnitError(`${show(value)} is not a valid count; ${COUNT_FORMS}`);
    }
    return value;
  }
  const text = value.trim();
  if (text.includes(",")) {
    throw new UnitError(
      `${show(value)} contains a comma; write ${text.replaceAll(",", "_")} or ${text.replaceAll(",", "")} instead`,
    );
  }
  if (!new RegExp(COUNT_PATTERN).test(text)) {
    throw new UnitError(`${show(value)} is not a count; ${COUNT_FORMS}`);
  }
  const suffix = /[kKMG]$/.test(text) ? text.slice(-1) : "";
  const digits = text.slice(0, text.length - suffix.length).replaceAll("_", "");
  // Rounding removes binary noise such as 2.3k = 2299.9999999999995.
  return Number((Number(digits) * COUNT_SUFFIXES[suffix]!).toPrecision(15));
}

/** Parses a share into 0..1: `5%` or `0.05`. */
export function parseFraction(value: string | number): number {
  let fraction: number;
  if (typeof value === "number") {
    fraction = value;
  } else {
    const text = value.trim();
    if (!new RegExp(FRACTION_PATTERN).test(text)) {
      throw new UnitError(`${show(value)} is not a percentage or fraction; ${FRACTION_FORMS}`);
    }
    fraction = text.endsWith("%") ? Number((Number(text.slice(0, -1)) / 100).toPrecision(15)) : Number(text);
  }
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    const hint =
      typeof value === "number" && value > 1 && value <= 100
        ? ` (for ${value} percent write "${value}%")`
        : "";
    throw new UnitError(`${show(value)} is outside 0..1${hint}; ${FRACTION_FORMS}`);
  }
  return fraction;
}
