/** Goodness-of-fit helpers for the workload tests. */

/** Upper 0.1% critical value of chi-square with `degrees` degrees of freedom (Wilson–Hilferty). */
export function chiSquareCritical(degrees: number): number {
  const z = 3.0902;
  const h = 2 / (9 * degrees);
  return degrees * (1 - h + z * Math.sqrt(h)) ** 3;
}

/**
 * Pearson's statistic of observed counts against expected probabilities; bins expecting fewer than five
 * draws are pooled, so the chi-square approximation holds.
 */
export function chiSquare(observed: ArrayLike<number>, probabilities: ArrayLike<number>, draws: number) {
  let statistic = 0;
  let bins = 0;
  let pooledObserved = 0;
  let pooledExpected = 0;
  for (let index = 0; index < observed.length; index++) {
    pooledObserved += observed[index]!;
    pooledExpected += probabilities[index]! * draws;
    if (pooledExpected >= 5) {
      statistic += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
      bins++;
      pooledObserved = 0;
      pooledExpected = 0;
    }
  }
  if (pooledExpected > 0) {
    statistic += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
    bins++;
  }
  return { statistic, degrees: bins - 1 };
}

/** Largest gap between the empirical CDF of integer samples and `cdf`, checked at every integer step. */
export function ksAgainst(samples: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(samples).sort();
  let distance = 0;
  let index = 0;
  while (index < sorted.length) {
    const value = sorted[index]!;
    distance = Math.max(distance, Math.abs(index / sorted.length - cdf(value - 1)));
    while (index < sorted.length && sorted[index] === value) index++;
    distance = Math.max(distance, Math.abs(index / sorted.length - cdf(value)));
  }
  return distance;
}

/** KS critical distance at the 0.1% level for n samples (continuous case; conservative for discrete). */
export function ksCritical(n: number): number {
  return 1.949 / Math.sqrt(n);
}
