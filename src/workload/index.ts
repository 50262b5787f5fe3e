export { buildCatalog, type Catalog, catalogFromCounts, drawItemCounts } from "./catalog.ts";
export { type ClickFileOptions, type ClickStatistics, readClickFile } from "./click-file.ts";
export {
  type CandidateModel,
  type CountModelFit,
  type CountModelOptions,
  chooseModel,
  distanceFromModel,
  empiricalBody,
  fitCountModel,
  type ModelKind,
  recommendedDistribution,
} from "./count-model.ts";
export { type CountSampler, type CountSamplerOptions, createCountSampler } from "./distributions.ts";
export { type FitOptions, fitDiscretePowerLaw, type PowerLawFit } from "./fit.ts";
export {
  type FitFileOptions,
  type FitReport,
  fitClickFile,
  type ItemModel,
  type ItemPopularityFit,
} from "./fit-file.ts";
export { distributionSnippet, renderFitReport } from "./fit-report.ts";
export { createRandom, deriveSeed } from "./random.ts";
export type { Realism } from "./realism.ts";
export { createSessionSource, type Partition, type SessionSourceOptions } from "./sessions.ts";
export type { RandomSource, Session, SessionSource } from "./types.ts";
