import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answerCell, cheapestOption, monthlyCost, replicasNeeded } from "../../src/matrix/cost.ts";
import type { CellRecord, CellSummary } from "../../src/matrix/types.ts";
import type { MatrixDeployment, MatrixScenario } from "../../src/spec/types.ts";

const scenario: MatrixScenario = {
  name: "ecommerce",
  catalogSize: 10_000_000,
  targetRate: 1000,
  constraints: { latencyMs: { p90: 50 }, maxErrorRate: 0.01, windowMs: 5000 },
};

function deployment(name: string, perMonth?: number, replicas = 1): MatrixDeployment {
  return {
    name,
    local: false,
    nodeSelector: {},
    tolerations: [],
    resources: {},
    gpus: 1,
    replicas,
    ...(perMonth === undefined ? {} : { price: { perMonth, currency: "USD" } }),
  };
}

function summary(throughput: number, verdict: CellSummary["verdict"] = "fail"): CellSummary {
  return {
    verdict,
    invalidReasons: verdict === "invalid" ? ["the load generator fell behind"] : [],
    maxSustainableThroughput: throughput,
    p50AtTarget: 10,
    p90AtTarget: 40,
    p99AtTarget: 60,
    curve: [],
  };
}

function measured(
  model: string,
  deploymentName: string,
  throughput: number,
  verdict?: CellSummary["verdict"],
): CellRecord {
  return {
    id: `${model}/${deploymentName}/ecommerce`,
    model,
    deployment: deploymentName,
    scenario: "ecommerce",
    specDigest: "d",
    finishedAt: "2024-01-01T00:00:00.000Z",
    status: "measured",
    resultsPath: "x/results.json",
    summary: summary(throughput, verdict),
  };
}

describe("replicasNeeded and monthlyCost", () => {
  it("rounds machines up, needs at least one, and none when nothing is sustained", () => {
    assert.equal(replicasNeeded(1000, 210), 5);
    assert.equal(replicasNeeded(1000, 250), 4);
    assert.equal(replicasNeeded(100, 5000), 1);
    assert.equal(replicasNeeded(1000, 0), null);
  });

  it("reproduces the paper's example: five T4 machines at $268.09, two A100 at $2,008.80", () => {
    assert.equal(monthlyCost({ perMonth: 268.09, currency: "USD" }, 5), 1340.45);
    assert.equal(monthlyCost({ perMonth: 2008.8, currency: "USD" }, 2), 4017.6);
    // An hourly price of 0.367 is 267.91 a month of 730 hours.
    assert.equal(monthlyCost({ perMonth: 0.367 * 730, currency: "USD" }, 3), 803.73);
  });
});

describe("answerCell and cheapestOption", () => {
  it("picks five T4 machines over two A100s at 10M items and 1,000 req/s", () => {
    const t4 = deployment("t4", 268.09);
    const a100 = deployment("a100", 2008.8);
    const answers = [
      answerCell(measured("gru4rec", "t4", 210), t4, scenario),
      answerCell(measured("gru4rec", "a100", 600), a100, scenario),
    ];
    assert.deepEqual(
      answers.map((a) => [a.deployment, a.machines, a.monthlyCost]),
      [
        ["t4", 5, 1340.45],
        ["a100", 2, 4017.6],
      ],
    );
    assert.equal(cheapestOption(answers)?.deployment, "t4");
  });

  it("divides the measured throughput by the replicas and keeps a passing setup's replica count", () => {
    const threeT4 = deployment("t4x3", 268.09, 3);
    const failing = answerCell(measured("gru4rec", "t4x3", 600), threeT4, scenario);
    assert.equal(failing.perReplicaThroughput, 200);
    assert.equal(failing.machines, 5);
    const passing = answerCell(measured("gru4rec", "t4x3", 960, "pass"), threeT4, scenario);
    assert.equal(passing.machines, 3);
    // Just short of the target while failing: one more machine than measured, not the measured count.
    const nearly = answerCell(measured("gru4rec", "t4x3", 990), threeT4, scenario);
    assert.equal(nearly.machines, 4);
  });

  it("breaks cost ties by fewer machines, then deployment name, then model name", () => {
    const cheapSmall = deployment("b-small", 100);
    const cheapBig = deployment("a-big", 200);
    const answers = [
      answerCell(measured("m2", "b-small", 500), cheapSmall, scenario), // 2 x 100 = 200
      answerCell(measured("m1", "a-big", 1000, "pass"), cheapBig, scenario), // 1 x 200 = 200
    ];
    assert.equal(cheapestOption(answers)?.deployment, "a-big");
    const sameEverything = [
      answerCell(measured("zeta", "a-big", 1000, "pass"), cheapBig, scenario),
      answerCell(measured("alpha", "a-big", 1000, "pass"), cheapBig, scenario),
    ];
    assert.equal(cheapestOption(sameEverything)?.model, "alpha");
  });

  it("ranks priced options before unpriced ones", () => {
    const answers = [
      answerCell(measured("m", "local", 1000, "pass"), deployment("local"), scenario),
      answerCell(measured("m", "t4", 210), deployment("t4", 268.09), scenario),
    ];
    assert.equal(cheapestOption(answers)?.deployment, "t4");
  });

  it("reports infeasible and unmeasured cells with the reason, and no cheapest option", () => {
    const t4 = deployment("t4", 268.09);
    const infeasible = answerCell(measured("slow", "t4", 0), t4, scenario);
    const invalid = answerCell(measured("shaky", "t4", 800, "invalid"), t4, scenario);
    const failed = answerCell(
      {
        id: "broken/t4/ecommerce",
        model: "broken",
        deployment: "t4",
        scenario: "ecommerce",
        specDigest: "d",
        finishedAt: "2024-01-01T00:00:00.000Z",
        status: "failed",
        error: "image pull failed: ghcr.io/acme/broken:1",
      },
      t4,
      scenario,
    );
    assert.deepEqual(
      [infeasible, invalid, failed].map((a) => [a.status, a.reason, a.machines, a.monthlyCost]),
      [
        ["infeasible", "no window met the budget at any request rate", null, null],
        ["unmeasured", "the load generator fell behind", null, null],
        ["unmeasured", "image pull failed: ghcr.io/acme/broken:1", null, null],
      ],
    );
    assert.equal(cheapestOption([infeasible, invalid, failed]), undefined);
  });
});
