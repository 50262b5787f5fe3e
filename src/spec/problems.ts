/** What is wrong with a spec, where, and how to fix it. */

export interface SpecProblem {
  file: string;
  /** 1-based position of the offending node in the spec file. */
  line: number;
  column: number;
  /** Field path such as `load.rampUp`; empty when the problem concerns the whole file. */
  path: string;
  /** The offending value (for an unknown key: the key), when there is one. */
  value?: unknown;
  /** States the value and what would be valid. */
  message: string;
}

export function formatProblem(problem: SpecProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path === "" ? `${where} ${problem.message}` : `${where} ${problem.path}: ${problem.message}`;
}

/** A spec that cannot run; `problems` lists every problem found, in file order. */
export class SpecError extends Error {
  override name = "SpecError";
  readonly problems: SpecProblem[];

  constructor(problems: SpecProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.problems = problems;
  }
}

/** `load.rampUp`, `constraints["p99.9"]`, `target.command.run[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_][\w-]*$/.test(segment))
      text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}
