// PATCH bodies: JSON Patch (RFC 6902), JSON Merge Patch (RFC 7386) and an approximation of
// strategic merge patch that merges lists of objects by their merge key (name, containerPort, ...).
import jsonpatch from "fast-json-patch";

export const PATCH_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
] as const;

type Json = unknown;

function isPlainObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, Json> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const MERGE_KEYS = ["name", "containerPort", "mountPath", "port", "type", "ip"];

function mergeKeyOf(items: Json[]): string | undefined {
  if (items.length === 0 || !items.every(isPlainObject)) return undefined;
  return MERGE_KEYS.find((key) => items.every((item) => (item as Record<string, Json>)[key] !== undefined));
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (Array.isArray(patch) && Array.isArray(target)) {
    const key = mergeKeyOf([...target, ...patch]);
    if (!key) return structuredClone(patch);
    const merged = target.map((item) => structuredClone(item) as Record<string, Json>);
    for (const item of patch as Record<string, Json>[]) {
      const index = merged.findIndex((existing) => existing[key] === item[key]);
      if (item.$patch === "delete") {
        if (index >= 0) merged.splice(index, 1);
      } else if (index >= 0) {
        merged[index] = strategicMergePatch(merged[index], item) as Record<string, Json>;
      } else {
        merged.push(structuredClone(item));
      }
    }
    return merged;
  }
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, Json> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = strategicMergePatch(result[key], value);
  }
  return result;
}

export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) {
    throw new Error("json patch body must be an array of operations such as {op: replace, path, value}");
  }
  return jsonpatch.applyPatch(structuredClone(target), operations as jsonpatch.Operation[], true, false)
    .newDocument;
}
