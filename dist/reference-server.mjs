import { createRequire as etudeCreateRequire } from "node:module";
const require = etudeCreateRequire(import.meta.url);

// src/server/embedding-dimension.ts
function embeddingDimension(catalogSize) {
  if (!Number.isSafeInteger(catalogSize) || catalogSize < 1) {
    throw new RangeError(`catalogSize is ${catalogSize}, but it must be a positive integer`);
  }
  let dimension = 1;
  while (dimension ** 4 < catalogSize) dimension *= 2;
  return dimension;
}

// src/server/random.ts
var TWO_POW_32 = 4294967296;
var TWO_POW_53 = 9007199254740992;
function rotateLeft(value, bits) {
  return value << bits | value >>> 32 - bits;
}
function createSeededRandom(seed) {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed is ${seed}, but it must be a non-negative safe integer`);
  }
  let mix = seed >>> 0 ^ Math.imul(Math.floor(seed / TWO_POW_32), 2654435769);
  const splitmix32 = () => {
    mix = mix + 2654435769 | 0;
    let z = mix;
    z = Math.imul(z ^ z >>> 16, 2246822507);
    z = Math.imul(z ^ z >>> 13, 3266489909);
    return z ^ z >>> 16;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();
  const nextUint32 = () => {
    const result = Math.imul(rotateLeft(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotateLeft(d, 11);
    return result;
  };
  return {
    nextUint32,
    nextDouble: () => ((nextUint32() >>> 11) * TWO_POW_32 + nextUint32()) / TWO_POW_53
  };
}

// src/server/top-k.ts
var TopK = class {
  k;
  #ids;
  #scores;
  #size = 0;
  #floor = Number.NEGATIVE_INFINITY;
  constructor(k) {
    if (!Number.isSafeInteger(k) || k < 1) {
      throw new RangeError(`topK is ${k}, but it must be a positive integer`);
    }
    this.k = k;
    this.#ids = new Uint32Array(k);
    this.#scores = new Float64Array(k);
  }
  /** Scores below the floor can never enter; -Infinity until k pairs are kept. */
  get floor() {
    return this.#floor;
  }
  clear() {
    this.#size = 0;
    this.#floor = Number.NEGATIVE_INFINITY;
  }
  offer(id, score) {
    const ids = this.#ids;
    const scores = this.#scores;
    if (this.#size < this.k) {
      let child = this.#size++;
      while (child > 0) {
        const parent = child - 1 >> 1;
        if (!isWorse(score, id, scores[parent], ids[parent])) break;
        ids[child] = ids[parent];
        scores[child] = scores[parent];
        child = parent;
      }
      ids[child] = id;
      scores[child] = score;
      if (this.#size === this.k) this.#floor = scores[0];
      return;
    }
    if (!isWorse(scores[0], ids[0], score, id)) return;
    this.#siftDownFromRoot(id, score);
    this.#floor = scores[0];
  }
  /** The kept ids, best first. */
  ids() {
    const order = Array.from({ length: this.#size }, (_, slot) => slot);
    const ids = this.#ids;
    const scores = this.#scores;
    order.sort((x, y) => scores[y] - scores[x] || ids[x] - ids[y]);
    return order.map((slot) => ids[slot]);
  }
  #siftDownFromRoot(id, score) {
    const ids = this.#ids;
    const scores = this.#scores;
    const size = this.#size;
    let parent = 0;
    for (; ; ) {
      let child = 2 * parent + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && isWorse(scores[right], ids[right], scores[child], ids[child])) child = right;
      if (!isWorse(scores[child], ids[child], score, id)) break;
      ids[parent] = ids[child];
      scores[parent] = scores[child];
      parent = child;
    }
    ids[parent] = id;
    scores[parent] = score;
  }
};
function isWorse(score, id, otherScore, otherId) {
  return score < otherScore || score === otherScore && id > otherId;
}

// src/server/models.ts
var DEFAULT_TOP_K = 21;
var DEFAULT_SEED = 42;
function createSyntheticWeights(catalogSize, seed, shared = false) {
  const dimension = embeddingDimension(catalogSize);
  const random = createSeededRandom(seed);
  const allocate = (length) => {
    const bytes = length * Float32Array.BYTES_PER_ELEMENT;
    try {
      return shared ? new Float32Array(new SharedArrayBuffer(bytes)) : new Float32Array(length);
    } catch (error) {
      throw new RangeError(
        `cannot allocate ${(bytes / 2 ** 20).toFixed(0)} MiB of weights for catalogSize ${catalogSize} (d = ${dimension})`,
        { cause: error }
      );
    }
  };
  const fill = (values) => {
    const scale = 2 / Math.sqrt(dimension) / 4294967296;
    const offset = 1 / Math.sqrt(dimension);
    for (let i = 0; i < values.length; i++) values[i] = random.nextUint32() * scale - offset;
    return values;
  };
  const gru = fill(allocate(6 * dimension * dimension + 3 * dimension));
  const embeddings = fill(allocate(catalogSize * dimension));
  return { catalogSize, dimension, embeddings, gru };
}
var SyntheticModel = class {
  name = "synthetic";
  catalogSize;
  topK;
  dimension;
  embeddings;
  #gru;
  #hidden;
  #update;
  #reset;
  #best;
  constructor(weights, topK = DEFAULT_TOP_K) {
    const { catalogSize, dimension, embeddings, gru } = weights;
    if (embeddings.length !== catalogSize * dimension) {
      throw new RangeError(
        `embeddings hold ${embeddings.length} values, but catalogSize x dimension is ${catalogSize * dimension}`
      );
    }
    if (gru.length !== 6 * dimension * dimension + 3 * dimension) {
      throw new RangeError(
        `gru holds ${gru.length} values, but a GRU cell of dimension ${dimension} needs ${6 * dimension * dimension + 3 * dimension}`
      );
    }
    this.catalogSize = catalogSize;
    this.topK = topK;
    this.dimension = dimension;
    this.embeddings = embeddings;
    this.#gru = gru;
    this.#hidden = new Float64Array(dimension);
    this.#update = new Float64Array(dimension);
    this.#reset = new Float64Array(dimension);
    this.#best = new TopK(topK);
  }
  /** The session vector: the GRU's last hidden state after the session's clicks. */
  encodeSession(session) {
    return this.#encode(session).slice();
  }
  /** The score of every item for a session, for checking the top-k against a full sort. */
  scoreAll(session) {
    const hidden = this.#encode(session);
    const scores = new Float64Array(this.catalogSize);
    for (let id = 0, row = 0; id < this.catalogSize; id++, row += this.dimension) {
      scores[id] = innerProduct(this.embeddings, row, hidden, this.dimension);
    }
    return scores;
  }
  recommend(session) {
    const hidden = this.#encode(session);
    const embeddings = this.embeddings;
    const dimension = this.dimension;
    const catalogSize = this.catalogSize;
    const best = this.#best;
    best.clear();
    let floor = best.floor;
    for (let id = 0, row = 0; id < catalogSize; id++, row += dimension) {
      const score = innerProduct(embeddings, row, hidden, dimension);
      if (score >= floor) {
        best.offer(id, score);
        floor = best.floor;
      }
    }
    return best.ids();
  }
  #encode(session) {
    const d = this.dimension;
    const gru = this.#gru;
    const hidden = this.#hidden;
    const update = this.#update;
    const reset = this.#reset;
    const square = d * d;
    const bias = 6 * square;
    hidden.fill(0);
    for (let step = 0; step < session.length; step++) {
      const row = session[step] * d;
      for (let i = 0; i < d; i++) {
        update[i] = sigmoid(
          gateInput(gru, i * d, this.embeddings, row, d) + gateHidden(gru, 3 * square + i * d, hidden, d) + gru[bias + i]
        );
        reset[i] = sigmoid(
          gateInput(gru, square + i * d, this.embeddings, row, d) + gateHidden(gru, 4 * square + i * d, hidden, d) + gru[bias + d + i]
        );
      }
      for (let i = 0; i < d; i++) {
        const candidate = Math.tanh(
          gateInput(gru, 2 * square + i * d, this.embeddings, row, d) + reset[i] * gateHidden(gru, 5 * square + i * d, hidden, d) + gru[bias + 2 * d + i]
        );
        reset[i] = candidate;
      }
      for (let i = 0; i < d; i++) {
        hidden[i] = (1 - update[i]) * reset[i] + update[i] * hidden[i];
      }
    }
    return hidden;
  }
};
function innerProduct(embeddings, row, vector, dimension) {
  const end = row + dimension;
  let s0 = 0;
  if ((dimension & 3) !== 0) {
    for (let e = row, j = 0; e < end; e++, j++) s0 += embeddings[e] * vector[j];
    return s0;
  }
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let e = row, j = 0; e < end; e += 4, j += 4) {
    s0 += embeddings[e] * vector[j];
    s1 += embeddings[e + 1] * vector[j + 1];
    s2 += embeddings[e + 2] * vector[j + 2];
    s3 += embeddings[e + 3] * vector[j + 3];
  }
  return s0 + s1 + (s2 + s3);
}
function gateInput(gru, offset, embeddings, row, d) {
  let sum = 0;
  for (let j = 0; j < d; j++) sum += gru[offset + j] * embeddings[row + j];
  return sum;
}
function gateHidden(gru, offset, hidden, d) {
  let sum = 0;
  for (let j = 0; j < d; j++) sum += gru[offset + j] * hidden[j];
  return sum;
}
function sigmoid(x) {
  return 1 / (1 + Math.exp(-x));
}
var NoopModel = class {
  name = "noop";
  catalogSize;
  topK;
  #answer;
  constructor(catalogSize, topK = DEFAULT_TOP_K) {
    this.catalogSize = catalogSize;
    this.topK = topK;
    this.#answer = Object.freeze(Array.from({ length: Math.min(topK, catalogSize) }, (_, id) => id));
  }
  recommend() {
    return this.#answer;
  }
};
var REFERENCE_MODELS = ["noop", "synthetic"];
function validateModelOptions(options) {
  if (!REFERENCE_MODELS.includes(options.model)) {
    throw new RangeError(`model is ${JSON.stringify(options.model)}, but it must be "noop" or "synthetic"`);
  }
  if (!Number.isSafeInteger(options.catalogSize) || options.catalogSize < 1 || options.catalogSize > 2 ** 32) {
    throw new RangeError(`catalogSize is ${options.catalogSize}, but it must be an integer in [1, 2^32]`);
  }
  const topK = options.topK ?? DEFAULT_TOP_K;
  if (!Number.isSafeInteger(topK) || topK < 1) {
    throw new RangeError(`topK is ${topK}, but it must be a positive integer`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed is ${seed}, but it must be a non-negative safe integer`);
  }
}
function createReferenceModel(options) {
  validateModelOptions(options);
  const topK = options.topK ?? DEFAULT_TOP_K;
  switch (options.model) {
    case "noop":
      return new NoopModel(options.catalogSize, topK);
    case "synthetic":
      return new SyntheticModel(
        createSyntheticWeights(options.catalogSize, options.seed ?? DEFAULT_SEED),
        topK
      );
  }
}

