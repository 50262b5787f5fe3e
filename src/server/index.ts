export { embeddingDimension } from "./embedding-dimension.ts";
export {
  createReferenceModel,
  createSyntheticWeights,
  DEFAULT_SEED,
  DEFAULT_TOP_K,
  type InferenceModel,
  NoopModel,
  type ReferenceModelOptions,
  SyntheticModel,
  type SyntheticWeights,
  scoreOnce,
} from "./models.ts";
export { createSeededRandom } from "./random.ts";
export {
  DEFAULT_MAX_BODY_BYTES,
  ETUDE_PREDICTION_PATH,
  GENERIC_MODEL_NAME,
  type ReferenceServer,
  type ReferenceServerOptions,
  startReferenceServer,
} from "./reference-server.ts";
export { selectTopK, TopK } from "./top-k.ts";
