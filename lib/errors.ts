/**
 * An error a request answers with: its status and one sentence for the person who sent it, and
 * beside the sentence, where one helps, the details (`problems`: each problem of an upload).
 */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

/** web.md: what the user may not see answers as if it did not exist. */
export function notFound(what: string): HttpError {
  return new HttpError(404, `${what} was not found.`);
}
