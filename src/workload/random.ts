import type { RandomSource } from "./types.ts";

/**
 * xoshiro128** (Blackman and Vigna) seeded through splitmix32. Only 32-bit integer arithmetic
 * (Math.imul, shifts) is used, so a seed yields the same numbers on every platform and engine.
 */

const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_53 = 2 ** -53;

function assertSeed(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be a safe integer, got ${value}`);
  }
}

/** The splitmix32 output function: a bijective avalanche of one 32-bit word. */
function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Folds a safe integer (up to 53 bits, either sign) into one well-mixed 32-bit word. */
function foldSafeInteger(value: number): number {
  const low = value >>> 0;
  const high = Math.floor(value / TWO_POW_32) >>> 0;
  return mix32((mix32(low) ^ Math.imul(high, GOLDEN_GAMMA) ^ (high >>> 7)) + GOLDEN_GAMMA);
}

/**
 * Derives an independent 32-bit seed from a seed and a path of labels, so that separate concerns
 * (the catalog, each partition's sessions) draw from unrelated streams.
 */
export function deriveSeed(seed: number, ...labels: number[]): number {
  assertSeed("seed", seed);
  let state = foldSafeInteger(seed);
  for (const [position, label] of labels.entries()) {
    assertSeed(`label ${position}`, label);
    state = mix32(state + GOLDEN_GAMMA + foldSafeInteger(label));
  }
  return state;
}

class Xoshiro128StarStar implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let state = foldSafeInteger(seed);
    const words = [0, 0, 0, 0];
    for (let index = 0; index < 4; index++) {
      state = (state + GOLDEN_GAMMA) | 0;
      words[index] = mix32(state);
    }
    // The all-zero state is the one fixed point of xoshiro; splitmix32 practically never yields it.
    if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) words[0] = GOLDEN_GAMMA;
    this.s0 = words[0]! | 0;
    this.s1 = words[1]! | 0;
    this.s2 = words[2]! | 0;
    this.s3 = words[3]! | 0;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const scrambled = Math.imul(s1, 5);
    const result = Math.imul((scrambled << 7) | (scrambled >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) * TWO_POW_MINUS_53;
  }
}

/** A seeded, platform-independent random source; the same seed gives the same sequence everywhere. */
export function createRandom(seed: number): RandomSource {
  assertSeed("seed", seed);
  return new Xoshiro128StarStar(seed);
}