// src/server/reference-server.ts
import { createServer } from "node:http";

// src/server/inference-engine.ts
function createInPlaceEngine(model) {
  return {
    threads: 1,
    async infer(sessions) {
      const started = performance.now();
      const items = sessions.map((session) => model.recommend(session));
      return { items, infMs: performance.now() - started };
    },
    async close() {
    }
  };
}

// src/server/request-error.ts
var RequestError = class extends Error {
  name = "RequestError";
  status;
  field;
  constructor(status, field, message) {
    super(message);
    this.status = status;
    this.field = field;
  }
};
function errorBody(message, field) {
  return JSON.stringify({ error: message, field });
}

// src/server/payloads.ts
function renderIdList(ids) {
  return `[${ids.join(",")}]`;
}
function renderServerTiming(timing) {
  const phases = `pre;dur=${ms(timing.preMs)}, inf;dur=${ms(timing.infMs)}, post;dur=${ms(timing.postMs)}`;
  return timing.queueMs === void 0 ? phases : `${phases}, queue;dur=${ms(timing.queueMs)}`;
}
function ms(value) {
  return value.toFixed(3);
}
function parseJson(body) {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new RequestError(400, "body", `the body is not valid JSON (${error.message})`);
  }
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function describe(value) {
  if (value === void 0) return "missing";
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value);
}
function readSession(value, field, catalogSize) {
  if (!Array.isArray(value)) {
    throw new RequestError(400, field, `${field} is ${describe(value)}, but it must be an array of item ids`);
  }
  if (value.length === 0) {
    throw new RequestError(400, field, `${field} is empty, but a session needs at least one clicked item`);
  }
  const session = new Uint32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const id = value[i];
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= catalogSize) {
      throw new RequestError(
        400,
        `${field}[${i}]`,
        `${field}[${i}] is ${describe(id)}, but item ids must be integers in [0, ${catalogSize})`
      );
    }
    session[i] = id;
  }
  return session;
}
var etudePayload = {
  decode(body, catalogSize) {
    const request = parseJson(body);
    const instances = isObject(request) ? request.instances : void 0;
    if (!Array.isArray(instances) || instances.length === 0) {
      throw new RequestError(
        400,
        "instances",
        `instances is ${describe(instances)}, but it must be a non-empty array of {"context": [item ids]}`
      );
    }
    return instances.map((instance, i) => {
      if (!isObject(instance)) {
        throw new RequestError(
          400,
          `instances[${i}]`,
          `instances[${i}] is ${describe(instance)}, but it must be an object {"context": [item ids]}`
        );
      }
      return readSession(instance.context, `instances[${i}].context`, catalogSize);
    });
  },
  encode(lists, _counts, { modelName, threads, timing }) {
    const queue = timing.queueMs === void 0 ? "" : `,"queue_ms":${ms(timing.queueMs)}`;
    return `{"items":[${lists.join(",")}],"nf":{"pre_ms":${ms(timing.preMs)},"inf_ms":${ms(timing.infMs)},"post_ms":${ms(timing.postMs)}${queue},"mname":"${modelName}","mthreads":${threads},"mdevice":"cpu"}}`;
  }
};
var torchServePayload = {
  decode(body, catalogSize) {
    const request = parseJson(body);
    if (!isObject(request)) {
      throw new RequestError(
        400,
        "body",
        `the body is ${describe(request)}, but it must be {"context": [item ids]}`
      );
    }
    return [readSession(request.context, "context", catalogSize)];
  },
  encode(lists) {
    return lists[0];
  }
};
var INTEGER_DATATYPES = ["INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"];
var kserveV2Payload = {
  decode(body, catalogSize) {
    const request = parseJson(body);
    const inputs = isObject(request) ? request.inputs : void 0;
    if (!Array.isArray(inputs) || inputs.length !== 1) {
      throw new RequestError(
        400,
        "inputs",
        `inputs is ${describe(inputs)}${Array.isArray(inputs) ? ` of ${inputs.length} tensors` : ""}, but it must be an array of exactly one tensor {"name":"context","shape":[1,n],"datatype":"INT64","data":[item ids]}`
      );
    }
    const input = inputs[0];
    if (!isObject(input)) {
      throw new RequestError(
        400,
        "inputs[0]",
        `inputs[0] is ${describe(input)}, but it must be a tensor object`
      );
    }
    if (typeof input.datatype !== "string" || !INTEGER_DATATYPES.includes(input.datatype)) {
      throw new RequestError(
        400,
        "inputs[0].datatype",
        `inputs[0].datatype is ${describe(input.datatype)}, but it must be one of ${INTEGER_DATATYPES.join(", ")}`
      );
    }
    const data = Array.isArray(input.data) && input.data.length === 1 && Array.isArray(input.data[0]) ? input.data[0] : input.data;
    const session = readSession(data, "inputs[0].data", catalogSize);
    const shape = input.shape;
    const validShape = Array.isArray(shape) && (shape.length === 1 && shape[0] === session.length || shape.length === 2 && shape[0] === 1 && shape[1] === session.length);
    if (!validShape) {
      throw new RequestError(
        400,
        "inputs[0].shape",
        `inputs[0].shape is ${JSON.stringify(shape) ?? "missing"}, but it must be [1, ${session.length}] (batch size 1, the session's length)`
      );
    }
    return [session];
  },
  encode(lists, counts, { modelName }) {
    return `{"model_name":"${modelName}","model_version":"1","outputs":[{"name":"items","shape":[1,${counts[0]}],"datatype":"INT64","data":${lists[0]}}]}`;
  }
};

