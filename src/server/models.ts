import type { ReferenceModel } from "../spec/types.ts";
import { embeddingDimension } from "./embedding-dimension.ts";
import { createSeededRandom } from "./random.ts";
import { TopK } from "./top-k.ts";

export const DEFAULT_TOP_K = 21;
export const DEFAULT_SEED = 42;

/** One reference model, bound to one thread: it reuses scratch buffers between calls. */
export interface InferenceModel {
  readonly name: ReferenceModel;
  readonly catalogSize: number;
  readonly topK: number;
  /** The top-k item ids for a session of valid item ids, best first. */
  recommend(session: ArrayLike<number>): readonly number[];
}

/** Randomly initialised weights of the synthetic model; plain data, so worker threads can share them. */
export interface SyntheticWeights {
  catalogSize: number;
  dimension: number;
  /** C x d item embeddings, row-major. */
  embeddings: Float32Array;
  /**
   * The GRU cell: input weights of the update, reset and candidate gates (three d x d matrices),
   * then their hidden weights (three more), then their biases (three vectors of d).
   */
  gru: Float32Array;
}

/**
 * Draws the synthetic model's weights from a seed. With `shared`, the arrays live in
 * SharedArrayBuffers, so worker threads read the same memory instead of copies.
 */
export function createSyntheticWeights(catalogSize: number, seed: number, shared = false): SyntheticWeights {
  const dimension = embeddingDimension(catalogSize);
  const random = createSeededRandom(seed);
  const allocate = (length: number): Float32Array => {
    const bytes = length * Float32Array.BYTES_PER_ELEMENT;
    try {
      return shared ? new Float32Array(new SharedArrayBuffer(bytes)) : new Float32Array(length);
    } catch (error) {
      throw new RangeError(
        `cannot allocate ${(bytes / 2 ** 20).toFixed(0)} MiB of weights for catalogSize ${catalogSize} (d = ${dimension})`,
        { cause: error },
      );
    }
  };
  // Uniform in [-1/sqrt(d), 1/sqrt(d)), the usual initialisation of recurrent and embedding layers.
  const fill = (values: Float32Array): Float32Array => {
    const scale = 2 / Math.sqrt(dimension) / 4294967296;
    const offset = 1 / Math.sqrt(dimension);
    for (let i = 0; i < values.length; i++) values[i] = random.nextUint32() * scale - offset;
    return values;
  };
  const gru = fill(allocate(6 * dimension * dimension + 3 * dimension));
  const embeddings = fill(allocate(catalogSize * dimension));
  return { catalogSize, dimension, embeddings, gru };
}

/**
 * The cost structure of a session-based recommender: a GRU cell encodes the clicked items'
 * embeddings into a session vector, every item of the catalog is scored by its inner product with
 * that vector in one pass over the embeddings, and a bounded heap keeps the top k.
 */
export class SyntheticModel implements InferenceModel {
  readonly name = "synthetic";
  readonly catalogSize: number;
  readonly topK: number;
  readonly dimension: number;
  readonly embeddings: Float32Array;
  readonly #gru: Float32Array;
  readonly #hidden: Float64Array;
  readonly #update: Float64Array;
  readonly #reset: Float64Array;
  readonly #best: TopK;

