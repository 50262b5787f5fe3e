import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { type ReferenceServer, startReferenceServer } from "../../src/server/index.ts";

const CATALOG = 1000;

async function call(
  server: ReferenceServer,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const response = await fetch(server.url + path, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

function etudeBody(context: unknown): string {
  return JSON.stringify({ instances: [{ context }], parameters: [{ runtime: "" }] });
}

/** Writes raw bytes, optionally half-closes, and collects whatever comes back until the socket closes. */
function raw(
  server: ReferenceServer,
  text: string,
  options: { endAfterWrite?: boolean; destroyAfterMs?: number },
) {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(server.port, server.host);
    let received = "";
    const timer = setTimeout(() => socket.destroy(), options.destroyAfterMs ?? 5000);
    socket.on("data", (chunk) => {
      received += chunk.toString();
    });
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(text, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}

describe("reference server routes", () => {
  let server: ReferenceServer;
  const lines: string[] = [];
  before(async () => {
    server = await startReferenceServer({
      model: "synthetic",
      catalogSize: CATALOG,
      seed: 11,
      log: (line) => lines.push(line),
    });
  });
  after(() => server.close());

  it("listens on an ephemeral loopback port and logs where", () => {
    assert.equal(server.host, "127.0.0.1");
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    assert.match(lines.join("\n"), new RegExp(`listening on ${server.url}`));
  });

  it("answers the etude protocol with top-k ids, the nf block and Server-Timing", async () => {
    const { status, json, headers } = await call(
      server,
      "POST",
      "/predictions/model/1.0/",
      etudeBody([1, 2, 3]),
    );
    assert.equal(status, 200);
    const answer = json as { items: number[][]; nf: Record<string, unknown> };
    assert.equal(answer.items.length, 1);
    assert.equal(answer.items[0]!.length, 21);
    assert.equal(new Set(answer.items[0]).size, 21);
    for (const id of answer.items[0]!) assert.ok(Number.isInteger(id) && id >= 0 && id < CATALOG);
    assert.equal(answer.nf.mname, "synthetic");
    assert.equal(answer.nf.mthreads, 1);
    assert.equal(answer.nf.mdevice, "cpu");
    for (const key of ["pre_ms", "inf_ms", "post_ms"]) {
      assert.ok(typeof answer.nf[key] === "number" && (answer.nf[key] as number) >= 0, key);
    }
    assert.match(headers.get("server-timing") ?? "", /^pre;dur=[\d.]+, inf;dur=[\d.]+, post;dur=[\d.]+$/);
  });

  it("answers one list per instance of a batch", async () => {
    const { json } = await call(
      server,
      "POST",
      "/predictions/model/1.0/",
      JSON.stringify({ instances: [{ context: [4] }, { context: [5, 6] }] }),
    );
    const single = await call(server, "POST", "/predictions/model/1.0/", etudeBody([5, 6]));
    const items = (json as { items: number[][] }).items;
    assert.equal(items.length, 2);
    assert.deepEqual(items[1], (single.json as { items: number[][] }).items[0]);
  });

  it("gives the same recommendations on every protocol", async () => {
    const etude = await call(server, "POST", "/predictions/model/1.0", etudeBody([7, 8]));
    const torch = await call(server, "POST", "/predictions/synthetic", JSON.stringify({ context: [7, 8] }));
    const torchVersioned = await call(
      server,
      "POST",
      "/predictions/model/2.0",
      JSON.stringify({ context: [7, 8] }),
    );
    const kserve = await call(
      server,
      "POST",
      "/v2/models/synthetic/infer",
      JSON.stringify({ inputs: [{ name: "context", shape: [1, 2], datatype: "INT64", data: [7, 8] }] }),
    );
    const expected = (etude.json as { items: number[][] }).items[0];
    assert.deepEqual(torch.json, expected);
    assert.deepEqual(torchVersioned.json, expected);
    assert.match(torch.headers.get("server-timing") ?? "", /inf;dur=/);
    const output = (
      kserve.json as { model_name: string; outputs: { name: string; shape: number[]; data: number[] }[] }
    ).outputs[0]!;
    assert.equal((kserve.json as { model_name: string }).model_name, "synthetic");
    assert.deepEqual(output.shape, [1, 21]);
    assert.deepEqual(output.data, expected);
  });

  it("answers readiness and metadata probes", async () => {
    assert.deepEqual((await call(server, "GET", "/ping")).json, { status: "Healthy" });
    assert.deepEqual((await call(server, "GET", "/v2/health/ready")).json, { ready: true });
    assert.deepEqual((await call(server, "GET", "/v2/health/live")).json, { live: true });
    assert.deepEqual((await call(server, "GET", "/v2/models/model/ready")).json, {
      name: "synthetic",
      ready: true,
    });
    const metadata = await call(server, "GET", "/v2/models/synthetic");
    assert.equal((metadata.json as { name: string }).name, "synthetic");
  });

  const badRequests: [string, string, string | undefined, number, string, RegExp][] = [
    ["malformed JSON", "/predictions/model/1.0/", "{nope", 400, "body", /not valid JSON/],
    ["missing instances", "/predictions/model/1.0/", "{}", 400, "instances", /non-empty array/],
    ["empty instances", "/predictions/model/1.0/", '{"instances":[]}', 400, "instances", /non-empty array/],
    ["instance not an object", "/predictions/model/1.0/", '{"instances":[3]}', 400, "instances[0]", /object/],
    [
      "missing context",
      "/predictions/model/1.0/",
      '{"instances":[{}]}',
      400,
      "instances[0].context",
      /missing/,
    ],
    ["empty session", "/predictions/model/1.0/", etudeBody([]), 400, "instances[0].context", /at least one/],
    [
      "string id",
      "/predictions/model/1.0/",
      etudeBody([1, "2"]),
      400,
      "instances[0].context[1]",
      /integers in \[0, 1000\)/,
    ],
    ["fractional id", "/predictions/model/1.0/", etudeBody([1.5]), 400, "instances[0].context[0]", /is 1.5/],
    ["negative id", "/predictions/model/1.0/", etudeBody([-1]), 400, "instances[0].context[0]", /is -1/],
    [
      "id past the catalog",
      "/predictions/model/1.0/",
      etudeBody([1000]),
      400,
      "instances[0].context[0]",
      /is 1000/,
    ],
    [
      "torchserve without context",
      "/predictions/model",
      '{"items":[1]}',
      400,
      "context",
      /array of item ids/,
    ],
    ["torchserve body not an object", "/predictions/model", "[1,2]", 400, "body", /must be \{"context"/],
    ["kserve without inputs", "/v2/models/model/infer", "{}", 400, "inputs", /exactly one tensor/],
    [
      "kserve float tensor",
      "/v2/models/model/infer",
      '{"inputs":[{"name":"context","shape":[1,1],"datatype":"FP32","data":[1]}]}',
      400,
      "inputs[0].datatype",
      /INT64/,
    ],
    [
      "kserve wrong shape",
      "/v2/models/model/infer",
      '{"inputs":[{"name":"context","shape":[2,1],"datatype":"INT64","data":[1]}]}',
      400,
      "inputs[0].shape",
      /\[1, 1\]/,
    ],
    ["unknown model", "/v2/models/gru4rec/infer", "{}", 404, "model", /"gru4rec" is not served here/],
    ["unknown route", "/predict", "{}", 404, "path", /no route for \/predict/],
  ];
  for (const [name, path, body, status, field, message] of badRequests) {
    it(`refuses ${name} with ${status}, naming ${field}`, async () => {
      const answer = await call(server, "POST", path, body);
      assert.equal(answer.status, status);
      const error = answer.json as { error: string; field: string };
      assert.equal(error.field, field);
      assert.match(error.error, message);
    });
  }

  it("refuses a wrong method with 405 and Allow", async () => {
    const post = await call(server, "POST", "/ping", "{}");
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET");
    assert.deepEqual(post.json, { error: "POST /ping is not allowed; use GET", field: "method" });
    const get = await call(server, "GET", "/predictions/model/1.0/");
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
  });

  it("survives a batch of garbage and still answers", async () => {
    const garbage = [
      "",
      "null",
      "0",
      '"text"',
      "[]",
      "{}",
      '{"instances":null}',
      '{"instances":[{"context":null}]}',
      '{"instances":[{"context":[null]}]}',
      '{"instances":[{"context":[1e400]}]}',
      '{"instances":[{"context":[{"id":1}]}]}',
      '{"instances":[{"context":[[1]]}]}',
      '{"instances":[{"context":"1,2"}]}',
      "\u0000\u00ff\ufffd",
      "{".repeat(10_000),
      `{"instances":[{"context":[${"9,".repeat(1000)}true]}]}`,
    ];
    for (const body of garbage) {
      for (const path of ["/predictions/model/1.0/", "/predictions/model", "/v2/models/model/infer"]) {
        const answer = await call(server, "POST", path, body);
        assert.equal(answer.status, 400, `${path} ${body.slice(0, 40)}`);
        assert.equal(typeof (answer.json as { field: string }).field, "string");
      }
    }
    assert.equal((await call(server, "GET", "/ping")).status, 200);
  });

  it("answers malformed HTTP with a JSON 400", async () => {
    const answer = await raw(server, "NOT HTTP AT ALL\r\n\r\n", {});
    assert.match(answer, /^HTTP\/1.1 400 Bad Request/);
    assert.match(answer, /"field":"request"/);
  });

  it("survives a body cut off mid-stream and a client that disconnects", async () => {
    const head = `POST /predictions/model/1.0/ HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n`;
    const cutOff = await raw(server, `${head}{"instances":[{"cont`, { endAfterWrite: true });
    assert.doesNotMatch(cutOff, /200 OK/);
    await raw(server, `${head}{"instances":`, { destroyAfterMs: 50 });
    await raw(
      server,
      'POST /predictions/model/1.0/ HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"ins',
      {
        destroyAfterMs: 50,
      },
    );
    await raw(
      server,
      `POST /predictions/model/1.0/ HTTP/1.1\r\nhost: x\r\ncontent-length: ${etudeBody([1]).length}\r\n\r\n${etudeBody([1])}`,
      {
        destroyAfterMs: 1,
      },
    );
    assert.equal((await call(server, "GET", "/ping")).status, 200);
    assert.equal((await call(server, "POST", "/predictions/model/1.0/", etudeBody([1]))).status, 200);
  });
});

describe("reference server body limit", () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startReferenceServer({ model: "noop", catalogSize: CATALOG, maxBodyBytes: 256 });
  });
  after(() => server.close());

  it("refuses a declared oversized body with 413 before reading it", async () => {
    const head =
      "POST /predictions/model/1.0/ HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000000\r\n\r\n";
    const answer = await raw(server, `${head}{"instances":`, {});
    assert.match(answer, /^HTTP\/1.1 413 /);
    assert.match(answer, /"field":"body"/);
    assert.match(answer, /the limit is 256 bytes \(maxBodyBytes\)/);
  });

  it("refuses a streamed oversized body with 413", async () => {
    const chunk = "x".repeat(300);
    const head = "POST /predictions/model/1.0/ HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n";
    const answer = await raw(server, `${head}${chunk.length.toString(16)}\r\n${chunk}\r\n`, {});
    assert.match(answer, /^HTTP\/1.1 413 /);
    assert.match(answer, /more than 256 bytes/);
  });

  it("still serves bodies within the limit, noop answering the first ids", async () => {
    const answer = await call(server, "POST", "/predictions/model/1.0/", etudeBody([500]));
    assert.equal(answer.status, 200);
    const body = answer.json as { items: number[][]; nf: { mname: string } };
    assert.deepEqual(
      body.items[0],
      Array.from({ length: 21 }, (_, id) => id),
    );
    assert.equal(body.nf.mname, "noop");
  });

  it("refuses bad options naming the field", async () => {
    await assert.rejects(
      startReferenceServer({ model: "noop", catalogSize: 10, workers: -1 }),
      /workers is -1, but it must be an integer in \[0, 256\]/,
    );
    await assert.rejects(
      startReferenceServer({ model: "noop", catalogSize: 10, port: 70000 }),
      /port is 70000/,
    );
    await assert.rejects(
      startReferenceServer({ model: "noop", catalogSize: 10, maxBodyBytes: 0 }),
      /maxBodyBytes is 0/,
    );
  });
});

describe("reference server with worker threads", () => {
  it("gives the same answers as the main thread for the same seed", async () => {
    const inPlace = await startReferenceServer({ model: "synthetic", catalogSize: CATALOG, seed: 5 });
    const pooled = await startReferenceServer({
      model: "synthetic",
      catalogSize: CATALOG,
      seed: 5,
      workers: 2,
    });
    try {
      const sessions = [[0], [1, 2, 3], [999, 0, 500, 500], [42, 17]];
      const answers = await Promise.all(
        sessions.map((session) => call(pooled, "POST", "/predictions/model/1.0/", etudeBody(session))),
      );
      for (const [i, session] of sessions.entries()) {
        const expected = await call(inPlace, "POST", "/predictions/model/1.0/", etudeBody(session));
        assert.deepEqual(
          answers[i]!.json && (answers[i]!.json as { items: unknown }).items,
          (expected.json as { items: unknown }).items,
        );
      }
      const nf = (answers[0]!.json as { nf: { mthreads: number; queue_ms: number } }).nf;
      assert.equal(nf.mthreads, 2);
      assert.ok(nf.queue_ms >= 0);
      assert.match(answers[0]!.headers.get("server-timing") ?? "", /queue;dur=/);
    } finally {
      await Promise.all([inPlace.close(), pooled.close()]);
    }
  });
});
