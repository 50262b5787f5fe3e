// Kubernetes resource quantities ("500m", "2", "32Gi", "1e3") as plain numbers of base units.
const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

export function parseQuantity(value: string | number, field: string): number {
  if (typeof value === "number") return value;
  const match = QUANTITY.exec(value.trim());
  if (!match) {
    throw new Error(
      `${field}: invalid quantity ${JSON.stringify(value)}: expected a number with an optional suffix such as 500m, 2, 512Mi or 1G`,
    );
  }
  const base = Number(match[1]);
  if (match[2]) return base * 10 ** Number(match[2].slice(1));
  return base * (SUFFIXES[match[3] ?? ""] ?? 1);
}

export function isQuantity(value: unknown): boolean {
  return typeof value === "number" || (typeof value === "string" && QUANTITY.test(value.trim()));
}
