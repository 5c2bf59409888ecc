/**
 * Submission state changes, announced over Redis pub/sub so that any web process can stream them
 * to the browser whichever worker graded the submission.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keyPrefix } from './redis';

export const SUBMISSION_STATES = ['queued', 'running', 'graded', 'error'] as const;
export type SubmissionStateName = (typeof SUBMISSION_STATES)[number];

/** The `state` event of web.md's event stream. */
export const stateEventSchema = z.object({
  state: z.enum(SUBMISSION_STATES),
  score: z.number().optional(),
  maxScore: z.number().optional(),
});
export type StateEvent = z.infer<typeof stateEventSchema>;

export function submissionChannel(submissionId: string): string {
  return `${keyPrefix()}:submission:${submissionId}`;
}

/** A state after which nothing more happens to a submission. */
export function isFinal(state: SubmissionStateName): boolean {
  return state === 'graded' || state === 'error';
}

export async function publishState(redis: Redis, submissionId: string, event: StateEvent): Promise<void> {
  await redis.publish(submissionChannel(submissionId), JSON.stringify(event));
}

type Listener = (event: StateEvent) => void;

/**
 * One subscriber connection per process, shared by every open event stream: a class watching
 * its submissions costs one Redis connection, not one each.
 */
class SubmissionEvents {
  private subscriber: Redis | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly connect: () => Redis) {}

  async subscribe(submissionId: string, listener: Listener): Promise<() => Promise<void>> {
    const channel = submissionChannel(submissionId);
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
      const parsed = stateEventSchema.safeParse(JSON.parse(message));
      if (!parsed.success) return;
      for (const listener of this.listeners.get(channel) ?? []) listener(parsed.data);
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}

const holder = globalThis as typeof globalThis & { rendezvousEvents?: SubmissionEvents };

/** Calls `listener` with each state change of a submission until the returned function is called. */
export function onSubmissionState(connect: () => Redis, submissionId: string, listener: Listener): Promise<() => Promise<void>> {
  holder.rendezvousEvents ??= new SubmissionEvents(connect);
  return holder.rendezvousEvents.subscribe(submissionId, listener);
}
