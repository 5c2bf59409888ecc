/**
 * A `text/event-stream` response kept alive while a job runs: the caller subscribes to its events
 * and sends them; the stream beats every 15 s (so proxies keep a quiet stream open), and closing
 * it from either side unsubscribes once.
 */

/** Keeps proxies from closing a quiet stream while a long grading runs. */
const HEARTBEAT_MS = 15_000;

export interface EventSink {
  send(event: string, data: unknown): void;
  /** Ends the stream after what was sent. */
  end(): void;
}

/** `subscribe` starts listening, sends what is already known, and answers how to stop listening. */
export function eventStream(request: Request, subscribe: (sink: EventSink) => Promise<() => Promise<void>>): Response {
  const encoder = new TextEncoder();
  let stop = async (): Promise<void> => undefined;
  /** The reader cancelled: the stream is closed on its side, and closing it again would throw. */
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let unsubscribe = async (): Promise<void> => undefined;
      const heartbeat = setInterval(() => controller.enqueue(encoder.encode(': still here\n\n')), HEARTBEAT_MS);
      stop = async () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        await unsubscribe();
      };
      const sink: EventSink = {
        send: (event, data) => {
          if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        },
        end: () => {
          if (!closed) {
            void stop().then(() => {
              if (!cancelled) controller.close();
            });
          }
        },
      };
      request.signal.addEventListener('abort', () => void stop());
      unsubscribe = await subscribe(sink);
      // Ended while subscribing: the subscription made meanwhile is dropped.
      if (closed) await unsubscribe();
    },
    cancel: () => {
      cancelled = true;
      return stop();
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' },
  });
}
