import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { request } from "undici";
import { createProtocol, InvalidResponseError, type ProtocolAdapter } from "../../src/protocol/index.ts";
import {
  createReferenceModel,
  type ReferenceServer,
  scoreOnce,
  startReferenceServer,
} from "../../src/server/index.ts";
import type { ProtocolSpec } from "../../src/spec/types.ts";

const CATALOG = 1000;

async function roundTrip(server: ReferenceServer, adapter: ProtocolAdapter, items: ArrayLike<number>) {
  const response = await request(server.url + adapter.path, {
    method: adapter.method,
    headers: adapter.headers,
    body: adapter.encodeRequest(items),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const body = await response.body.text();
  assert.equal(response.statusCode, 200, body);
  return adapter.decodeResponse(body, response.headers);
}

function template(overrides: Partial<Extract<ProtocolSpec, { kind: "template" }>> = {}): ProtocolSpec {
  return {
    kind: "template",
    path: "/predictions/model",
    method: "POST",
    headers: {},
    body: '{"context":{{items}}}',
    itemsPointer: "",
    ...overrides,
  };
}

describe("protocol adapters against the reference server", () => {
  let server: ReferenceServer;
  let expected: number[];
  const session = new Uint32Array([3, 14, 15, 92]);

  before(async () => {
    server = await startReferenceServer({ model: "synthetic", catalogSize: CATALOG, seed: 3 });
    expected = [
      ...scoreOnce(createReferenceModel({ model: "synthetic", catalogSize: CATALOG, seed: 3 }), session),
    ];
  });
  after(() => server.close());

  it("etude: decodes items[0], the nf timings and the model facts", async () => {
    const decoded = await roundTrip(server, createProtocol({ kind: "etude" }), session);
    assert.deepEqual(decoded.items, expected);
    const timing = decoded.serverTiming!;
    assert.ok(timing.infMs! > 0);
    const sum = timing.preMs! + timing.infMs! + timing.postMs!;
    assert.ok(Math.abs(timing.totalMs - sum) < 1e-9);
    assert.deepEqual(decoded.model, { name: "synthetic", threads: 1, device: "cpu" });
  });

  it("torchserve: sends {context} to /predictions/{model} and reads Server-Timing", async () => {
    const adapter = createProtocol({ kind: "torchserve", model: "synthetic" });
    assert.equal(adapter.path, "/predictions/synthetic");
    const decoded = await roundTrip(server, adapter, session);
    assert.deepEqual(decoded.items, expected);
    assert.ok(decoded.serverTiming!.infMs! > 0);
  });

  it("kserve-v2: sends an INT64 tensor and reads outputs[0].data", async () => {
    const adapter = createProtocol({ kind: "kserve-v2", model: "model" });
    assert.equal(adapter.path, "/v2/models/model/infer");
    assert.deepEqual(JSON.parse(adapter.encodeRequest(session)), {
      inputs: [{ name: "context", shape: [1, 4], datatype: "INT64", data: [3, 14, 15, 92] }],
    });
    const decoded = await roundTrip(server, adapter, session);
    assert.deepEqual(decoded.items, expected);
    assert.ok(decoded.serverTiming!.totalMs > 0);
  });

  it("template: fills {{items}} and reads the ids at the JSON pointer", async () => {
    const decoded = await roundTrip(server, createProtocol(template()), session);
    assert.deepEqual(decoded.items, expected);
    const etudeShaped = createProtocol(
      template({
        path: "/predictions/model/1.0/",
        method: "POST",
        body: '{"instances":[{"context":{{items}}}]}',
        itemsPointer: "/items/0",
      }),
    );
    assert.deepEqual((await roundTrip(server, etudeShaped, session)).items, expected);
  });

  it("encodes plain arrays and typed arrays alike", () => {
    const adapter = createProtocol({ kind: "etude" });
    assert.equal(adapter.encodeRequest([1, 2]), adapter.encodeRequest(new Uint32Array([1, 2])));
    assert.deepEqual(JSON.parse(adapter.encodeRequest([1, 2])), {
      instances: [{ context: [1, 2] }],
      parameters: [{ runtime: "" }],
    });
  });
});

describe("decoding answers", () => {
  const etude = createProtocol({ kind: "etude" });
  const torchserve = createProtocol({ kind: "torchserve", model: "m" });
  const kserve = createProtocol({ kind: "kserve-v2", model: "m" });
  const pointer = createProtocol(template({ itemsPointer: "/result/recs" }));

  it("accepts both TorchServe answer shapes and nested KServe data", () => {
    assert.deepEqual(torchserve.decodeResponse("[4,5]", {}).items, [4, 5]);
    assert.deepEqual(torchserve.decodeResponse('{"items":[4,5]}', {}).items, [4, 5]);
    assert.deepEqual(kserve.decodeResponse('{"outputs":[{"data":[[4,5]]}]}', {}).items, [4, 5]);
  });

  it("takes Server-Timing when the body has no timing", () => {
    const headers = { "server-timing": 'pre;dur=1, inf;dur=2.5;desc="gru, scoring", post;dur=0.5' };
    assert.deepEqual(etude.decodeResponse('{"items":[[1]]}', headers).serverTiming, {
      preMs: 1,
      infMs: 2.5,
      postMs: 0.5,
      totalMs: 4,
    });
    assert.equal(etude.decodeResponse('{"items":[[1]]}', {}).serverTiming, undefined);
  });

  it("prefers the nf block over Server-Timing", () => {
    const decoded = etude.decodeResponse('{"items":[[1]],"nf":{"inf_ms":7}}', {
      "server-timing": "inf;dur=1",
    });
    assert.deepEqual(decoded.serverTiming, { infMs: 7, totalMs: 7 });
  });

  const invalid: [string, ProtocolAdapter, string, RegExp][] = [
    ["not JSON", etude, "<html>busy</html>", /not JSON/],
    ["etude without items", etude, '{"predictions":[1]}', /no "items" array/],
    ["etude with an empty batch", etude, '{"items":[]}', /items\[0\] should be an array/],
    ["etude with an empty list", etude, '{"items":[[]]}', /empty list/],
    [
      "string ids",
      etude,
      '{"items":[["1","2"]]}',
      /items\[0\]\[0\] should be an integer item id, but is "1"/,
    ],
    ["fractional ids", torchserve, "[1, 2.5]", /the answer\[1\] should be an integer/],
    ["a TorchServe scalar", torchserve, "42", /array of ids or/],
    ["KServe without outputs", kserve, '{"error":"oom"}', /no "outputs" array/],
    ["KServe with null data", kserve, '{"outputs":[{"data":null}]}', /outputs\[0\]\.data should be an array/],
    ["a pointer to nothing", pointer, '{"result":{}}', /at "\/result\/recs" should be an array/],
    ["a pointer through a scalar", pointer, '{"result":3}', /no value at "\/result\/recs"/],
  ];
  for (const [name, adapter, body, message] of invalid) {
    it(`throws InvalidResponseError on ${name}`, () => {
      assert.throws(
        () => adapter.decodeResponse(body, {}),
        (error: unknown) => error instanceof InvalidResponseError && message.test(error.message),
      );
    });
  }
});

describe("adapter configuration", () => {
  it("puts the ids wherever {{items}} stands and keeps the spec's method and headers", () => {
    const adapter = createProtocol(
      template({
        method: "PUT",
        path: "/score",
        headers: { "Content-Type": "application/vnd.api+json", "x-tenant": "a" },
        body: '{"a":{{items}},"b":{{items}}}',
      }),
    );
    assert.equal(adapter.method, "PUT");
    assert.equal(adapter.path, "/score");
    assert.deepEqual(adapter.headers, { "Content-Type": "application/vnd.api+json", "x-tenant": "a" });
    assert.equal(adapter.encodeRequest([7, 8]), '{"a":[7,8],"b":[7,8]}');
    assert.equal(createProtocol(template()).headers["content-type"], "application/json");
  });

  it("escapes the model name in paths", () => {
    assert.equal(createProtocol({ kind: "torchserve", model: "a b/c" }).path, "/predictions/a%20b%2Fc");
  });

  it("refuses unusable specs, naming the field and what is valid", () => {
    assert.throws(
      () => createProtocol(template({ body: '{"context":[]}' })),
      /protocol\.body .* must contain the placeholder \{\{items\}\}/,
    );
    assert.throws(
      () => createProtocol(template({ itemsPointer: "items/0" })),
      /protocol\.itemsPointer is "items\/0", but it must be an RFC 6901 JSON pointer/,
    );
    assert.throws(() => createProtocol(template({ path: "score" })), /protocol\.path is "score"/);
    assert.throws(
      () => createProtocol({ kind: "torchserve", model: " " }),
      /protocol\.model is " ", but it must name the served model/,
    );
    assert.throws(
      () => createProtocol({ kind: "grpc" } as unknown as ProtocolSpec),
      /protocol\.kind is "grpc", but it must be one of/,
    );
  });
});
