/** Field builders of the spec schema: every field states its bad value and what would be valid. */
import { z } from "zod";
import {
  COUNT_PATTERN,
  DURATION_PATTERN,
  FRACTION_PATTERN,
  parseCount,
  parseDuration,
  parseFraction,
  UnitError,
} from "./units.ts";

export function show(value: unknown): string {
  return typeof value === "object" || typeof value === "string" ? JSON.stringify(value) : String(value);
}

export function unitErrorMessage(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    if (error instanceof UnitError) return error.message;
    throw error;
  }
}

export type Bound = { min?: number; minExclusive?: boolean; max?: number; integer?: boolean; what: string };

export function boundProblem(value: number, raw: unknown, bound: Bound): string | undefined {
  if (bound.integer && !Number.isInteger(value)) return `${show(raw)} is not a whole number; ${bound.what}`;
  if (bound.min !== undefined && (bound.minExclusive ? value <= bound.min : value < bound.min)) {
    return `${show(raw)} is too small; ${bound.what}`;
  }
  if (bound.max !== undefined && value > bound.max) return `${show(raw)} is too large; ${bound.what}`;
  return undefined;
}

/** Parses a unit value and checks its bounds, reporting a problem on the field instead of throwing. */
function parsedWithin<T extends string | number>(parse: (value: T) => number, bound: Bound) {
  return (raw: T, ctx: z.RefinementCtx): number => {
    let value: number;
    try {
      value = parse(raw);
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      ctx.issues.push({ code: "custom", message: error.message, input: raw });
      return z.NEVER;
    }
    const problem = boundProblem(value, raw, bound);
    if (problem) {
      ctx.issues.push({ code: "custom", message: problem, input: raw });
      return z.NEVER;
    }
    return value;
  };
}

/** A string in a unit, parsed by `parse` and checked against `bound`. */
export function unitString(
  parse: (value: string | number) => number,
  pattern: string,
  bound: Bound,
  description: string,
) {
  return z
    .string({
      error: (issue) =>
        typeof issue.input === "number"
          ? unitErrorMessage(() => parse(issue.input as number))
          : `${show(issue.input)} is not a string; ${bound.what}`,
    })
    .meta({ pattern, description })
    .transform(parsedWithin(parse, bound));
}

/** A plain number or a string in a unit, e.g. a count: `1000` or `"1k"`. */
export function numberOrUnit(
  parse: (value: string | number) => number,
  pattern: string,
  bound: Bound,
  description: string,
) {
  return z
    .union([z.number(), z.string().meta({ pattern })], {
      error: (issue) => `${show(issue.input)} is not a number; ${bound.what}`,
    })
    .meta({ description })
    .transform(parsedWithin(parse, bound));
}

export function duration(bound: Bound, description: string) {
  return unitString(parseDuration, DURATION_PATTERN, bound, description);
}

export function count(bound: Bound, description: string) {
  return numberOrUnit(parseCount, COUNT_PATTERN, bound, description);
}

export function fraction(bound: Bound, description: string) {
  return numberOrUnit(parseFraction, FRACTION_PATTERN, bound, description);
}

export function plainNumber(bound: Bound, description: string) {
  return z
    .number({ error: (issue) => `${show(issue.input)} is not a number; ${bound.what}` })
    .meta({ description })
    .check((ctx) => {
      const problem = boundProblem(ctx.value, ctx.value, bound);
      if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
    });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  return z
    .enum(values, {
      error: (issue) =>
        `${show(issue.input)} is not one of ${values.map((value) => `"${value}"`).join(", ")}`,
    })
    .meta({ description });
}

export function text(what: string, description: string) {
  return z
    .string({ error: (issue) => `${show(issue.input)} is not a string; ${what}` })
    .min(1, { error: `an empty string is not valid; ${what}` })
    .meta({ description });
}

export function httpUrl(description: string) {
  return text("use an http:// or https:// URL", description).check((ctx) => {
    if (!isHttpUrl(ctx.value)) {
      ctx.issues.push({
        code: "custom",
        message: `${show(ctx.value)} is not an http:// or https:// URL, e.g. http://127.0.0.1:8080`,
        input: ctx.value,
      });
    }
  });
}

export function isHttpUrl(value: string): boolean {
  const url = URL.parse(value);
  return url !== null && (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

export function stringMap(description: string) {
  return z
    .record(
      z.string(),
      z.string({ error: (issue) => `${show(issue.input)} is not a string; quote the value` }),
      {
        error: (issue) => `${show(issue.input)} is not a mapping of names to strings`,
      },
    )
    .meta({ description });
}

/** Requires exactly one key of a single-key "tagged" object such as `{ url: ... }` or `{ torchserve: ... }`. */
export function exactlyOneKey(
  value: Record<string, unknown>,
  keys: readonly string[],
  ctx: z.RefinementCtx,
): void {
  const present = keys.filter((key) => value[key] !== undefined);
  if (present.length !== 1) {
    ctx.addIssue({
      code: "custom",
      message:
        present.length === 0
          ? `give exactly one of ${keys.join(", ")}`
          : `${present.join(" and ")} exclude each other; give exactly one of ${keys.join(", ")}`,
      input: value,
    });
  }
}

export function flag(description: string) {
  return z.boolean({ error: (issue) => `${show(issue.input)} is not true or false` }).meta({ description });
}

/** A string that must never be echoed back: its messages name the field's problem, not its value. */
export function secretText(what: string, description: string) {
  return z
    .string({ error: `this is not a string; ${what}` })
    .min(1, { error: `an empty string is not valid; ${what}` })
    .meta({ description });
}

export function stringList(what: string, description: string) {
  return z
    .array(z.string({ error: (issue) => `${show(issue.input)} is not a string; quote the value` }), {
      error: (issue) => `${show(issue.input)} is not a list; ${what}`,
    })
    .meta({ description });
}
