/**
 * The k best (id, score) pairs seen so far, in a bounded min-heap whose root is the worst kept pair.
 * Ranking rule: a higher score ranks first; equal scores rank the lower id first. Offering n pairs
 * costs O(n log k) and allocates nothing.
 */
export class TopK {
  readonly k: number;
  readonly #ids: Uint32Array;
  readonly #scores: Float64Array;
  #size = 0;
  #floor = Number.NEGATIVE_INFINITY;

  constructor(k: number) {
    if (!Number.isSafeInteger(k) || k < 1) {
      throw new RangeError(`topK is ${k}, but it must be a positive integer`);
    }
    this.k = k;
    this.#ids = new Uint32Array(k);
    this.#scores = new Float64Array(k);
  }

  /** Scores below the floor can never enter; -Infinity until k pairs are kept. */
  get floor(): number {
    return this.#floor;
  }

  clear(): void {
    this.#size = 0;
    this.#floor = Number.NEGATIVE_INFINITY;
  }

  offer(id: number, score: number): void {
    const ids = this.#ids;
    const scores = this.#scores;
    if (this.#size < this.k) {
      let child = this.#size++;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!isWorse(score, id, scores[parent]!, ids[parent]!)) break;
        ids[child] = ids[parent]!;
        scores[child] = scores[parent]!;
        child = parent;
      }
      ids[child] = id;
      scores[child] = score;
      if (this.#size === this.k) this.#floor = scores[0]!;
      return;
    }
    if (!isWorse(scores[0]!, ids[0]!, score, id)) return;
    this.#siftDownFromRoot(id, score);
    this.#floor = scores[0]!;
  }

  /** The kept ids, best first. */
  ids(): number[] {
    const order = Array.from({ length: this.#size }, (_, slot) => slot);
    const ids = this.#ids;
    const scores = this.#scores;
    order.sort((x, y) => scores[y]! - scores[x]! || ids[x]! - ids[y]!);
    return order.map((slot) => ids[slot]!);
  }

  #siftDownFromRoot(id: number, score: number): void {
    const ids = this.#ids;
    const scores = this.#scores;
    const size = this.#size;
    let parent = 0;
    for (;;) {
      let child = 2 * parent + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && isWorse(scores[right]!, ids[right]!, scores[child]!, ids[child]!)) child = right;
      if (!isWorse(scores[child]!, ids[child]!, score, id)) break;
      ids[parent] = ids[child]!;
      scores[parent] = scores[child]!;
      parent = child;
    }
    ids[parent] = id;
    scores[parent] = score;
  }
}

function isWorse(score: number, id: number, otherScore: number, otherId: number): boolean {
  return score < otherScore || (score === otherScore && id > otherId);
}

/** The ids of the k highest scores, best first, ties to the lower id. */
export function selectTopK(scores: ArrayLike<number>, k: number): number[] {
  const best = new TopK(k);
  for (let id = 0; id < scores.length; id++) {
    const score = scores[id]!;
    if (score >= best.floor) best.offer(id, score);
  }
  return best.ids();
}
