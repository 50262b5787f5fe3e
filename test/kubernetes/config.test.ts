import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { connect, createRedactor, decodeKubeconfig } from "../../src/targets/kubernetes/connect.ts";
import { parseKubernetesTarget } from "../../src/targets/kubernetes/spec.ts";

const TOKEN = "s3cr3t-token-abcdef123456";
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: lab
    cluster: { server: "http://127.0.0.1:6443" }
  - name: other
    cluster: { server: "http://127.0.0.2:6443" }
users:
  - name: bot
    user: { token: "${TOKEN}" }
contexts:
  - name: lab
    context: { cluster: lab, user: bot }
  - name: other
    context: { cluster: other, user: bot }
current-context: lab
`;

test("a minimal target gets defaults", () => {
  const target = parseKubernetesTarget({ model: { reference: { catalogSize: 1000 } } });
  assert.equal(target.createNamespace, true);
  assert.equal(target.nodeImage, "node:24-slim");
  assert.equal(target.loadFrom, "cluster");
  assert.equal(target.model.reference?.model, "synthetic");
  assert.equal(target.model.readiness.timeout, 20 * 60_000);
  assert.equal(target.loadGenerator.pods, "auto");
});

test("durations and quantities are normalised", () => {
  const target = parseKubernetesTarget({
    ttl: "2h",
    model: {
      image: "ghcr.io/x/model:1",
      resources: { cpu: 2, memory: "4Gi", gpu: 1 },
      readiness: { timeout: "15m", period: 2000 },
    },
    loadGenerator: { startDelay: "500ms" },
  });
  assert.equal(target.ttl, 7_200_000);
  assert.equal(target.model.readiness.timeout, 900_000);
  assert.equal(target.model.readiness.period, 2000);
  assert.equal(target.model.resources.cpu, "2");
  assert.equal(target.loadGenerator.startDelay, 500);
});

test("invalid fields are named with their value and what is valid", () => {
  assert.throws(
    () =>
      parseKubernetesTarget({
        model: { image: "x", port: 70_000, readiness: { timeout: "soon" } },
        loadFrom: "moon",
      }),
    (error: Error) => {
      assert.match(error.message, /target\.kubernetes\.model\.port: .*(65535|65_535).*\(got 70000\)/);
      assert.match(
        error.message,
        /target\.kubernetes\.model\.readiness\.timeout: expected a duration .*\(got "soon"\)/,
      );
      assert.match(error.message, /target\.kubernetes\.loadFrom: .*"cluster".*"runner".*\(got "moon"\)/);
      return true;
    },
  );
  assert.throws(
    () => parseKubernetesTarget({ model: { image: "x" }, createNamespace: false }),
    /namespace.*createNamespace: false/,
  );
  assert.throws(
    () => parseKubernetesTarget({ model: { image: "x", reference: { catalogSize: 10 } } }),
    /exactly one of `reference`.*or `image`/,
  );
});

test("kubeconfig content never appears in a validation error", () => {
  assert.throws(
    () => parseKubernetesTarget({ kubeconfig: KUBECONFIG, kubeconfigPath: "/x", model: { image: "x" } }),
    (error: Error) => !error.message.includes(TOKEN) && /at most one of/.test(error.message),
  );
});

test("a kubeconfig loads from plain YAML, base64 and a file, with a chosen context", () => {
  const plain = connect({ kubeconfig: KUBECONFIG });
  assert.equal(plain.kubeConfig.getCurrentCluster()?.server, "http://127.0.0.1:6443");
  const encoded = connect({ kubeconfig: Buffer.from(KUBECONFIG).toString("base64"), context: "other" });
  assert.equal(encoded.kubeConfig.getCurrentCluster()?.server, "http://127.0.0.2:6443");
  const path = join(mkdtempSync(join(tmpdir(), "etude-kc-")), "config");
  writeFileSync(path, KUBECONFIG);
  assert.equal(connect({ kubeconfigPath: path }).kubeConfig.getCurrentUser()?.token, TOKEN);
  assert.equal(decodeKubeconfig(KUBECONFIG), KUBECONFIG);
});

test("an unknown context lists the valid ones", () => {
  assert.throws(
    () => connect({ kubeconfig: KUBECONFIG, context: "prod" }),
    /no context "prod".*valid: lab, other/,
  );
});

test("credentials are redacted from anything logged", () => {
  const connection = connect({ kubeconfig: KUBECONFIG });
  const text = connection.redact(`request failed: Authorization: Bearer ${TOKEN} (token=${TOKEN})`);
  assert.ok(!text.includes(TOKEN));
  assert.match(text, /\[redacted\]/);
  assert.ok(!connection.description.includes(TOKEN));
  const redact = createRedactor(["hunter2-password"]);
  assert.equal(redact('{"password": "hunter2-password"}'), '{"password": "[redacted]"}');
});

test("a broken inline kubeconfig fails without echoing it", () => {
  const broken = `${KUBECONFIG}\n  : : [`;
  assert.throws(
    () => connect({ kubeconfig: broken }),
    (error: Error) => !error.message.includes(TOKEN) && /inline kubeconfig/.test(error.message),
  );
});
