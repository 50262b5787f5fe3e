// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax of spec files is under test
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InterpolationError, interpolate } from "../../src/spec/interpolate.ts";

describe("interpolate", () => {
  it("substitutes variables anywhere in a string", () => {
    assert.equal(
      interpolate("http://${HOST}:${PORT}/", { HOST: "model", PORT: "8080" }),
      "http://model:8080/",
    );
  });

  it("uses the default when the variable is unset or empty", () => {
    assert.equal(interpolate("${RATE:-1k}", {}), "1k");
    assert.equal(interpolate("${RATE:-1k}", { RATE: "" }), "1k");
    assert.equal(interpolate("${RATE:-1k}", { RATE: "500" }), "500");
    assert.equal(interpolate("${EMPTY:-}", {}), "");
  });

  it("writes a literal ${ for $${", () => {
    assert.equal(interpolate("cost: $${PRICE}", { PRICE: "9" }), "cost: ${PRICE}");
  });

  it("names an unset variable", () => {
    assert.throws(
      () => interpolate("${TOKEN}", {}),
      (error: unknown) =>
        error instanceof InterpolationError &&
        error.message === "environment variable TOKEN is not set; set it or give a default: ${TOKEN:-value}",
    );
  });

  it("rejects malformed references", () => {
    assert.throws(() => interpolate("${1X}", {}), { message: /^"\$\{1X\}" is not a variable reference/ });
    assert.throws(() => interpolate("abc ${HOST", {}), { message: /^unclosed "\$\{" in "abc \$\{HOST"/ });
  });
});
