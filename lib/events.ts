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
