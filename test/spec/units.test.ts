import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCount, parseDuration, parseFraction, UnitError } from "../../src/spec/units.ts";

describe("parseDuration", () => {
  it("converts every unit to milliseconds", () => {
    assert.equal(parseDuration("500ms"), 500);
    assert.equal(parseDuration("1.5s"), 1500);
    assert.equal(parseDuration("2m"), 120_000);
    assert.equal(parseDuration("1h"), 3_600_000);
    assert.equal(parseDuration("250us"), 0.25);
    assert.equal(parseDuration("1h30m"), 5_400_000);
    assert.equal(parseDuration("0s"), 0);
  });

  it("rejects a bare number and says to add a unit", () => {
    assert.throws(() => parseDuration(5), {
      name: "UnitError",
      message: /^5 has no unit; .* e\.g\. "5s" or "5ms"$/,
    });
    assert.throws(() => parseDuration("30"), { message: /^"30" has no unit; use a number with a unit/ });
  });

  it("names the value and the accepted forms", () => {
    assert.throws(
      () => parseDuration("2 minutes"),
      (error: unknown) =>
        error instanceof UnitError &&
        error.message.startsWith(
          '"2 minutes" is not a duration; use a number with a unit: 500ms, 30s, 2m, 1h',
        ),
    );
    assert.throws(() => parseDuration("-1s"), { message: /^"-1s" is not a duration/ });
    assert.throws(() => parseDuration("5sec"), { message: /^"5sec" is not a duration/ });
  });
});

describe("parseCount", () => {
  it("reads plain, grouped and suffixed counts", () => {
    assert.equal(parseCount(1000), 1000);
    assert.equal(parseCount("1000"), 1000);
    assert.equal(parseCount("1k"), 1000);
    assert.equal(parseCount("2.5k"), 2500);
    assert.equal(parseCount("2.3k"), 2300);
    assert.equal(parseCount("10M"), 10_000_000);
    assert.equal(parseCount("1G"), 1e9);
    assert.equal(parseCount("1_000_000"), 1_000_000);
    assert.equal(parseCount("0.5"), 0.5);
  });

  it("rejects commas with the spellings to use instead", () => {
    assert.throws(() => parseCount("1,000"), {
      message: '"1,000" contains a comma; write 1_000 or 1000 instead',
    });
  });

  it("rejects negative, unknown suffixes and misplaced separators", () => {
    assert.throws(() => parseCount(-3), { message: /^-3 is not a valid count; use a non-negative number/ });
    assert.throws(() => parseCount("5m"), { message: /^"5m" is not a count; .*2\.5k, 10M/ });
    assert.throws(() => parseCount("1__000"), { message: /^"1__000" is not a count/ });
    assert.throws(() => parseCount("_1"), { message: /^"_1" is not a count/ });
  });
});

describe("parseFraction", () => {
  it("reads percentages and fractions", () => {
    assert.equal(parseFraction("5%"), 0.05);
    assert.equal(parseFraction("0.1%"), 0.001);
    assert.equal(parseFraction(0.001), 0.001);
    assert.equal(parseFraction("0.95"), 0.95);
    assert.equal(parseFraction("100%"), 1);
  });

  it("rejects values outside 0..1 and suggests a percentage for whole numbers", () => {
    assert.throws(() => parseFraction("150%"), { message: /^"150%" is outside 0\.\.1; use a percentage/ });
    assert.throws(() => parseFraction(5), { message: /^5 is outside 0\.\.1 \(for 5 percent write "5%"\)/ });
    assert.throws(() => parseFraction("five"), {
      message: /^"five" is not a percentage or fraction; .*5%, 0\.1%, 0\.05$/,
    });
  });
});
