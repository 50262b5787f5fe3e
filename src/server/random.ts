import type { RandomSource } from "../workload/types.ts";

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * xoshiro128** seeded through splitmix32: small, fast, and the same stream on every platform,
 * so a seed names one set of model weights everywhere.
 */
export function createSeededRandom(seed: number): RandomSource {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed is ${seed}, but it must be a non-negative safe integer`);
  }
  let mix = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32), 0x9e3779b9);
  const splitmix32 = (): number => {
    mix = (mix + 0x9e3779b9) | 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return z ^ (z >>> 16);
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();

  const nextUint32 = (): number => {
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
    nextDouble: () => ((nextUint32() >>> 11) * TWO_POW_32 + nextUint32()) / TWO_POW_53,
  };
}
