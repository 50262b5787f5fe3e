/**
 * Turns zod issues into field problems: unions resolved to the branch the author meant, unknown keys
 * with a "did you mean" suggestion, missing fields with a description of what belongs there.
 */
import { closest, distance } from "fastest-levenshtein";
import type { z } from "zod";
import { specJsonSchema } from "./schema.ts";

type Issue = z.core.$ZodIssue;

export interface FieldIssue {
  path: PropertyKey[];
  message: string;
  /** Set when the key itself, not its value, is at fault. */
  atKey: boolean;
}

type JsonSchemaNode = {
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: boolean | JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  items?: JsonSchemaNode;
};

let cachedJsonSchema: JsonSchemaNode | undefined;

function jsonSchemaAt(path: readonly PropertyKey[]): JsonSchemaNode[] {
  cachedJsonSchema ??= specJsonSchema() as JsonSchemaNode;
  let nodes = [cachedJsonSchema];
  for (const segment of path) {
    nodes = nodes
      .flatMap((node) => [node, ...(node.anyOf ?? [])])
      .flatMap((node) => {
        if (typeof segment === "number") return node.items ? [node.items] : [];
        const property = node.properties?.[String(segment)];
        if (property) return [property];
        return typeof node.additionalProperties === "object" ? [node.additionalProperties] : [];
      });
  }
  return nodes;
}

/** Keys valid at `path`; of alternative object forms, those sharing a key with `input`. */
function allowedKeys(path: readonly PropertyKey[], input: unknown): string[] {
  const forms = jsonSchemaAt(path)
    .flatMap((node) => [node, ...(node.anyOf ?? [])])
    .map((node) => Object.keys(node.properties ?? {}))
    .filter((keys) => keys.length > 0);
  const given = typeof input === "object" && input !== null ? Object.keys(input) : [];
  const matching = forms.filter((keys) => keys.some((key) => given.includes(key)));
  return [...new Set((matching.length > 0 ? matching : forms).flat())];
}

function describe(path: readonly PropertyKey[]): string | undefined {
  return jsonSchemaAt(path).find((node) => node.description !== undefined)?.description;
}

function unknownKeyMessage(key: string, allowed: string[]): string {
  const list = allowed.join(", ");
  if (allowed.length === 0) return `unknown key "${key}"`;
  const suggestion = closest(key, allowed);
  const near =
    distance(key.toLowerCase(), suggestion.toLowerCase()) <= Math.max(2, Math.floor(key.length / 3));
  return near
    ? `unknown key "${key}"; did you mean "${suggestion}"? Valid keys: ${list}`
    : `unknown key "${key}"; valid keys: ${list}`;
}

/** How far a union branch is from the input: keys it lacks or does not know. */
function branchDistance(issues: Issue[]): number {
  return issues.reduce((sum, issue) => {
    if (issue.code === "unrecognized_keys") return sum + issue.keys.length;
    if (issue.code === "invalid_type" && issue.input === undefined) return sum + 1;
    return sum;
  }, 0);
}

/** The issues of the branch the author evidently meant, or undefined when that is unclear. */
function meantBranch(issue: Extract<Issue, { code: "invalid_union" }>): Issue[] | undefined {
  // A branch that rejects the value's type or literal outright is not the one the author meant.
  const viable = issue.errors.filter(
    (branch) =>
      !branch.some(
        (inner) =>
          inner.path.length === 0 && (inner.code === "invalid_type" || inner.code === "invalid_value"),
      ),
  );
  if (viable.length === 0) return undefined;
  const distances = viable.map(branchDistance);
  const best = Math.min(...distances);
  if (distances.filter((value) => value === best).length > 1) return undefined;
  return viable[distances.indexOf(best)]!.map((inner) => ({
    ...inner,
    path: [...issue.path, ...inner.path],
  }));
}

function isMissing(issue: Issue): boolean {
  return issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_union");
}

export function fieldIssues(issue: Issue): FieldIssue[] {
  if (issue.code === "invalid_union") {
    const branch = isMissing(issue) ? undefined : meantBranch(issue);
    if (branch) return branch.flatMap(fieldIssues);
  }
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(issue.path, issue.input);
    return issue.keys.map((key) => ({
      path: [...issue.path, key],
      message: unknownKeyMessage(key, allowed),
      atKey: true,
    }));
  }
  if (isMissing(issue)) {
    const description = describe(issue.path);
    return [
      {
        path: issue.path,
        message: description ? `required field is missing: ${description}` : "required field is missing",
        atKey: true,
      },
    ];
  }
  if (issue.code === "invalid_type" && issue.expected === "object") {
    const description = describe(issue.path);
    return [
      {
        path: issue.path,
        message: `${JSON.stringify(issue.input)} is not a mapping; write its fields indented below the key${description ? ` (${description})` : ""}`,
        atKey: false,
      },
    ];
  }
  return [{ path: issue.path, message: issue.message, atKey: false }];
}
