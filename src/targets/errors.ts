/** The target could not be started or reached: an infrastructure failure, not a verdict on the model. */
export class InfrastructureError extends Error {
  override name = "InfrastructureError";
}
