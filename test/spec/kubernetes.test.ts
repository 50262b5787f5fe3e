import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  KubernetesTargetError,
  parseKubernetesTarget,
  parseSpec,
  SpecError,
  type SpecProblem,
} from "../../src/spec/index.ts";

const HEAD = `workload:
  catalogSize: 5k
  sessionLengths: { exponent: 2.4 }
  itemPopularity: { exponent: 1.71 }
load:
  targetRate: 500
target:
  kubernetes:
`;
// Lines 1-8 above; the Kubernetes block starts on line 9.

const TOKEN = "s3cr3t-token-abcdef123456";

async function problemsOf(text: string): Promise<SpecError> {
  try {
    await parseSpec(text, { file: "etude.yml", env: {} });
  } catch (error) {
    assert.ok(error instanceof SpecError, `expected a SpecError, got ${error}`);
    return error;
  }
  assert.fail("the spec was accepted");
}

function at(problems: SpecProblem[], path: string): SpecProblem {
  const problem = problems.find((p) => p.path === path);
  assert.ok(problem, `no problem at ${path}; got ${problems.map((p) => p.path).join(", ")}`);
  return problem;
}

describe("target.kubernetes in a spec", () => {
  it("is typed and defaulted, with durations in milliseconds and the workload's catalog size", async () => {
    const spec = await parseSpec(
      `${HEAD}    kubeconfigPath: ~/.kube/config
    ttl: 2h
    model:
      reference: { model: noop }
      readiness: { period: 2s, timeout: 15m }
      resources: { cpu: 2, memory: 4Gi }
      instanceType: e2-standard-8
      tolerations: [{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }]
    loadGenerator: { pods: 2, startDelay: 500ms }
`,
      { file: "etude.yml", env: {} },
    );
    assert.equal(spec.target.kind, "kubernetes");
    assert.ok(spec.target.kind === "kubernetes");
    assert.deepEqual(spec.target.kubernetes, {
      kubeconfigPath: "~/.kube/config",
      inCluster: false,
      createNamespace: true,
      ttlMs: 7_200_000,
      nodeImage: "node:24-slim",
      loadFrom: "cluster",
      model: {
        reference: { model: "noop", catalogSize: 5000 },
        env: {},
        port: 8080,
        imagePullSecrets: [],
        replicas: 1,
        readiness: {
          path: "/ping",
          initialDelayMs: 5000,
          periodMs: 2000,
          failureThreshold: 3,
          timeoutMs: 900_000,
        },
        resources: { cpu: "2", memory: "4Gi", gpu: 0 },
        instanceType: "e2-standard-8",
        nodeSelector: {},
        tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
      },
      loadGenerator: {
        pods: 2,
        maxRatePerPod: 1000,
        resources: { cpu: "1", memory: "1Gi" },
        startDelayMs: 500,
        nodeSelector: {},
        tolerations: [],
      },
    });
  });

  it("reports an unknown key at its line and column with a suggestion", async () => {
    const error = await problemsOf(
      `${HEAD}    model:\n      image: ghcr.io/acme/gru4rec:1\n      replica: 2\n`,
    );
    assert.deepEqual(error.problems, [
      {
        file: "etude.yml",
        line: 11,
        column: 7,
        path: "target.kubernetes.model.replica",
        value: "replica",
        message: error.problems[0]!.message,
      },
    ]);
    assert.match(
      error.problems[0]!.message,
      /^unknown key "replica"; did you mean "replicas"\? Valid keys: .*image/,
    );
  });

  it("rejects a duration without a unit and says to add one, like everywhere in the spec", async () => {
    const error = await problemsOf(
      `${HEAD}    ttl: soon\n    model:\n      image: x\n      readiness: { timeout: 90 }\n`,
    );
    const bare = at(error.problems, "target.kubernetes.model.readiness.timeout");
    assert.equal(bare.line, 12);
    assert.equal(bare.column, 29);
    assert.equal(bare.value, 90);
    assert.match(bare.message, /^90 has no unit; use a number with a unit: .*e\.g\. "90s" or "90ms"$/);
    const words = at(error.problems, "target.kubernetes.ttl");
    assert.deepEqual([words.line, words.column, words.value], [9, 10, "soon"]);
    assert.match(words.message, /^"soon" is not a duration; use a number with a unit/);
  });

  it("rejects both image and reference, blaming image", async () => {
    const error = await problemsOf(
      `${HEAD}    model:\n      reference: { model: synthetic }\n      image: ghcr.io/acme/gru4rec:1\n`,
    );
    const problem = at(error.problems, "target.kubernetes.model.image");
    assert.deepEqual([problem.line, problem.column], [11, 14]);
    assert.equal(
      problem.message,
      "reference and image exclude each other; keep reference (etude's reference server) or image",
    );
  });

  it("rejects a model with neither image nor reference", async () => {
    const error = await problemsOf(`${HEAD}    model:\n      replicas: 2\n`);
    const problem = at(error.problems, "target.kubernetes.model");
    assert.deepEqual([problem.line, problem.column], [10, 7]);
    assert.match(problem.message, /needs reference: \{ model: synthetic \}.* or image: <your image>/);
  });

  it("rejects createNamespace: false without a namespace", async () => {
    const error = await problemsOf(`${HEAD}    createNamespace: false\n    model: { image: x }\n`);
    const problem = at(error.problems, "target.kubernetes.createNamespace");
    assert.deepEqual([problem.line, problem.column, problem.value], [9, 22, false]);
    assert.match(problem.message, /createNamespace: false needs namespace: <an existing namespace>/);
  });

  it("reports every problem of the block at once, in file order", async () => {
    const error = await problemsOf(`${HEAD}    namespace: Bench_NS
    loadFrom: moon
    model:
      image: x
      port: 70000
      resources: { cpu: lots }
    loadGenerator: { pods: 100 }
`);
    assert.deepEqual(
      error.problems.map((p) => `${p.line}:${p.column} ${p.path}`),
      [
        "9:16 target.kubernetes.namespace",
        "10:15 target.kubernetes.loadFrom",
        "13:13 target.kubernetes.model.port",
        "14:25 target.kubernetes.model.resources.cpu",
        "15:28 target.kubernetes.loadGenerator.pods",
      ],
    );
    assert.match(
      at(error.problems, "target.kubernetes.loadFrom").message,
      /"moon" is not one of "cluster", "runner"/,
    );
    assert.match(
      at(error.problems, "target.kubernetes.model.port").message,
      /70000 is too large; .*1 to 65535/,
    );
    assert.match(at(error.problems, "target.kubernetes.namespace").message, /"Bench_NS" is not a DNS label/);
  });

  it("never shows a kubeconfig, in a message or a value, however it is wrong", async () => {
    const inline = `${HEAD}    kubeconfig: "apiVersion: v1\\nusers: [{ name: bot, user: { token: ${TOKEN} } }]"
    inCluster: true
    model: { image: x }
`;
    const both = await problemsOf(inline);
    const exclusive = at(both.problems, "target.kubernetes.inCluster");
    assert.match(exclusive.message, /kubeconfig and inCluster exclude each other/);

    const pasted = await problemsOf(`${HEAD}    kubeconfig:
      apiVersion: v1
      users: [{ name: bot, user: { token: ${TOKEN} } }]
    model: { image: x }
`);
    const mapping = at(pasted.problems, "target.kubernetes.kubeconfig");
    assert.equal(mapping.value, "[redacted]");
    assert.match(mapping.message, /^this is not a string; pass the kubeconfig content/);

    const ambiguous = await problemsOf(
      `${HEAD}    kubeconfig: "${TOKEN}"\n    model: { image: x }\n  url: http://127.0.0.1:8080\n`,
    );
    const target = at(ambiguous.problems, "target");
    assert.match(target.message, /url and kubernetes exclude each other/);

    for (const error of [both, pasted, ambiguous]) {
      assert.ok(!error.message.includes(TOKEN), error.message);
      assert.ok(!JSON.stringify(error.problems).includes(TOKEN), JSON.stringify(error.problems));
    }
    assert.match(JSON.stringify(ambiguous.problems), /\[redacted\]/);
  });
});