// src/server/read-body.ts
var ClientGoneError = class extends Error {
  name = "ClientGoneError";
};
function readBody(request, maxBytes) {
  const declared = request.headers["content-length"];
  if (declared !== void 0 && Number(declared) > maxBytes) {
    return Promise.reject(tooLarge(`${declared} bytes`, maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let received = 0;
    const cleanup = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("aborted", onGone);
      request.off("error", onGone);
    };
    const onData = (chunk) => {
      received += chunk.length;
      if (received > maxBytes) {
        cleanup();
        request.pause();
        reject(tooLarge(`more than ${maxBytes} bytes`, maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    };
    const onGone = () => {
      cleanup();
      reject(new ClientGoneError("the client closed the connection before the body was complete"));
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("aborted", onGone);
    request.on("error", onGone);
  });
}
function tooLarge(size, maxBytes) {
  return new RequestError(
    413,
    "body",
    `the body is ${size}, but the limit is ${maxBytes} bytes (maxBodyBytes)`
  );
}

// src/server/worker-pool.ts
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
function findWorkerEntry() {
  const candidates = ["./inference-worker.ts", "./inference-worker.mjs", "./inference-worker.js"].map(
    (name) => new URL(name, import.meta.url)
  );
  const found = candidates.find((url) => existsSync(url));
  if (found === void 0) {
    throw new Error(
      `no inference worker entry beside ${fileURLToPath(import.meta.url)}; expected inference-worker.ts, .mjs or .js`
    );
  }
  return found;
}
async function startWorkerPool(size, init, log) {
  const entry = findWorkerEntry();
  const slots = [];
  let nextJobId = 0;
  let closing = false;
  const spawn = (index) => new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: init });
    const slot = { worker, pending: /* @__PURE__ */ new Map(), alive: true };
    slots[index] = slot;
    let ready = false;
    worker.on("message", (message) => {
      if ("ready" in message) {
        ready = true;
        resolve();
        return;
      }
      const job = slot.pending.get(message.id);
      if (job === void 0) return;
      slot.pending.delete(message.id);
      if ("error" in message) {
        job.reject(new Error(`inference failed: ${message.error}`));
        return;
      }
      const roundTripMs = performance.now() - job.sentAt;
      job.resolve({
        items: message.items,
        infMs: message.infMs,
        queueMs: Math.max(0, roundTripMs - message.infMs)
      });
    });
    worker.on("error", (error) => {
      log(`inference worker ${index} failed: ${error.message}`);
      if (!ready) reject(error);
    });
    worker.on("exit", (code) => {
      slot.alive = false;
      for (const job of slot.pending.values()) {
        job.reject(new Error(`inference worker ${index} exited with code ${code}`));
      }
      slot.pending.clear();
      if (!ready)
        reject(new Error(`inference worker ${index} exited with code ${code} before it was ready`));
      if (closing || !ready) return;
      log(`inference worker ${index} exited with code ${code}; starting a replacement`);
      spawn(index).catch(
        (error) => log(`inference worker ${index} could not restart: ${error.message}`)
      );
    });
  });
  try {
    await Promise.all(Array.from({ length: size }, (_, index) => spawn(index)));
  } catch (error) {
    closing = true;
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
    throw error;
  }
  return {
    threads: size,
    infer(sessions) {
      let chosen;
      for (const slot of slots) {
        if (slot.alive && (chosen === void 0 || slot.pending.size < chosen.pending.size)) chosen = slot;
      }
      if (chosen === void 0) return Promise.reject(new Error("no inference worker is running"));
      const worker = chosen;
      const id = nextJobId++;
      return new Promise((resolve, reject) => {
        worker.pending.set(id, { resolve, reject, sentAt: performance.now() });
        const job = { id, sessions };
        worker.worker.postMessage(job);
      });
    },
    async close() {
      closing = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    }
  };
}

