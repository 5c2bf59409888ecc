import { findDraftRun } from '@/lib/authoring';
import { eventStream } from '@/lib/event-stream';
import { isFinal, onDraftRunEvent, type DraftRunEvent } from '@/lib/events';
import { requireActor, route } from '@/lib/http';
import { connectRedis } from '@/lib/redis';

export const dynamic = 'force-dynamic';

/** States in the order a run passes them; a stream never goes back. */
const ORDER = { queued: 0, running: 1, graded: 2, error: 2 } as const;

/**
 * A draft run's events: `check` once per validation check, in order and each once (those made
 * before the stream opened come first), and `state`, the last one ending the stream.
 */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor(request, { changes: false });
  const { id } = await findDraftRun(actor, (await params).id);
  return eventStream(request, async (sink) => {
    let sentChecks = 0;
    let lastState = -1;
    const send = (event: DraftRunEvent): void => {
      if (event.type === 'check') {
        if (event.index !== sentChecks) return;
        sentChecks++;
        sink.send('check', event.check);
        return;
      }
      if (ORDER[event.state] <= lastState) return;
      lastState = ORDER[event.state];
      sink.send('state', { state: event.state, valid: event.valid });
      if (isFinal(event.state)) sink.end();
    };
    // Subscribe before reading the run, and hold what arrives meanwhile until the stored checks are
    // sent: the worker stores each check before announcing it, so between the two nothing is missed.
    const early: DraftRunEvent[] = [];
    let caughtUp = false;
    const unsubscribe = await onDraftRunEvent(() => connectRedis(), id, (event) => (caughtUp ? send(event) : early.push(event)));
    const run = await findDraftRun(actor, id);
    run.checks.forEach((check, index) => send({ type: 'check', index, check }));
    send({ type: 'state', state: run.state, valid: run.verdict === null ? undefined : run.verdict === 'valid' });
    caughtUp = true;
    early.forEach(send);
    return unsubscribe;
  });
});
