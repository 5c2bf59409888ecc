import { db } from '@/lib/db';
import { isFinal, onSubmissionState, type StateEvent } from '@/lib/events';
import { requireActor, route } from '@/lib/http';
import { connectRedis } from '@/lib/redis';
import { findVisibleSubmission } from '@/lib/submissions';

export const dynamic = 'force-dynamic';

/** States in the order a submission passes them; a stream never goes back. */
const ORDER = { queued: 0, running: 1, graded: 2, error: 2 } as const;

/** Keeps proxies from closing a quiet stream while a long grading runs. */
const HEARTBEAT_MS = 15_000;

async function currentState(id: string): Promise<StateEvent> {
  const submission = await db.submission.findUniqueOrThrow({ where: { id }, include: { result: true } });
  const scores = submission.state === 'graded' && submission.result ? { score: submission.result.score, maxScore: submission.result.maxScore } : {};
  return { state: submission.state, ...scores };
}

/** web.md's event stream: the current state first, then each change, ending after graded or error. */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor(request, { changes: false });
  const { submission } = await findVisibleSubmission(actor, (await params).id);
  const encoder = new TextEncoder();
  let stop = async (): Promise<void> => undefined;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let last = -1;
      let closed = false;
      const heartbeat = setInterval(() => controller.enqueue(encoder.encode(': still here\n\n')), HEARTBEAT_MS);
      let unsubscribe = async (): Promise<void> => undefined;
      stop = async () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        await unsubscribe();
      };
      const send = (event: StateEvent): void => {
        if (closed || ORDER[event.state] <= last) return;
        last = ORDER[event.state];
        controller.enqueue(encoder.encode(`event: state\ndata: ${JSON.stringify(event)}\n\n`));
        if (isFinal(event.state)) void stop().then(() => controller.close());
      };
      // Subscribe before reading the state, so no change can fall between the two.
      unsubscribe = await onSubmissionState(() => connectRedis(), submission.id, send);
      send(await currentState(submission.id));
      request.signal.addEventListener('abort', () => void stop());
    },
    cancel: () => stop(),
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' },
  });
});
