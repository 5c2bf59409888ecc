import { db } from '@/lib/db';
import { eventStream } from '@/lib/event-stream';
import { isFinal, onSubmissionState, type StateEvent } from '@/lib/events';
import { requireActor, route } from '@/lib/http';
import { connectRedis } from '@/lib/redis';
import { findVisibleSubmission } from '@/lib/submissions';

export const dynamic = 'force-dynamic';

/** States in the order a submission passes them; a stream never goes back. */
const ORDER = { queued: 0, running: 1, graded: 2, error: 2 } as const;

async function currentState(id: string): Promise<StateEvent> {
  const submission = await db.submission.findUniqueOrThrow({ where: { id }, include: { result: true } });
  const scores = submission.state === 'graded' && submission.result ? { score: submission.result.score, maxScore: submission.result.maxScore } : {};
  return { state: submission.state, ...scores };
}

/** web.md's event stream: the current state first, then each change, ending after graded or error. */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor(request, { changes: false });
  const { submission } = await findVisibleSubmission(actor, (await params).id);
  return eventStream(request, async (sink) => {
    let last = -1;
    const send = (event: StateEvent): void => {
      if (ORDER[event.state] <= last) return;
      last = ORDER[event.state];
      sink.send('state', event);
      if (isFinal(event.state)) sink.end();
    };
    // Subscribe before reading the state, so no change can fall between the two.
    const unsubscribe = await onSubmissionState(() => connectRedis(), submission.id, send);
    send(await currentState(submission.id));
    return unsubscribe;
  });
});
