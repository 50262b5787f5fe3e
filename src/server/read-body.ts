import type { IncomingMessage } from "node:http";
import { RequestError } from "./request-error.ts";

/** The client went away before its body was complete; nobody is left to answer. */
export class ClientGoneError extends Error {
  override name = "ClientGoneError";
}

/**
 * Reads a request body as UTF-8, refusing with 413 as soon as it is known to exceed `maxBytes`:
 * from Content-Length before reading anything, or while streaming a body of unknown length.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) {
    return Promise.reject(tooLarge(`${declared} bytes`, maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = (): void => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("aborted", onGone);
      request.off("error", onGone);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) {
        cleanup();
        request.pause();
        reject(tooLarge(`more than ${maxBytes} bytes`, maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    };
    const onGone = (): void => {
      cleanup();
      reject(new ClientGoneError("the client closed the connection before the body was complete"));
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("aborted", onGone);
    request.on("error", onGone);
  });
}

function tooLarge(size: string, maxBytes: number): RequestError {
  return new RequestError(
    413,
    "body",
    `the body is ${size}, but the limit is ${maxBytes} bytes (maxBodyBytes)`,
  );
}
