export { specDigest } from "./digest.ts";
export type { Environment } from "./interpolate.ts";
export {
  type ClickFileFitter,
  DEFAULT_SPEC_FILE,
  loadSpec,
  type ParseSpecOptions,
  parseSpec,
} from "./load.ts";
export { KubernetesTargetError, parseKubernetesTarget } from "./parse-kubernetes.ts";
export { formatProblem, SpecError, type SpecProblem } from "./problems.ts";
export type * from "./types.ts";
export { parseCount, parseDuration, parseFraction, UnitError } from "./units.ts";
