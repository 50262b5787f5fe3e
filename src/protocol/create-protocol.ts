import { get as jsonPointerGetter } from "@hyperjump/json-pointer";
import type { ProtocolSpec } from "../spec/types.ts";
import {
  flattenBatchOfOne,
  headerText,
  isObject,
  modelFromNf,
  parseAnswer,
  renderIds,
  requireItemIds,
  timingFromNf,
} from "./answer.ts";
import { parseServerTiming } from "./server-timing.ts";
import { type DecodedResponse, InvalidResponseError, type ProtocolAdapter } from "./types.ts";

const JSON_CONTENT = { "content-type": "application/json" } as const;
const ITEMS_PLACEHOLDER = "{{items}}";

/** Builds the adapter that speaks `spec`'s protocol; throws on a spec it cannot use, naming the field. */
export function createProtocol(spec: ProtocolSpec): ProtocolAdapter {
  switch (spec.kind) {
    case "etude":
      return etudeProtocol();
    case "torchserve":
      return torchServeProtocol(requireModelName(spec.model));
    case "kserve-v2":
      return kserveV2Protocol(requireModelName(spec.model));
    case "template":
      return templateProtocol(spec);
    default:
      throw new Error(
        `protocol.kind is ${JSON.stringify((spec as { kind: unknown }).kind)}, but it must be one of etude, torchserve, kserve-v2, template`,
      );
  }
}

function requireModelName(model: string): string {
  if (typeof model !== "string" || model.trim() === "") {
    throw new Error(`protocol.model is ${JSON.stringify(model)}, but it must name the served model`);
  }
  return model;
}

/**
 * The ETUDE reference protocol: `{"instances":[{"context":[ids]}],"parameters":[{"runtime":""}]}`
 * to POST /predictions/model/1.0/, answered by `{"items":[[ids]],"nf":{pre_ms, inf_ms, post_ms,
 * mname, mthreads, mdevice}}`. Timing comes from `nf`, or from Server-Timing without it.
 */
function etudeProtocol(): ProtocolAdapter {
  return {
    name: "etude",
    method: "POST",
    path: "/predictions/model/1.0/",
    headers: JSON_CONTENT,
    encodeRequest: (items) => `{"instances":[{"context":${renderIds(items)}}],"parameters":[{"runtime":""}]}`,
    decodeResponse(body, headers) {
      const answer = parseAnswer(body);
      const lists = isObject(answer) ? answer.items : undefined;
      if (!Array.isArray(lists)) {
        throw new InvalidResponseError(`the etude answer has no "items" array of item-id lists`);
      }
      const nf = isObject(answer) ? answer.nf : undefined;
      return decoded(requireItemIds(lists[0], "items[0]"), headers, nf);
    },
  };
}

/**
 * TorchServe's inference API, POST /predictions/{model} with the body `{"context":[ids]}` (what the
 * handler receives as its request data). The answer is a JSON array of ids, or `{"items":[ids]}`
 * (optionally with an etude `nf` block).
 */
function torchServeProtocol(model: string): ProtocolAdapter {
  return {
    name: "torchserve",
    method: "POST",
    path: `/predictions/${encodeURIComponent(model)}`,
    headers: JSON_CONTENT,
    encodeRequest: (items) => `{"context":${renderIds(items)}}`,
    decodeResponse(body, headers) {
      const answer = parseAnswer(body);
      if (Array.isArray(answer)) return decoded(requireItemIds(answer, "the answer"), headers);
      if (isObject(answer)) return decoded(requireItemIds(answer.items, "items"), headers, answer.nf);
      throw new InvalidResponseError(`the TorchServe answer should be an array of ids or {"items": [ids]}`);
    },
  };
}

/**
 * KServe's Open Inference Protocol v2: POST /v2/models/{model}/infer with one INT64 tensor
 * `context` of shape [1, n]; the ids are read from `outputs[0].data` (flat, or nested one level).
 */
function kserveV2Protocol(model: string): ProtocolAdapter {
  return {
    name: "kserve-v2",
    method: "POST",
    path: `/v2/models/${encodeURIComponent(model)}/infer`,
    headers: JSON_CONTENT,
    encodeRequest: (items) =>
      `{"inputs":[{"name":"context","shape":[1,${items.length}],"datatype":"INT64","data":${renderIds(items)}}]}`,
    decodeResponse(body, headers) {
      const answer = parseAnswer(body);
      const outputs = isObject(answer) ? answer.outputs : undefined;
      const first: unknown = Array.isArray(outputs) ? outputs[0] : undefined;
      if (!isObject(first)) {
        throw new InvalidResponseError(`the KServe v2 answer has no "outputs" array with a tensor`);
      }
      return decoded(requireItemIds(flattenBatchOfOne(first.data), "outputs[0].data"), headers);
    },
  };
}

/**
 * Any JSON API: the body template with every `{{items}}` replaced by the JSON array of the
 * session's ids; the ids are read from the answer at an RFC 6901 JSON pointer. Content-Type is
 * application/json unless the spec's headers set one.
 */
function templateProtocol(spec: Extract<ProtocolSpec, { kind: "template" }>): ProtocolAdapter {
  if (typeof spec.path !== "string" || !spec.path.startsWith("/")) {
    throw new Error(`protocol.path is ${JSON.stringify(spec.path)}, but it must be a path starting with "/"`);
  }
  if (spec.method !== "POST" && spec.method !== "PUT") {
    throw new Error(`protocol.method is ${JSON.stringify(spec.method)}, but it must be POST or PUT`);
  }
  if (typeof spec.body !== "string" || !spec.body.includes(ITEMS_PLACEHOLDER)) {
    throw new Error(
      `protocol.body is ${JSON.stringify(spec.body)}, but it must contain the placeholder ${ITEMS_PLACEHOLDER} where the item ids go`,
    );
  }
  let readItems: (answer: unknown) => unknown;
  try {
    const getter = jsonPointerGetter(spec.itemsPointer);
    readItems = (answer) => getter(answer as Parameters<typeof getter>[0]);
  } catch {
    throw new Error(
      `protocol.itemsPointer is ${JSON.stringify(spec.itemsPointer)}, but it must be an RFC 6901 JSON pointer such as "/items/0" or ""`,
    );
  }
  const parts = spec.body.split(ITEMS_PLACEHOLDER);
  const hasContentType = Object.keys(spec.headers).some((name) => name.toLowerCase() === "content-type");
  return {
    name: "template",
    method: spec.method,
    path: spec.path,
    headers: hasContentType ? { ...spec.headers } : { ...JSON_CONTENT, ...spec.headers },
    encodeRequest: (items) => parts.join(renderIds(items)),
    decodeResponse(body, headers) {
      const answer = parseAnswer(body);
      let items: unknown;
      try {
        items = readItems(answer);
      } catch (error) {
        throw new InvalidResponseError(
          `the answer has no value at ${JSON.stringify(spec.itemsPointer)}: ${(error as Error).message}`,
        );
      }
      return decoded(requireItemIds(items, `the answer at ${JSON.stringify(spec.itemsPointer)}`), headers);
    },
  };
}

function decoded(
  items: number[],
  headers: Record<string, string | string[] | undefined>,
  nf?: unknown,
): DecodedResponse {
  const result: DecodedResponse = { items };
  const serverTiming = timingFromNf(nf) ?? parseServerTiming(headerText(headers, "server-timing"));
  if (serverTiming !== undefined) result.serverTiming = serverTiming;
  const model = modelFromNf(nf);
  if (model !== undefined) result.model = model;
  return result;
}
