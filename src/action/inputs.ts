/** Turns the action's raw inputs into one typed, validated settings object. */
import { COMMENT_MODES, DEFAULT_SPEC, FAIL_ON_MODES, Inputs } from "./constants.ts";

export type CommentMode = (typeof COMMENT_MODES)[number];
export type FailOn = (typeof FAIL_ON_MODES)[number];

export type Baseline =
  | { kind: "none" }
  /** Measure this image of the model in the same run, interleaved with the head. */
  | { kind: "image"; image: string }
  /** Compare with a results document stored by an earlier run of the main branch. */
  | { kind: "results"; path: string };

export interface ActionSettings {
  specPath: string;
  /** Kubeconfig content (plain YAML or base64); absent when the input is empty. */
  kubeconfig?: string;
  githubToken: string;
  baseline: Baseline;
  /** Globs of model code; empty means every change is relevant. */
  paths: string[];
  comment: CommentMode;
  failOn: FailOn;
  /** Overrides the spec's repetitions when set. */
  repetitions?: number;
  workingDirectory: string;
}

/** An input holds a value the action cannot use; the message names the input, the value and what is valid. */
export class InputError extends Error {
  override name = "InputError";
}

/** Reads one input by name, trimmed, "" when unset: `core.getInput` in the action. */
export type InputReader = (name: string) => string;

export function readSettings(getInput: InputReader): ActionSettings {
  const kubeconfig = getInput(Inputs.kubeconfig);
  const repetitions = readRepetitions(getInput(Inputs.repetitions));
  const baseline = readBaseline(getInput(Inputs.baseline));
  const failOn = oneOf(Inputs.failOn, getInput(Inputs.failOn) || "both", FAIL_ON_MODES);
  if (failOn === "regression" && baseline.kind === "none") {
    throw new InputError(
      `input ${Inputs.failOn} is "regression" but input ${Inputs.baseline} is "none", so nothing would be checked: ` +
        `set ${Inputs.baseline} to "image:<ref>" or "results:<path>", or ${Inputs.failOn} to "constraints" or "both"`,
    );
  }
  return {
    specPath: getInput(Inputs.spec) || DEFAULT_SPEC,
    ...(kubeconfig === "" ? {} : { kubeconfig }),
    githubToken: getInput(Inputs.githubToken),
    baseline,
    paths: readPaths(getInput(Inputs.paths)),
    comment: oneOf(Inputs.comment, getInput(Inputs.comment) || "always", COMMENT_MODES),
    failOn,
    ...(repetitions === undefined ? {} : { repetitions }),
    workingDirectory: getInput(Inputs.workingDirectory) || ".",
  };
}

function oneOf<T extends string>(input: string, value: string, valid: readonly T[]): T {
  if ((valid as readonly string[]).includes(value)) return value as T;
  throw new InputError(
    `input ${input} is ${JSON.stringify(value)}; valid values: ${valid.map((v) => JSON.stringify(v)).join(", ")}`,
  );
}

function readBaseline(value: string): Baseline {
  if (value === "" || value === "none") return { kind: "none" };
  const match = /^(image|results):(.*)$/s.exec(value);
  const reference = match?.[2]?.trim() ?? "";
  if (match && reference !== "") {
    return match[1] === "image" ? { kind: "image", image: reference } : { kind: "results", path: reference };
  }
  throw new InputError(
    `input ${Inputs.baseline} is ${JSON.stringify(value)}; valid values: "none", ` +
      `"image:<image reference>" (e.g. "image:ghcr.io/acme/model:main") or ` +
      `"results:<path to a results JSON>" (e.g. "results:baseline/results.json")`,
  );
}

/** One glob per line; blank lines and lines starting with `#` are ignored. */
function readPaths(value: string): string[] {
  const globs = value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (globs.length > 0 && globs.every((glob) => glob.startsWith("!"))) {
    throw new InputError(
      `input ${Inputs.paths} is ${JSON.stringify(value)}: it has only "!" patterns, so no change could match; ` +
        `start with a pattern that includes files, e.g. "models/**"`,
    );
  }
  return globs;
}

function readRepetitions(value: string): number | undefined {
  if (value === "") return undefined;
  const count = Number(value);
  if (/^\d+$/.test(value) && Number.isSafeInteger(count) && count >= 1) return count;
  throw new InputError(
    `input ${Inputs.repetitions} is ${JSON.stringify(value)}; valid: a whole number of at least 1 ` +
      `(3 or more lets the regression check estimate the noise), or empty to keep the spec's`,
  );
}
