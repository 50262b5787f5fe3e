import { specJsonSchema } from "./schema.ts";

/** Where the editor schema ships, relative to the repository root. */
export const SPEC_JSON_SCHEMA_PATH = "schema/etude.schema.json";

/** The exact text of the shipped schema file. */
export function renderSpecJsonSchema(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
