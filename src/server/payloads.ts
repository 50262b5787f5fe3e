import { RequestError } from "./request-error.ts";

/**
 * Request bodies and answers of the three wire formats the reference server speaks. Decoding
 * validates every item id; encoding builds the JSON by hand because it sits on the hot path.
 */
export interface PayloadCodec {
  /** The sessions of one request, each a non-empty list of item ids in [0, catalogSize). */
  decode(body: string, catalogSize: number): Uint32Array[];
  /** `lists` holds each session's recommendations already rendered as JSON arrays. */
  encode(lists: readonly string[], counts: readonly number[], meta: AnswerMeta): string;
}

/** What a prediction's phases took on the server, milliseconds. */
export interface PhaseTimes {
  preMs: number;
  infMs: number;
  postMs: number;
  /** Waiting for and travelling to and from an inference worker; absent on the main thread. */
  queueMs?: number;
}

export interface AnswerMeta {
  modelName: string;
  threads: number;
  timing: PhaseTimes;
}

export function renderIdList(ids: readonly number[]): string {
  return `[${ids.join(",")}]`;
}

export function renderServerTiming(timing: PhaseTimes): string {
  const phases = `pre;dur=${ms(timing.preMs)}, inf;dur=${ms(timing.infMs)}, post;dur=${ms(timing.postMs)}`;
  return timing.queueMs === undefined ? phases : `${phases}, queue;dur=${ms(timing.queueMs)}`;
}

function ms(value: number): string {
  return value.toFixed(3);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new RequestError(400, "body", `the body is not valid JSON (${(error as Error).message})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value);
}

function readSession(value: unknown, field: string, catalogSize: number): Uint32Array {
  if (!Array.isArray(value)) {
    throw new RequestError(400, field, `${field} is ${describe(value)}, but it must be an array of item ids`);
  }
  if (value.length === 0) {
    throw new RequestError(400, field, `${field} is empty, but a session needs at least one clicked item`);
  }
  const session = new Uint32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const id: unknown = value[i];
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= catalogSize) {
      throw new RequestError(
        400,
        `${field}[${i}]`,
        `${field}[${i}] is ${describe(id)}, but item ids must be integers in [0, ${catalogSize})`,
      );
    }
    session[i] = id;
  }
  return session;
}

/** `{"instances":[{"context":[ids]}],"parameters":[{"runtime":""}]}` in, `{"items":[[ids]],"nf":{...}}` out. */
export const etudePayload: PayloadCodec = {
  decode(body, catalogSize) {
    const request = parseJson(body);
    const instances = isObject(request) ? request.instances : undefined;
    if (!Array.isArray(instances) || instances.length === 0) {
      throw new RequestError(
        400,
        "instances",
        `instances is ${describe(instances)}, but it must be a non-empty array of {"context": [item ids]}`,
      );
    }
    return instances.map((instance, i) => {
      if (!isObject(instance)) {
        throw new RequestError(
          400,
          `instances[${i}]`,
          `instances[${i}] is ${describe(instance)}, but it must be an object {"context": [item ids]}`,
        );
      }
      return readSession(instance.context, `instances[${i}].context`, catalogSize);
    });
  },
  encode(lists, _counts, { modelName, threads, timing }) {
    const queue = timing.queueMs === undefined ? "" : `,"queue_ms":${ms(timing.queueMs)}`;
    return (
      `{"items":[${lists.join(",")}],"nf":{"pre_ms":${ms(timing.preMs)},"inf_ms":${ms(timing.infMs)},` +
      `"post_ms":${ms(timing.postMs)}${queue},"mname":"${modelName}","mthreads":${threads},"mdevice":"cpu"}}`
    );
  },
};

/** TorchServe-style: `{"context":[ids]}` in, a JSON array of ids out. */
export const torchServePayload: PayloadCodec = {
  decode(body, catalogSize) {
    const request = parseJson(body);
    if (!isObject(request)) {
      throw new RequestError(
        400,
        "body",
        `the body is ${describe(request)}, but it must be {"context": [item ids]}`,
      );
    }
    return [readSession(request.context, "context", catalogSize)];
  },
  encode(lists) {
    return lists[0]!;
  },
};

const INTEGER_DATATYPES = ["INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"];

/**
 * KServe Open Inference Protocol v2: one integer input tensor of shape [1, n] or [n] holding the
 * session (flat, or nested one level); one INT64 output tensor `items` of shape [1, k].
 */
export const kserveV2Payload: PayloadCodec = {
  decode(body, catalogSize) {
    const request = parseJson(body);
    const inputs = isObject(request) ? request.inputs : undefined;
    if (!Array.isArray(inputs) || inputs.length !== 1) {
      throw new RequestError(
        400,
        "inputs",
        `inputs is ${describe(inputs)}${Array.isArray(inputs) ? ` of ${inputs.length} tensors` : ""}, but it must be an array of exactly one tensor {"name":"context","shape":[1,n],"datatype":"INT64","data":[item ids]}`,
      );
    }
    const input: unknown = inputs[0];
    if (!isObject(input)) {
      throw new RequestError(
        400,
        "inputs[0]",
        `inputs[0] is ${describe(input)}, but it must be a tensor object`,
      );
    }
    if (typeof input.datatype !== "string" || !INTEGER_DATATYPES.includes(input.datatype)) {
      throw new RequestError(
        400,
        "inputs[0].datatype",
        `inputs[0].datatype is ${describe(input.datatype)}, but it must be one of ${INTEGER_DATATYPES.join(", ")}`,
      );
    }
    const data =
      Array.isArray(input.data) && input.data.length === 1 && Array.isArray(input.data[0])
        ? input.data[0]
        : input.data;
    const session = readSession(data, "inputs[0].data", catalogSize);
    const shape = input.shape;
    const validShape =
      Array.isArray(shape) &&
      ((shape.length === 1 && shape[0] === session.length) ||
        (shape.length === 2 && shape[0] === 1 && shape[1] === session.length));
    if (!validShape) {
      throw new RequestError(
        400,
        "inputs[0].shape",
        `inputs[0].shape is ${JSON.stringify(shape) ?? "missing"}, but it must be [1, ${session.length}] (batch size 1, the session's length)`,
      );
    }
    return [session];
  },
  encode(lists, counts, { modelName }) {
    return (
      `{"model_name":"${modelName}","model_version":"1","outputs":[{"name":"items","shape":[1,${counts[0]}],` +
      `"datatype":"INT64","data":${lists[0]}}]}`
    );
  },
};