describe("parseKubernetesTarget", () => {
  it("gives a block built in code the same types and defaults as a spec file", () => {
    const target = parseKubernetesTarget({ model: { reference: {} } }, 1000);
    assert.equal(target.createNamespace, true);
    assert.equal(target.ttlMs, 6 * 3_600_000);
    assert.deepEqual(target.model.reference, { model: "synthetic", catalogSize: 1000 });
    assert.equal(target.model.readiness.timeoutMs, 20 * 60_000);
    assert.equal(target.loadGenerator.pods, "auto");
    assert.equal(target.loadGenerator.startDelayMs, 15_000);
  });

  it("names each bad field with the spec's messages and keeps the kubeconfig out", () => {
    const problemsOf = (input: unknown): KubernetesTargetError => {
      try {
        parseKubernetesTarget(input);
      } catch (error) {
        assert.ok(error instanceof KubernetesTargetError, `expected a KubernetesTargetError, got ${error}`);
        return error;
      }
      assert.fail("the block was accepted");
    };
    const fields = problemsOf({ model: { image: "x", readiness: { timeout: 90 } }, loadFrom: "moon" });
    assert.deepEqual(fields.problems.map((p) => p.path).sort(), [
      "target.kubernetes.loadFrom",
      "target.kubernetes.model.readiness.timeout",
    ]);
    assert.match(fields.message, /target\.kubernetes\.model\.readiness\.timeout: 90 has no unit/);

    const secret = problemsOf({ kubeconfig: `token: ${TOKEN}`, kubeconfigPath: "/x", model: { image: "x" } });
    assert.deepEqual(secret.problems, [
      {
        path: "target.kubernetes.kubeconfigPath",
        message:
          "kubeconfig and kubeconfigPath exclude each other; keep at most one of kubeconfig, kubeconfigPath or inCluster: true",
      },
    ]);
    const pasted = problemsOf({ kubeconfig: { token: TOKEN }, model: { image: "x" } });
    assert.equal(pasted.problems[0]?.path, "target.kubernetes.kubeconfig");
    for (const error of [secret, pasted]) assert.ok(!error.message.includes(TOKEN), error.message);
  });

  it("asks for a reference catalog size when none is given and none defaults it", () => {
    assert.throws(
      () => parseKubernetesTarget({ model: { reference: { model: "noop" } } }),
      /target\.kubernetes\.model\.reference\.catalogSize: required field is missing/,
    );
  });
});
