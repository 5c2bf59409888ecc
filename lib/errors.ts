/**
 * An error a request answers with: its status and one sentence for the person who sent it.
 */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** web.md: what the user may not see answers as if it did not exist. */
export function notFound(what: string): HttpError {
  return new HttpError(404, `${what} was not found.`);
}
