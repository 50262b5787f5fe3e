import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { connect, createRedactor, decodeKubeconfig } from "../../src/targets/kubernetes/connect.ts";

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
