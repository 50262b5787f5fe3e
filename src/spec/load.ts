/**
 * Loads a benchmark spec: YAML, `${VAR}` interpolation, validation, `fitFrom`, defaults and cross-field
 * checks. Every problem of the file is collected and thrown at once as a `SpecError`.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, extname, resolve } from "node:path";
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar } from "yaml";
import { matrixProblems, specProblems, workloadProblems } from "./checks.ts";
import { type Environment, InterpolationError, interpolate } from "./interpolate.ts";
import { fieldIssues } from "./issues.ts";
import { normalise } from "./normalise.ts";
import { formatPath, SpecError, type SpecProblem } from "./problems.ts";
import { redactText, redactValue, secretsIn } from "./redact.ts";
import { resolveDeclaredWorkload, type SpecInput, specSchema } from "./schema.ts";
import { locate } from "./source-map.ts";
import type { CountDistribution, Spec, WorkloadSpec } from "./types.ts";

/**
 * Fits the workload's distributions to a click file; `sessionLengths` is absent when the file only holds
 * per-item counts. The shape of `fitClickFile` in the workload module, which gives each the power-law
 * tail over the empirical body when Clauset's x_min is above 1 and the whole-range power law fits
 * worse than the tail, and the whole-range power law otherwise.
 */
export type ClickFileFitter = (
  path: string,
  options?: { column?: string },
) => Promise<{ workload: { itemPopularity: CountDistribution; sessionLengths?: CountDistribution } }>;

export interface ParseSpecOptions {
  /** Name of the spec file, used in problem reports and as the default benchmark name. */
  file: string;
  /** Source of `${VAR}` values; default `process.env`. */
  env?: Environment;
  /** Directory that `fitFrom` paths are relative to; default the directory of `file`. */
  baseDir?: string;
  /** Default: `fitClickFile` of the workload module, loaded only when a spec asks for a fit (it is heavy). */
  fitClickFile?: ClickFileFitter;
}

export const DEFAULT_SPEC_FILE = "etude.yml";

const YAML_NUMBER = /^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$/;

/** Collects problems with their source positions. */
class ProblemList {
  readonly problems: SpecProblem[] = [];
  /** The document as plain data, where the offending values are looked up. */
  #data: unknown;
  #secrets: string[] = [];
  readonly #file: string;
  readonly #doc: Document;
  readonly #lineCounter: LineCounter;

  constructor(file: string, doc: Document, lineCounter: LineCounter) {
    this.#file = file;
    this.#doc = doc;
    this.#lineCounter = lineCounter;
  }

  /** `atKey` blames the key itself (an unknown or missing field); `value` overrides the looked-up value. */
  add(path: readonly PropertyKey[], message: string, blame: { atKey?: boolean; value?: unknown } = {}): void {
    const atKey = blame.atKey ?? false;
    const { line, column } = locate(this.#doc, this.#lineCounter, path, atKey);
    const found =
      "value" in blame ? blame.value : atKey && path.length > 0 ? path.at(-1) : valueAt(this.#data, path);
    const value = atKey ? found : redactValue(path, found, this.#secrets);
    const problem: SpecProblem = {
      file: this.#file,
      line,
      column,
      path: formatPath(path),
      message: redactText(message, this.#secrets),
    };
    if (value !== undefined) problem.value = value;
    if (!this.problems.some((known) => known.path === problem.path && known.message === problem.message)) {
      this.problems.push(problem);
    }
  }

  get data(): unknown {
    return this.#data;
  }

  set data(data: unknown) {
    this.#data = data;
    this.#secrets = secretsIn(data);
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const sorted = this.problems.toSorted((a, b) => a.line - b.line || a.column - b.column);
    throw new SpecError(sorted);
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/** Substitutes `${VAR}` in every string value in place; returns the paths that failed. */
function interpolateDocument(doc: Document, env: Environment, problems: ProblemList): PropertyKey[][] {
  const failed: PropertyKey[][] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        visit(item, [...path, index]);
      });
    } else if (isScalar(node) && typeof node.value === "string") {
      try {
        const value = interpolate(node.value, env);
        if (value === node.value) return;
        // An unquoted `${RATE}` reads as a number once substituted, as if it had been written in place.
        node.value = node.type === Scalar.PLAIN && YAML_NUMBER.test(value) ? Number(value) : value;
      } catch (error) {
        if (!(error instanceof InterpolationError)) throw error;
        problems.add(path, error.message, { value: node.value });
        failed.push(path);
      }
    }
  };
  visit(doc.contents, []);
  return failed;
}

function yamlSyntaxProblems(file: string, doc: Document, lineCounter: LineCounter): SpecProblem[] {
  return doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { file, line, column: col, path: "", message: `YAML syntax error: ${error.message}` };
  });
}

