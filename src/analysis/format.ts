/** Numbers as people read them in reports and reasons: grouped thousands, few decimals. */
export function formatNumber(value: number, maximumFractionDigits = 1): string {
  return value.toLocaleString("en-US", { maximumFractionDigits });
}

export function formatPercent(share: number, maximumFractionDigits = 2): string {
  return `${formatNumber(share * 100, maximumFractionDigits)}%`;
}

/** Milliseconds with three significant digits, as the histograms hold them. */
export function formatMs(ms: number): string {
  return `${Number(ms.toPrecision(3)).toLocaleString("en-US", { maximumFractionDigits: 3 })} ms`;
}

export function formatRate(requestsPerSecond: number): string {
  return `${formatNumber(requestsPerSecond)} req/s`;
}
