/**
 * Hurwitz zeta function ζ(s, q) = Σ_{k>=0} (q + k)^-s for s > 1, q > 0: the normaliser of the
 * discrete power law. Euler–Maclaurin summation as in Cephes `zeta`: direct terms until q + k > 9,
 * then the integral, half the last term and Bernoulli corrections; accurate to a few ulps.
 */

/** (2j)! / B_2j for j = 1..12: the Euler–Maclaurin correction denominators. */
const EULER_MACLAURIN = [
  12, -720, 30240, -1209600, 47900160, -1892437580.3183792, 74724249600, -2950130727918.164,
  116467828143500.67, -4597978722407473, 181521054019435460, -7166165256175667000,
];

const EPSILON = Number.EPSILON / 2;

export function hurwitzZeta(s: number, q: number): number {
  if (!(s > 1)) throw new RangeError(`hurwitzZeta: s must be > 1, got ${s}`);
  if (!(q > 0) || !Number.isFinite(q))
    throw new RangeError(`hurwitzZeta: q must be a positive number, got ${q}`);
  let sum = q ** -s;
  let a = q;
  let term = 0;
  let steps = 0;
  while (steps < 9 || a <= 9) {
    steps++;
    a += 1;
    term = a ** -s;
    sum += term;
    if (Math.abs(term / sum) < EPSILON) return sum;
  }
  const w = a;
  sum += (term * w) / (s - 1) - 0.5 * term;
  let rising = 1;
  let k = 0;
  for (const denominator of EULER_MACLAURIN) {
    rising *= s + k;
    term /= w;
    const correction = (rising * term) / denominator;
    sum += correction;
    if (Math.abs(correction / sum) < EPSILON) break;
    k += 1;
    rising *= s + k;
    term /= w;
    k += 1;
  }
  return sum;
}