async function fitWorkload(
  input: SpecInput["workload"],
  fitFrom: { file: string; column?: string },
  options: ParseSpecOptions,
  problems: ProblemList,
): Promise<WorkloadSpec | undefined> {
  const path = resolve(options.baseDir ?? dirname(resolve(options.file)), fitFrom.file);
  const fit = options.fitClickFile ?? (await import("../workload/fit-file.ts")).fitClickFile;
  let fitted: Awaited<ReturnType<ClickFileFitter>>;
  try {
    fitted = await fit(path, fitFrom.column === undefined ? {} : { column: fitFrom.column });
  } catch (error) {
    problems.add(
      ["workload", "fitFrom"],
      `cannot fit ${path}: ${error instanceof Error ? error.message : error}`,
    );
    return undefined;
  }
  // Declared session lengths win over fitted ones: the author wrote them on purpose.
  const sessionLengths = input.sessionLengths ?? fitted.workload.sessionLengths;
  if (sessionLengths === undefined) {
    problems.add(
      ["workload", "fitFrom"],
      `${fitFrom.file} holds per-item click counts but no session lengths; add e.g. sessionLengths: { exponent: 2.4, xmin: 1 }`,
    );
    return undefined;
  }
  const { fitFrom: _fitFrom, ...rest } = input;
  return { ...rest, sessionLengths, itemPopularity: fitted.workload.itemPopularity };
}

/** Parses and validates spec text; throws a `SpecError` listing every problem. */
export async function parseSpec(text: string, options: ParseSpecOptions): Promise<Spec> {
  const { file } = options;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxProblems = yamlSyntaxProblems(file, doc, lineCounter);
  if (syntaxProblems.length > 0) throw new SpecError(syntaxProblems);

  if (doc.contents === null) {
    throw new SpecError([
      {
        file,
        line: 1,
        column: 1,
        path: "",
        message: "the spec is empty; it needs at least workload and load",
      },
    ]);
  }
  const problems = new ProblemList(file, doc, lineCounter);
  const failedPaths = interpolateDocument(doc, options.env ?? process.env, problems);
  problems.data = doc.toJS();

  const parsed = specSchema.safeParse(problems.data, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues.flatMap(fieldIssues)) {
      if (!failedPaths.some((failed) => startsWith(issue.path, failed)))
        problems.add(issue.path, issue.message, { atKey: issue.atKey });
    }
  }
  problems.throwIfAny();
  const input = parsed.data!;

  const workload =
    input.workload.fitFrom === undefined
      ? resolveDeclaredWorkload(input.workload)!
      : await fitWorkload(input.workload, input.workload.fitFrom, options, problems);
  problems.throwIfAny();
  if (input.workload.fitFrom !== undefined) {
    for (const problem of workloadProblems(workload!))
      problems.add(["workload", ...problem.path], problem.message);
  }

  const spec = normalise(input, workload!, basename(file, extname(file)));
  for (const problem of [...specProblems(spec), ...matrixProblems(spec)])
    problems.add(problem.path, problem.message);
  problems.throwIfAny();
  return spec;
}

/** Reads and parses a spec file; `fitFrom` paths resolve against the file's directory. */
export async function loadSpec(path: string = DEFAULT_SPEC_FILE, env?: Environment): Promise<Spec> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error);
    throw new SpecError([
      { file: path, line: 1, column: 1, path: "", message: `cannot read the spec: ${reason}` },
    ]);
  }
  return parseSpec(text, env === undefined ? { file: path } : { file: path, env });
}