  constructor(weights: SyntheticWeights, topK: number = DEFAULT_TOP_K) {
    const { catalogSize, dimension, embeddings, gru } = weights;
    if (embeddings.length !== catalogSize * dimension) {
      throw new RangeError(
        `embeddings hold ${embeddings.length} values, but catalogSize x dimension is ${catalogSize * dimension}`,
      );
    }
    if (gru.length !== 6 * dimension * dimension + 3 * dimension) {
      throw new RangeError(
        `gru holds ${gru.length} values, but a GRU cell of dimension ${dimension} needs ${6 * dimension * dimension + 3 * dimension}`,
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
  encodeSession(session: ArrayLike<number>): Float64Array {
    return this.#encode(session).slice();
  }

  /** The score of every item for a session, for checking the top-k against a full sort. */
  scoreAll(session: ArrayLike<number>): Float64Array {
    const hidden = this.#encode(session);
    const scores = new Float64Array(this.catalogSize);
    for (let id = 0, row = 0; id < this.catalogSize; id++, row += this.dimension) {
      scores[id] = innerProduct(this.embeddings, row, hidden, this.dimension);
    }
    return scores;
  }

  recommend(session: ArrayLike<number>): number[] {
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

  #encode(session: ArrayLike<number>): Float64Array {
    const d = this.dimension;
    const gru = this.#gru;
    const hidden = this.#hidden;
    const update = this.#update;
    const reset = this.#reset;
    const square = d * d;
    const bias = 6 * square;
    hidden.fill(0);
    for (let step = 0; step < session.length; step++) {
      const row = session[step]! * d;
      for (let i = 0; i < d; i++) {
        update[i] = sigmoid(
          gateInput(gru, i * d, this.embeddings, row, d) +
            gateHidden(gru, 3 * square + i * d, hidden, d) +
            gru[bias + i]!,
        );
        reset[i] = sigmoid(
          gateInput(gru, square + i * d, this.embeddings, row, d) +
            gateHidden(gru, 4 * square + i * d, hidden, d) +
            gru[bias + d + i]!,
        );
      }
      // The candidate reads the previous hidden state, so keep it until every unit is computed.
      for (let i = 0; i < d; i++) {
        const candidate = Math.tanh(
          gateInput(gru, 2 * square + i * d, this.embeddings, row, d) +
            reset[i]! * gateHidden(gru, 5 * square + i * d, hidden, d) +
            gru[bias + 2 * d + i]!,
        );
        reset[i] = candidate;
      }
      for (let i = 0; i < d; i++) {
        hidden[i] = (1 - update[i]!) * reset[i]! + update[i]! * hidden[i]!;
      }
    }
    return hidden;
  }
}

/**
 * Four accumulators break the dependency chain of the additions (d is a power of two, so a
 * multiple of 4 from C = 17 on); running indices avoid per-element offset arithmetic.
 */
function innerProduct(
  embeddings: Float32Array,
  row: number,
  vector: Float64Array,
  dimension: number,
): number {
  const end = row + dimension;
  let s0 = 0;
  if ((dimension & 3) !== 0) {
    for (let e = row, j = 0; e < end; e++, j++) s0 += embeddings[e]! * vector[j]!;
    return s0;
  }
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let e = row, j = 0; e < end; e += 4, j += 4) {
    s0 += embeddings[e]! * vector[j]!;
    s1 += embeddings[e + 1]! * vector[j + 1]!;
    s2 += embeddings[e + 2]! * vector[j + 2]!;
    s3 += embeddings[e + 3]! * vector[j + 3]!;
  }
  return s0 + s1 + (s2 + s3);
}

function gateInput(
  gru: Float32Array,
  offset: number,
  embeddings: Float32Array,
  row: number,
  d: number,
): number {
  let sum = 0;
  for (let j = 0; j < d; j++) sum += gru[offset + j]! * embeddings[row + j]!;
  return sum;
}

function gateHidden(gru: Float32Array, offset: number, hidden: Float64Array, d: number): number {
  let sum = 0;
  for (let j = 0; j < d; j++) sum += gru[offset + j]! * hidden[j]!;
  return sum;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Serving overhead alone: no inference, the same topK ids for every session. */
export class NoopModel implements InferenceModel {
  readonly name = "noop";
  readonly catalogSize: number;
  readonly topK: number;
  readonly #answer: readonly number[];

  constructor(catalogSize: number, topK: number = DEFAULT_TOP_K) {
    this.catalogSize = catalogSize;
    this.topK = topK;
    this.#answer = Object.freeze(Array.from({ length: Math.min(topK, catalogSize) }, (_, id) => id));
  }

  recommend(): readonly number[] {
    return this.#answer;
  }
}

export interface ReferenceModelOptions {
  model: ReferenceModel;
  catalogSize: number;
  topK?: number;
  seed?: number;
}

export const REFERENCE_MODELS: readonly ReferenceModel[] = ["noop", "synthetic"];

/** Checks the options every reference model shares; throws a RangeError naming the field. */
export function validateModelOptions(options: ReferenceModelOptions): void {
  if (!REFERENCE_MODELS.includes(options.model)) {
    throw new RangeError(`model is ${JSON.stringify(options.model)}, but it must be "noop" or "synthetic"`);
  }
  // Item ids travel as 32-bit unsigned integers.
  if (
    !Number.isSafeInteger(options.catalogSize) ||
    options.catalogSize < 1 ||
    options.catalogSize > 2 ** 32
  ) {
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

export function createReferenceModel(options: ReferenceModelOptions): InferenceModel {
  validateModelOptions(options);
  const topK = options.topK ?? DEFAULT_TOP_K;
  switch (options.model) {
    case "noop":
      return new NoopModel(options.catalogSize, topK);
    case "synthetic":
      return new SyntheticModel(
        createSyntheticWeights(options.catalogSize, options.seed ?? DEFAULT_SEED),
        topK,
      );
  }
}

/**
 * One full inference on the calling thread (session encoding, one scoring pass over the catalog,
 * top-k), for benchmarks that time the model without HTTP or worker dispatch.
 */
export function scoreOnce(model: InferenceModel, session: ArrayLike<number>): readonly number[] {
  return model.recommend(session);
}
