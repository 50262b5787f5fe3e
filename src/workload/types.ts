/** One synthetic session: the item ids a visitor clicks, in order. */
export interface Session {
  id: number;
  items: Uint32Array;
}

/** A lazy, endless, deterministic stream of sessions. */
export interface SessionSource {
  next(): Session;
}

/** A source of uniform random numbers; injected so tests and workers stay reproducible. */
export interface RandomSource {
  /** Uniform in [0, 1) with 53 bits of precision. */
  nextDouble(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
}
