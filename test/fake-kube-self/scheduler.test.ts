import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../fake-kube/object.ts";
import { schedule } from "../fake-kube/scheduler.ts";
import { matchesLabels, parseLabelSelector } from "../fake-kube/selectors.ts";

const node = (
  name: string,
  allocatable: Record<string, string>,
  extra: Partial<KubeObject> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels: { "kubernetes.io/hostname": name } },
  status: { allocatable },
  ...extra,
});

const pod = (
  name: string,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels },
  spec: { containers: [{ name: "c", image: "node:24" }], ...spec },
});

describe("scheduler", () => {
  const nodes = [
    node("a", { cpu: "8", memory: "32Gi" }),
    node("b", { cpu: "8", memory: "32Gi", "nvidia.com/gpu": "1" }),
  ];

  it("counts requests already bound to a node", () => {
    const big = { containers: [{ name: "c", image: "x", resources: { requests: { cpu: "6" } } }] };
    const bound = [pod("p1", { ...big, nodeName: "a" })];
    assert.deepEqual(schedule(pod("p2", big), nodes, bound), { node: "b" });
    bound.push(pod("p3", { ...big, nodeName: "b" }));
    assert.deepEqual(schedule(pod("p2", big), nodes, bound), {
      unschedulable: "0/2 nodes are available: 2 Insufficient cpu.",
    });
  });

  it("honours node selectors and untolerated taints", () => {
    const tainted = [
      node(
        "a",
        { cpu: "8", memory: "32Gi" },
        { spec: { taints: [{ key: "dedicated", value: "bench", effect: "NoSchedule" }] } },
      ),
      nodes[1]!,
    ];
    const selective = pod("p", { nodeSelector: { "kubernetes.io/hostname": "a" } });
    assert.deepEqual(schedule(selective, tainted, []), {
      unschedulable:
        "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: bench}.",
    });
    const tolerant = pod("p", {
      nodeSelector: { "kubernetes.io/hostname": "a" },
      tolerations: [{ key: "dedicated", operator: "Equal", value: "bench", effect: "NoSchedule" }],
    });
    assert.deepEqual(schedule(tolerant, tainted, []), { node: "a" });
  });

  it("keeps pods apart under required pod anti-affinity on the hostname", () => {
    const apart = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { role: "bench" } } },
          ],
        },
      },
    };
    const first = pod("loadgen", { ...apart, nodeName: "a" }, { role: "bench" });
    assert.deepEqual(schedule(pod("server", apart, { role: "bench" }), nodes, [first]), { node: "b" });
    const second = pod("other", { ...apart, nodeName: "b" }, { role: "bench" });
    assert.deepEqual(schedule(pod("server", apart, { role: "bench" }), nodes, [first, second]), {
      unschedulable: "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.",
    });
  });
});

describe("label selectors", () => {
  it("parses equality, set and existence requirements", () => {
    const selector = parseLabelSelector("app=model,tier!=db,env in (ci, bench),!legacy,gpu");
    assert.equal(matchesLabels(selector, { app: "model", env: "ci", gpu: "t4" }), true);
    assert.equal(matchesLabels(selector, { app: "model", env: "prod", gpu: "t4" }), false);
    assert.equal(matchesLabels(selector, { app: "model", env: "ci", gpu: "t4", legacy: "1" }), false);
    assert.equal(matchesLabels(selector, { app: "model", env: "ci" }), false);
    assert.throws(() => parseLabelSelector("a in b"), /labelSelector term "a in b"/);
  });
});
