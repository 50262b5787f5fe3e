import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import type { WorkloadSpec } from "../../src/spec/types.ts";
import { buildCatalog } from "../../src/workload/catalog.ts";
import { createSessionSource } from "../../src/workload/sessions.ts";
import type { SessionSource } from "../../src/workload/types.ts";

const workload: WorkloadSpec = {
  catalogSize: 100_000,
  sessionLengths: { kind: "powerlaw", exponent: 2.4, xmin: 1 },
  itemPopularity: { kind: "powerlaw", exponent: 1.868, xmin: 1, max: 2336 },
  topK: 21,
  maxSessionLength: 50,
  seed: 42,
};

/** sha256 of the first `clicks` clicks as text: sessions separated by ";", items by ",". */
function digestOfClicks(source: SessionSource, clicks: number): string {
  const hash = createHash("sha256");
  let remaining = clicks;
  while (remaining > 0) {
    const { id, items } = source.next();
    const taken = items.subarray(0, Math.min(items.length, remaining));
    hash.update(`${id}:${taken.join(",")};`);
    remaining -= taken.length;
  }
  return hash.digest("hex");
}

function take(source: SessionSource, count: number) {
  return Array.from({ length: count }, () => source.next());
}

describe("createSessionSource", () => {
  it("reproduces the recorded digest of the first 100,000 clicks", () => {
    assert.equal(digestOfClicks(createSessionSource(workload), 100_000), GOLDEN_DIGEST);
  });

  it("gives partitions disjoint session ids and different clicks, deterministically", () => {
    const catalog = buildCatalog(workload);
    const partitions = [0, 1, 2].map((index) =>
      take(createSessionSource(workload, { catalog, partition: { index, count: 3 } }), 200),
    );
    for (const [index, sessions] of partitions.entries()) {
      assert.deepEqual(
        sessions.map((session) => session.id),
        Array.from({ length: 200 }, (_, k) => index + 3 * k),
      );
    }
    const again = take(createSessionSource(workload, { catalog, partition: { index: 1, count: 3 } }), 200);
    assert.deepEqual(again, partitions[1]);
    const text = partitions.map((sessions) => sessions.map((session) => session.items.join(",")).join(";"));
    assert.equal(new Set(text).size, 3);
  });

  it("builds the same catalog for every partition", () => {
    const shared = take(
      createSessionSource(workload, { catalog: buildCatalog(workload), partition: { index: 2, count: 4 } }),
      50,
    );
    const own = take(createSessionSource(workload, { partition: { index: 2, count: 4 } }), 50);
    assert.deepEqual(own, shared);
  });

  it("keeps session lengths within [xmin, maxSessionLength] and item ids within the catalog", () => {
    const source = createSessionSource({ ...workload, maxSessionLength: 7 });
    let longest = 0;
    for (const { items } of take(source, 5000)) {
      assert.ok(items.length >= 1 && items.length <= 7);
      longest = Math.max(longest, items.length);
      for (const item of items) assert.ok(item < workload.catalogSize);
    }
    assert.equal(longest, 7);
  });

  it("rejects a bad partition, cap or mismatched catalog, naming the field", () => {
    assert.throws(
      () => createSessionSource(workload, { partition: { index: 3, count: 3 } }),
      /partition\.index must be an integer from 0 to 2, got 3/,
    );
    assert.throws(
      () => createSessionSource({ ...workload, maxSessionLength: 0 }),
      /workload\.maxSessionLength must be an integer >= 1, got 0/,
    );
    const small = buildCatalog({ ...workload, catalogSize: 10 });
    assert.throws(
      () => createSessionSource(workload, { catalog: small }),
      /options\.catalog has 10 items but workload\.catalogSize is 100000/,
    );
  });
});

/** Recorded once; a change means every recorded benchmark's workload changed. */
const GOLDEN_DIGEST = "c899a700db2f85f566b3df99971be2ed5a5cfc5d37eb44ffaf706acf5dc15102";
