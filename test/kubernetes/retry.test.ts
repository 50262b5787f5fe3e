import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiException } from "@kubernetes/client-node";
import { withRetry } from "../../src/targets/kubernetes/retry.ts";

function failing(errors: unknown[], value: string) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    run: async () => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return value;
    },
  };
}

const recordSleeps = () => {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
};

test("429 honours Retry-After and 5xx backs off exponentially, then succeeds", async () => {
  const op = failing(
    [
      new ApiException(429, "slow down", {}, { "retry-after": "2" }),
      new ApiException(503, "unavailable", {}, {}),
      new ApiException(500, "oops", {}, {}),
    ],
    "done",
  );
  const { sleeps, sleep } = recordSleeps();
  const result = await withRetry(op.run, { sleep, random: () => 1, baseDelayMs: 100, maxDelayMs: 5_000 });
  assert.equal(result, "done");
  assert.equal(op.calls, 4);
  assert.deepEqual(sleeps, [2_000, 200, 400]);
});

test("client errors are not retried", async () => {
  const op = failing([new ApiException(403, "forbidden", {}, {})], "never");
  const { sleeps, sleep } = recordSleeps();
  await assert.rejects(withRetry(op.run, { sleep }), (error: ApiException<unknown>) => error.code === 403);
  assert.equal(op.calls, 1);
  assert.deepEqual(sleeps, []);
});

test("retries are bounded", async () => {
  const op = failing(
    Array.from({ length: 10 }, () => new TypeError("fetch failed")),
    "never",
  );
  const { sleeps, sleep } = recordSleeps();
  await assert.rejects(withRetry(op.run, { sleep, attempts: 3, random: () => 0.5 }), /fetch failed/);
  assert.equal(op.calls, 3);
  assert.equal(sleeps.length, 2);
});
