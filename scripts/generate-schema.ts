/** Writes schema/etude.schema.json from the zod source of the spec; `npm run schema`. */
import { writeFile } from "node:fs/promises";
import { renderSpecJsonSchema, SPEC_JSON_SCHEMA_PATH } from "../src/spec/json-schema.ts";

await writeFile(new URL(`../${SPEC_JSON_SCHEMA_PATH}`, import.meta.url), renderSpecJsonSchema());
console.log(`wrote ${SPEC_JSON_SCHEMA_PATH}`);
