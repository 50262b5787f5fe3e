import { createHash } from "node:crypto";
import type { Spec } from "./types.ts";

/** JSON with object keys sorted, so equal specs serialise identically whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Hex sha256 of the canonical JSON of the whole spec: results with equal digests ran the same benchmark. */
export function specDigest(spec: Spec): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex");
}
