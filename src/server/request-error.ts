/** A request the server refuses; answered as `{"error": message, "field": field}` with `status`. */
export class RequestError extends Error {
  override name = "RequestError";
  readonly status: number;
  readonly field: string;

  constructor(status: number, field: string, message: string) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

export function errorBody(message: string, field: string): string {
  return JSON.stringify({ error: message, field });
}
