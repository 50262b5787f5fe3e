import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { renderSpecJsonSchema, SPEC_JSON_SCHEMA_PATH } from "../../src/spec/json-schema.ts";

describe("editor JSON Schema", () => {
  it("matches the zod source; run `npm run schema` when this fails", async () => {
    const committed = await readFile(new URL(`../../${SPEC_JSON_SCHEMA_PATH}`, import.meta.url), "utf8");
    assert.equal(committed, renderSpecJsonSchema());
  });

  it("describes the input side, so unit strings validate", () => {
    const schema = JSON.parse(renderSpecJsonSchema());
    const rampUp = schema.properties.load.properties.rampUp;
    assert.equal(rampUp.type, "string");
    assert.equal(rampUp.default, "60s");
    assert.match("1h30m", new RegExp(rampUp.pattern));
    assert.doesNotMatch("90", new RegExp(rampUp.pattern));
    assert.equal(schema.properties.load.additionalProperties, false);
    assert.deepEqual(schema.required.toSorted(), ["load", "workload"]);
  });
});
