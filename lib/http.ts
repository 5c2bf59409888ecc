/**
 * What every route handler shares: who is asking (session cookie or personal token), the
 * cookie-mutation Origin check, JSON bodies parsed with zod, and errors as `{ error }` JSON with
 * the status web.md gives them.
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { auth, signedInUser, siteUrl } from './auth';
import { can, siteRole, type Actor } from './authz';
import { HttpError, notFound } from './errors';
import { actorForToken } from './tokens';

/** The signed-in user, by personal token first, else by session cookie; null when neither is valid. */
async function authenticate(request: Request): Promise<{ actor: Actor; via: 'token' | 'session' } | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  if (bearer) {
    const actor = await actorForToken(bearer[1]);
    return actor ? { actor, via: 'token' } : null;
  }
  const session = await auth().api.getSession({ headers: request.headers });
  return session ? { actor: signedInUser(session.user), via: 'session' } : null;
}

function allowedOrigins(): Set<string> {
  const extra = (process.env.TRUSTED_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  return new Set([new URL(siteUrl()).origin, ...extra]);
}

/**
 * A request that changes something on the strength of a cookie must come from our own pages (its
 * Origin names the site), so another site cannot forge it. A token is not sent by browsers on
 * their own, so it needs no such check.
 */
function refuseForgedChange(request: Request, via: 'token' | 'session'): void {
  if (via === 'session' && !allowedOrigins().has(request.headers.get('origin') ?? '')) {
    throw new HttpError(403, 'This request did not come from a Rendezvous page (its Origin header is missing or foreign), so it was refused.');
  }
}

/** The signed-in actor, or a 401; a change sent with a cookie must come from our own pages. */
export async function requireActor(request: Request, { changes }: { changes: boolean }): Promise<Actor> {
  const who = await authenticate(request);
  if (!who) throw new HttpError(401, 'Sign in first: this needs an account.');
  if (changes) refuseForgedChange(request, who.via);
  return who.actor;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A site admin (by session or personal token), or a scraper holding METRICS_TOKEN when
 * `metricsToken` is set. Anyone else is told it does not exist: 404, or 401 without an account
 * where `anonymous` is 401.
 */
export async function requireOperator(request: Request, { metricsToken = false, anonymous = 404 }: { metricsToken?: boolean; anonymous?: 401 | 404 } = {}): Promise<void> {
  const expected = process.env.METRICS_TOKEN;
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  if (metricsToken && expected && bearer && sameSecret(bearer[1], expected)) return;
  const who = await authenticate(request);
  if (!who && anonymous === 401) throw new HttpError(401, 'Sign in first: this needs an account.');
  if (!who || !can(siteRole(who.actor), 'site.operate')) throw notFound('That page');
  if (request.method !== 'GET' && request.method !== 'HEAD') refuseForgedChange(request, who.via);
}

/** Bodies larger than this are refused before they are parsed. */
const MAX_BODY_BYTES = 256 * 1024;

export async function readJson<T extends z.ZodType>(request: Request, schema: T, maxBytes = MAX_BODY_BYTES): Promise<z.infer<T>> {
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new HttpError(413, `The request is larger than ${maxBytes / 1024} KiB.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, `${where}${issue.message}.`);
  }
  return parsed.data;
}

/** A binary body (an uploaded zip), read no further than `maxBytes`: a larger one is refused with 413. */
export async function readBytes(request: Request, maxBytes: number, what: string): Promise<Uint8Array> {
  const tooLarge = () => new HttpError(413, `The ${what} is larger than ${maxBytes / 1024 / 1024} MiB, the most Rendezvous accepts.`);
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    size += chunk.value.length;
    if (size > maxBytes) {
      await reader?.cancel();
      throw tooLarge();
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers });
}

/** Error codes of a dependency that is down: the socket's, and Prisma's "can't reach" / "pool timeout". */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'P1001', 'P1002', 'P1017', 'P2024']);
/** The same by message, where no code comes with it (node-postgres's pool gives up connecting with a bare Error). */
const UNAVAILABLE_MESSAGE = /Can't reach database server|Connection (terminated|is closed)|DatabaseNotReachable|timeout exceeded when trying to connect|MaxRetriesPerRequest|Stream isn't writeable|enableOfflineQueue/i;

/** A dependency that is down (PostgreSQL, Redis) rather than a bug, judged along the error's causes. */
function isUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (UNAVAILABLE_MESSAGE.test(current.message)) return true;
  }
  return false;
}

/** The first line of an error's message and of its causes'. */
function firstLine(error: unknown): string {
  const lines: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) lines.push(current.message.split('\n')[0]);
  return lines.join(' <- ');
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a route handler: every failure becomes `{ error: "<one sentence>" }` with its status. */
export function route<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof HttpError) return json({ ...error.details, error: error.message }, error.status, error.headers);
      if (isUnavailable(error)) {
        // One line, so an operator can tell a database that is down from a pool that is too small.
        console.warn(`answered 503: ${firstLine(error)}`);
        return json({ error: 'A service Rendezvous depends on is unavailable; try again in a minute.' }, 503, { 'Retry-After': '30' });
      }
      console.error(error);
      return json({ error: 'Something went wrong on our side; it has been logged.' }, 500);
    }
  };
}
