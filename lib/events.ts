/**
 * Submission state changes (and an exercise draft's validation, check by check), announced over
 * Redis pub/sub so that any web process can stream them to the browser whichever worker did the work.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keyPrefix } from './redis';

const SUBMISSION_STATES = ['queued', 'running', 'graded', 'error'] as const;
export type SubmissionStateName = (typeof SUBMISSION_STATES)[number];

/** The `state` event of web.md's event stream. */
export const stateEventSchema = z.object({
  state: z.enum(SUBMISSION_STATES),
  score: z.number().optional(),
  maxScore: z.number().optional(),
});
export type StateEvent = z.infer<typeof stateEventSchema>;

function submissionChannel(submissionId: string): string {
  return `${keyPrefix()}:submission:${submissionId}`;
}

/** A state after which nothing more happens to a submission. */
export function isFinal(state: SubmissionStateName): boolean {
  return state === 'graded' || state === 'error';
}

export async function publishState(redis: Redis, submissionId: string, event: StateEvent): Promise<void> {
  await redis.publish(submissionChannel(submissionId), JSON.stringify(event));
}

/** A draft run's events: each validation check as it is made (numbered from 0), and its state. */
export const draftRunEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('check'), index: z.number().int().min(0), check: z.object({ ok: z.boolean(), line: z.string() }) }),
  z.object({ type: z.literal('state'), state: z.enum(SUBMISSION_STATES), valid: z.boolean().optional() }),
]);
export type DraftRunEvent = z.infer<typeof draftRunEventSchema>;

export function draftRunChannel(draftRunId: string): string {
  return `${keyPrefix()}:draft-run:${draftRunId}`;
}

export async function publishDraftRunEvent(redis: Redis, draftRunId: string, event: DraftRunEvent): Promise<void> {
  await redis.publish(draftRunChannel(draftRunId), JSON.stringify(event));
}

type Listener = (message: unknown) => void;

/**
 * One subscriber connection per process, shared by every open event stream: a class watching
 * its submissions costs one Redis connection, not one each.
 */
class ChannelEvents {
  private subscriber: Redis | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly connect: () => Redis) {}

  async subscribe(channel: string, listener: Listener): Promise<() => Promise<void>> {
    const subscriber = this.connection();
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await subscriber.subscribe(channel);
    }
    set.add(listener);
    return async () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.connect();
    subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.listeners.get(channel) ?? []) listener(JSON.parse(message));
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}

const holder = globalThis as typeof globalThis & { rendezvousEvents?: ChannelEvents };

/** Calls `listener` with each message on `channel` that `schema` accepts, until the returned function is called. */
function listen<T>(connect: () => Redis, channel: string, schema: z.ZodType<T>, listener: (event: T) => void): Promise<() => Promise<void>> {
  holder.rendezvousEvents ??= new ChannelEvents(connect);
  return holder.rendezvousEvents.subscribe(channel, (message) => {
    const parsed = schema.safeParse(message);
    if (parsed.success) listener(parsed.data);
  });
}

/** Calls `listener` with each state change of a submission until the returned function is called. */
export function onSubmissionState(connect: () => Redis, submissionId: string, listener: (event: StateEvent) => void): Promise<() => Promise<void>> {
  return listen(connect, submissionChannel(submissionId), stateEventSchema, listener);
}

/** Calls `listener` with each event of a draft run until the returned function is called. */
export function onDraftRunEvent(connect: () => Redis, draftRunId: string, listener: (event: DraftRunEvent) => void): Promise<() => Promise<void>> {
  return listen(connect, draftRunChannel(draftRunId), draftRunEventSchema, listener);
}
