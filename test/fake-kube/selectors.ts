// Label and field selectors as the API server parses them from query strings.

export type LabelRequirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

export class SelectorError extends Error {}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

export function parseLabelSelector(text: string): LabelRequirement[] {
  return splitTopLevel(text).map((term) => {
    const setMatch = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (setMatch) {
      const values = setMatch[3]!
        .split(",")
        .map((value) => value.trim())
        .filter((value) => value !== "");
      return { key: setMatch[1]!, op: setMatch[2] as "in" | "notin", values };
    }
    const equality = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    if (equality) {
      return { key: equality[1]!, op: equality[2] === "!=" ? "!=" : "=", value: equality[3]! };
    }
    const exists = /^(!?)([^\s!=(),]+)$/.exec(term);
    if (exists) return { key: exists[2]!, op: exists[1] ? "!exists" : "exists" };
    throw new SelectorError(
      `unable to parse requirement: labelSelector term ${JSON.stringify(term)} is not one of key=value, key!=value, key in (a,b), key notin (a,b), key, !key`,
    );
  });
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const actual = labels ?? {};
  return requirements.every((requirement) => {
    const present = Object.hasOwn(actual, requirement.key);
    const value = actual[requirement.key];
    switch (requirement.op) {
      case "=":
        return present && value === requirement.value;
      case "!=":
        return !present || value !== requirement.value;
      case "in":
        return present && requirement.values.includes(value!);
      case "notin":
        return !present || !requirement.values.includes(value!);
      case "exists":
        return present;
      case "!exists":
        return !present;
      default:
        return false;
    }
  });
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** A metav1.LabelSelector (matchLabels/matchExpressions) as requirements. */
export function fromLabelSelectorObject(selector: LabelSelectorObject | undefined): LabelRequirement[] {
  const requirements: LabelRequirement[] = Object.entries(selector?.matchLabels ?? {}).map(
    ([key, value]) => ({ key, op: "=", value }),
  );
  for (const expression of selector?.matchExpressions ?? []) {
    const operators: Record<string, LabelRequirement["op"]> = {
      In: "in",
      NotIn: "notin",
      Exists: "exists",
      DoesNotExist: "!exists",
    };
    const op = operators[expression.operator];
    if (!op) throw new SelectorError(`unsupported label selector operator ${expression.operator}`);
    if (op === "in" || op === "notin")
      requirements.push({ key: expression.key, op, values: expression.values ?? [] });
    else if (op === "exists" || op === "!exists") requirements.push({ key: expression.key, op });
  }
  return requirements;
}

export interface FieldRequirement {
  path: string;
  op: "=" | "!=";
  value: string;
}

export function parseFieldSelector(text: string): FieldRequirement[] {
  return splitTopLevel(text).map((term) => {
    const match = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) {
      throw new SelectorError(
        `invalid field selector term ${JSON.stringify(term)}: expected field=value, field==value or field!=value`,
      );
    }
    return { path: match[1]!, op: match[2] === "!=" ? "!=" : "=", value: match[3]!.trim() };
  });
}

function fieldValue(object: unknown, path: string): string {
  let current: unknown = object;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return "";
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined || current === null ? "" : String(current);
}

export function matchesFields(requirements: FieldRequirement[], object: unknown): boolean {
  return requirements.every((requirement) => {
    const equal = fieldValue(object, requirement.path) === requirement.value;
    return requirement.op === "=" ? equal : !equal;
  });
}
