import type { PowerFunction, WorkloadPreset } from "./types.ts";

function powerFunction(a: number, loc: number, scale: number): PowerFunction {
  return { kind: "power-function", a, loc, scale };
}

/** Distributions fitted to real click logs, as published with the ETUDE reference code (SciPy `powerlaw`). */
export const WORKLOAD_PRESETS: Record<
  WorkloadPreset,
  { sessionLengths: PowerFunction; itemPopularity: PowerFunction }
> = {
  bolcom: {
    sessionLengths: powerFunction(0.07, 2, 277),
    itemPopularity: powerFunction(0.0407, 1, 2335),
  },
  recsys15: {
    sessionLengths: powerFunction(0.1032, 1, 199),
    itemPopularity: powerFunction(0.0798, 1, 147418),
  },
};
