import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hurwitzZeta } from "../../src/workload/zeta.ts";

function close(actual: number, expected: number, relative = 1e-13): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${actual} vs ${expected}`);
}

describe("hurwitzZeta", () => {
  it("matches known values of the Riemann zeta function", () => {
    close(hurwitzZeta(2, 1), Math.PI ** 2 / 6);
    close(hurwitzZeta(4, 1), Math.PI ** 4 / 90);
    close(hurwitzZeta(3, 1), 1.2020569031595942);
    close(hurwitzZeta(1.5, 1), 2.612375348685488);
  });

  it("satisfies ζ(s, q) = q^-s + ζ(s, q + 1) and ζ(2, 1/2) = π²/2", () => {
    for (const [s, q] of [
      [1.05, 1],
      [1.71, 3],
      [2.5, 40],
      [3, 1000.5],
    ] as const) {
      close(hurwitzZeta(s, q), q ** -s + hurwitzZeta(s, q + 1), 1e-12);
    }
    close(hurwitzZeta(2, 0.5), Math.PI ** 2 / 2);
  });

  it("approaches 1/(s - 1) + γ as s tends to 1", () => {
    const eulerGamma = 0.5772156649015329;
    close(hurwitzZeta(1.0001, 1), 1 / 0.0001 + eulerGamma, 1e-6);
  });

  it("rejects s <= 1 and q <= 0, naming the argument", () => {
    assert.throws(() => hurwitzZeta(1, 1), /s must be > 1, got 1/);
    assert.throws(() => hurwitzZeta(2, 0), /q must be a positive number, got 0/);
  });
});
