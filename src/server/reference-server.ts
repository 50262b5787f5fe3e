import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { ReferenceModel } from "../spec/types.ts";
import { createInPlaceEngine, type InferenceEngine } from "./inference-engine.ts";
import {
  createReferenceModel,
  createSyntheticWeights,
  DEFAULT_SEED,
  DEFAULT_TOP_K,
  validateModelOptions,
} from "./models.ts";
import {
  etudePayload,
  kserveV2Payload,
  type PayloadCodec,
  type PhaseTimes,
  renderIdList,
  renderServerTiming,
  torchServePayload,
} from "./payloads.ts";
import { ClientGoneError, readBody } from "./read-body.ts";
import { errorBody, RequestError } from "./request-error.ts";
import { startWorkerPool } from "./worker-pool.ts";

export interface ReferenceServerOptions {
  model: ReferenceModel;
  catalogSize: number;
  /** Recommendations per answer; 21 by default. */
  topK?: number;
  /** 127.0.0.1 by default. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Inference worker threads; 0 (the default) runs inference on the main thread. */
  workers?: number;
  /** Seeds the synthetic model's weights; the same seed gives the same answers. */
  seed?: number;
  /** Largest accepted request body; 1 MiB by default. */
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export interface ReferenceServer {
  /** Base URL, such as http://127.0.0.1:41234 */
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** The etude protocol's path: TorchServe's route for model "model", version 1.0. */
export const ETUDE_PREDICTION_PATH = "/predictions/model/1.0/";
/** The model name every route accepts besides the served model's own ("noop" or "synthetic"). */
export const GENERIC_MODEL_NAME = "model";

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * The reference inference server behind `etude serve`: the embedded benchmark target, the
 * infrastructure test (model "noop") and a realistic SBR cost model (model "synthetic").
 * Routes: POST /predictions/model/1.0/ (etude), GET /ping, POST /predictions/{model}[/{version}]
 * (TorchServe), and KServe v2: POST /v2/models/{model}/infer, GET /v2/health/ready, GET /v2/health/live,
 * GET /v2/models/{model}/ready, GET /v2/models/{model}.
 */
export async function startReferenceServer(options: ReferenceServerOptions): Promise<ReferenceServer> {
  const settings = validateServerOptions(options);
  const { model: modelName, catalogSize, topK, seed, workers, maxBodyBytes, log } = settings;

  const engine: InferenceEngine =
    workers === 0
      ? createInPlaceEngine(createReferenceModel({ model: modelName, catalogSize, topK, seed }))
      : await startWorkerPool(
          workers,
          {
            catalogSize,
            topK,
            ...(modelName === "synthetic"
              ? { weights: createSyntheticWeights(catalogSize, seed, true) }
              : {}),
          },
          log,
        );

  const predict = async (
    request: IncomingMessage,
    response: ServerResponse,
    codec: PayloadCodec,
  ): Promise<void> => {
    const body = await readBody(request, maxBodyBytes);
    const preStarted = performance.now();
    const sessions = codec.decode(body, catalogSize);
    const preMs = performance.now() - preStarted;
    const result = await engine.infer(sessions);
    const postStarted = performance.now();
    const lists = result.items.map(renderIdList);
    const counts = result.items.map((items) => items.length);
    const timing: PhaseTimes = { preMs, infMs: result.infMs, postMs: performance.now() - postStarted };
    if (result.queueMs !== undefined) timing.queueMs = result.queueMs;
    const answer = codec.encode(lists, counts, { modelName, threads: engine.threads, timing });
    send(response, 200, answer, { "server-timing": renderServerTiming(timing) });
  };

  const requireModel = (encodedName: string): void => {
    let name: string;
    try {
      name = decodeURIComponent(encodedName);
    } catch {
      name = encodedName;
    }
    if (name !== modelName && name !== GENERIC_MODEL_NAME) {
      throw new RequestError(
        404,
        "model",
        `model ${JSON.stringify(name)} is not served here; use "${modelName}" or "${GENERIC_MODEL_NAME}"`,
      );
    }
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = request.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const method = request.method ?? "GET";
    const allow = (allowed: "GET" | "POST"): void => {
      if (method !== allowed) {
        response.setHeader("allow", allowed);
        throw new RequestError(405, "method", `${method} ${path} is not allowed; use ${allowed}`);
      }
    };

    if (path === ETUDE_PREDICTION_PATH || path === ETUDE_PREDICTION_PATH.slice(0, -1)) {
      allow("POST");
      return predict(request, response, etudePayload);
    }
    if (path === "/ping") {
      allow("GET");
      return send(response, 200, '{"status":"Healthy"}');
    }
    const segments = path.split("/");
    // A leading "/" makes segments[0] empty; a trailing "/" adds an empty last segment.
    if (segments.at(-1) === "" && segments.length > 2) segments.pop();
    const [, root, second, third, fourth] = segments;
    if (root === "predictions" && second && segments.length <= 4) {
      allow("POST");
      requireModel(second);
      return predict(request, response, torchServePayload);
    }
    if (
      root === "v2" &&
      second === "health" &&
      (third === "ready" || third === "live") &&
      segments.length === 4
    ) {
      allow("GET");
      return send(response, 200, `{"${third}":true}`);
    }
    if (root === "v2" && second === "models" && third) {
      if (segments.length === 5 && fourth === "infer") {
        allow("POST");
        requireModel(third);
        return predict(request, response, kserveV2Payload);
      }
      if (segments.length === 5 && fourth === "ready") {
        allow("GET");
        requireModel(third);
        return send(response, 200, `{"name":"${modelName}","ready":true}`);
      }
      if (segments.length === 4) {
        allow("GET");
        requireModel(third);
        return send(response, 200, modelMetadata(modelName));
      }
    }
    throw new RequestError(
      404,
      "path",
      `no route for ${path}; routes: POST ${ETUDE_PREDICTION_PATH}, GET /ping, POST /predictions/{model}, ` +
        "POST /v2/models/{model}/infer, GET /v2/models/{model}/ready, GET /v2/models/{model}, GET /v2/health/ready, GET /v2/health/live",
    );
  };

  const server = createServer({ keepAlive: true }, (request, response) => {
    route(request, response).catch((error: unknown) => {
      if (error instanceof ClientGoneError) return;
      if (error instanceof RequestError) {
        // After a refused body the connection holds unread bytes: close it rather than parse them.
        const headers: Record<string, string> = error.status === 413 ? { connection: "close" } : {};
        send(response, error.status, errorBody(error.message, error.field), headers);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      log(`internal error on ${request.method} ${request.url}: ${message}`);
      send(response, 500, errorBody(`internal error: ${message}`, "server"));
    });
  });
  server.on("clientError", answerMalformedRequest);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(settings.port, settings.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : settings.port;
  const host = settings.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log(
    `etude reference server: model ${modelName}, catalog ${catalogSize}, top ${topK}, ` +
      `${workers === 0 ? "inference on the main thread" : `${workers} inference workers`}, listening on ${url}`,
  );

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    host,
    close() {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        await engine.close();
      })();
      return closed;
    },
  };
}

interface ServerSettings {
  model: ReferenceModel;
  catalogSize: number;
  topK: number;
  seed: number;
  host: string;
  port: number;
  workers: number;
  maxBodyBytes: number;
  log: (line: string) => void;
}

function validateServerOptions(options: ReferenceServerOptions): ServerSettings {
  validateModelOptions(options);
  const settings: ServerSettings = {
    model: options.model,
    catalogSize: options.catalogSize,
    topK: options.topK ?? DEFAULT_TOP_K,
    seed: options.seed ?? DEFAULT_SEED,
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    workers: options.workers ?? 0,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    log: options.log ?? (() => {}),
  };
  const requireInteger = (field: string, value: number, min: number, max: number): void => {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new RangeError(`${field} is ${value}, but it must be an integer in [${min}, ${max}]`);
    }
  };
  requireInteger("port", settings.port, 0, 65535);
  requireInteger("workers", settings.workers, 0, 256);
  requireInteger("maxBodyBytes", settings.maxBodyBytes, 1, 2 ** 30);
  if (settings.host.length === 0)
    throw new RangeError('host is "", but it must name an interface such as 127.0.0.1');
  return settings;
}

function modelMetadata(modelName: string): string {
  return JSON.stringify({
    name: modelName,
    versions: ["1"],
    platform: "etude-reference",
    inputs: [{ name: "context", datatype: "INT64", shape: [1, -1] }],
    outputs: [{ name: "items", datatype: "INT64", shape: [1, -1] }],
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...JSON_HEADERS, "content-length": Buffer.byteLength(body), ...headers });
  response.end(body);
}

/** Requests Node cannot even parse get a JSON 400 (or 431 for oversized headers) and a closed connection. */
function answerMalformedRequest(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const body = errorBody(
    tooLarge
      ? "the request headers are too large"
      : `malformed HTTP request (${error.code ?? error.message})`,
    tooLarge ? "headers" : "request",
  );
  socket.end(
    `HTTP/1.1 ${tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
