import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Fifo } from "../../src/loadgen/fifo.ts";

describe("Fifo", () => {
  it("gives items back in the order they came, across its compactions", () => {
    const queue = new Fifo<number>();
    const out: number[] = [];
    let next = 0;
    // Push three, take two, so the queue grows and its consumed prefix is compacted along the way.
    for (let round = 0; round < 3000; round++) {
      for (let k = 0; k < 3; k++) queue.push(next++);
      for (let k = 0; k < 2; k++) out.push(queue.shift()!);
    }
    assert.equal(queue.length, 3000);
    assert.equal(queue.peek(), 6000);
    while (queue.length > 0) out.push(queue.shift()!);
    assert.deepEqual(
      out,
      Array.from({ length: 9000 }, (_, k) => k),
    );
  });

  it("is empty when drained: peek and shift give undefined", () => {
    const queue = new Fifo<string>();
    assert.equal(queue.peek(), undefined);
    queue.push("a");
    assert.equal(queue.shift(), "a");
    assert.equal(queue.shift(), undefined);
    assert.equal(queue.length, 0);
  });
});