// src/server/reference-server.ts
var DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
var ETUDE_PREDICTION_PATH = "/predictions/model/1.0/";
var GENERIC_MODEL_NAME = "model";
var JSON_HEADERS = { "content-type": "application/json" };
async function startReferenceServer(options) {
  const settings = validateServerOptions(options);
  const { model: modelName, catalogSize, topK, seed, workers, maxBodyBytes, log } = settings;
  const engine = workers === 0 ? createInPlaceEngine(createReferenceModel({ model: modelName, catalogSize, topK, seed })) : await startWorkerPool(
    workers,
    {
      catalogSize,
      topK,
      ...modelName === "synthetic" ? { weights: createSyntheticWeights(catalogSize, seed, true) } : {}
    },
    log
  );
  const predict = async (request, response, codec) => {
    const body = await readBody(request, maxBodyBytes);
    const preStarted = performance.now();
    const sessions = codec.decode(body, catalogSize);
    const preMs = performance.now() - preStarted;
    const result = await engine.infer(sessions);
    const postStarted = performance.now();
    const lists = result.items.map(renderIdList);
    const counts = result.items.map((items) => items.length);
    const timing = { preMs, infMs: result.infMs, postMs: performance.now() - postStarted };
    if (result.queueMs !== void 0) timing.queueMs = result.queueMs;
    const answer = codec.encode(lists, counts, { modelName, threads: engine.threads, timing });
    send(response, 200, answer, { "server-timing": renderServerTiming(timing) });
  };
  const requireModel = (encodedName) => {
    let name;
    try {
      name = decodeURIComponent(encodedName);
    } catch {
      name = encodedName;
    }
    if (name !== modelName && name !== GENERIC_MODEL_NAME) {
      throw new RequestError(
        404,
        "model",
        `model ${JSON.stringify(name)} is not served here; use "${modelName}" or "${GENERIC_MODEL_NAME}"`
      );
    }
  };
  const route = async (request, response) => {
    const url2 = request.url ?? "/";
    const query = url2.indexOf("?");
    const path = query === -1 ? url2 : url2.slice(0, query);
    const method = request.method ?? "GET";
    const allow = (allowed) => {
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
    if (segments.at(-1) === "" && segments.length > 2) segments.pop();
    const [, root, second, third, fourth] = segments;
    if (root === "predictions" && second && segments.length <= 4) {
      allow("POST");
      requireModel(second);
      return predict(request, response, torchServePayload);
    }
    if (root === "v2" && second === "health" && (third === "ready" || third === "live") && segments.length === 4) {
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
      `no route for ${path}; routes: POST ${ETUDE_PREDICTION_PATH}, GET /ping, POST /predictions/{model}, POST /v2/models/{model}/infer, GET /v2/models/{model}/ready, GET /v2/models/{model}, GET /v2/health/ready, GET /v2/health/live`
    );
  };
  const server2 = createServer({ keepAlive: true }, (request, response) => {
    route(request, response).catch((error) => {
      if (error instanceof ClientGoneError) return;
      if (error instanceof RequestError) {
        const headers = error.status === 413 ? { connection: "close" } : {};
        send(response, error.status, errorBody(error.message, error.field), headers);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      log(`internal error on ${request.method} ${request.url}: ${message}`);
      send(response, 500, errorBody(`internal error: ${message}`, "server"));
    });
  });
  server2.on("clientError", answerMalformedRequest);
  try {
    await new Promise((resolve, reject) => {
      server2.once("error", reject);
      server2.listen(settings.port, settings.host, () => {
        server2.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
  const address = server2.address();
  const port = typeof address === "object" && address !== null ? address.port : settings.port;
  const host = settings.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log(
    `etude reference server: model ${modelName}, catalog ${catalogSize}, top ${topK}, ${workers === 0 ? "inference on the main thread" : `${workers} inference workers`}, listening on ${url}`
  );
  let closed;
  return {
    url,
    port,
    host,
    close() {
      closed ??= (async () => {
        const stopped = new Promise((resolve) => server2.close(() => resolve()));
        server2.closeAllConnections();
        await stopped;
        await engine.close();
      })();
      return closed;
    }
  };
}
function validateServerOptions(options) {
  validateModelOptions(options);
  const settings = {
    model: options.model,
    catalogSize: options.catalogSize,
    topK: options.topK ?? DEFAULT_TOP_K,
    seed: options.seed ?? DEFAULT_SEED,
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    workers: options.workers ?? 0,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    log: options.log ?? (() => {
    })
  };
  const requireInteger = (field, value, min, max) => {
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
function modelMetadata(modelName) {
  return JSON.stringify({
    name: modelName,
    versions: ["1"],
    platform: "etude-reference",
    inputs: [{ name: "context", datatype: "INT64", shape: [1, -1] }],
    outputs: [{ name: "items", datatype: "INT64", shape: [1, -1] }]
  });
}
function send(response, status, body, headers = {}) {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { ...JSON_HEADERS, "content-length": Buffer.byteLength(body), ...headers });
  response.end(body);
}
function answerMalformedRequest(error, socket) {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge2 = error.code === "HPE_HEADER_OVERFLOW";
  const body = errorBody(
    tooLarge2 ? "the request headers are too large" : `malformed HTTP request (${error.code ?? error.message})`,
    tooLarge2 ? "headers" : "request"
  );
  socket.end(
    `HTTP/1.1 ${tooLarge2 ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r
content-type: application/json\r
content-length: ${Buffer.byteLength(body)}\r
connection: close\r
\r
${body}`
  );
}

// src/targets/kubernetes/server-entry.ts
var env = (name) => {
  const value = process.env[name];
  if (value === void 0 || value === "") throw new Error(`environment variable ${name} is not set`);
  return value;
};
var server = await startReferenceServer({
  model: env("ETUDE_MODEL"),
  catalogSize: Number(env("ETUDE_CATALOG_SIZE")),
  host: env("POD_IP"),
  port: Number(env("PORT")),
  log: (line) => console.log(line)
});
process.once("SIGTERM", () => {
  server.close().then(() => process.exit(0));
});
