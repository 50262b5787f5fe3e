import { createRequire as etudeCreateRequire } from "node:module";
const require = etudeCreateRequire(import.meta.url);

// src/server/inference-worker.ts
import { parentPort, workerData } from "node:worker_threads";

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

// src/server/inference-worker.ts
var init = workerData;
var port = parentPort;
var model = init.weights === void 0 ? new NoopModel(init.catalogSize, init.topK) : new SyntheticModel(init.weights, init.topK);
port.on("message", (job) => {
  const started = performance.now();
  let answer;
  try {
    const items = job.sessions.map((session) => model.recommend(session));
    answer = { id: job.id, items, infMs: performance.now() - started };
  } catch (error) {
    answer = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
port.postMessage({ ready: true });
