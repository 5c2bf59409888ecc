import { eventStream, type EventSink } from './event-stream';

/** A stream whose unsubscribing waits until `release` is called, and the sink it was given. */
async function slowToUnsubscribe() {
  let release = (): void => undefined;
  let sink: EventSink | null = null;
  const response = eventStream(new Request('http://localhost/events'), async (given) => {
    sink = given;
    return () => new Promise<void>((resolve) => {
      release = resolve;
    });
  });
  const reader = response.body!.getReader();
  // The stream starts once read from.
  const firstRead = reader.read();
  await new Promise((resolve) => setImmediate(resolve));
  return { reader, firstRead, sink: sink!, release: () => release() };
}

describe('an event stream', () => {
  it('sends events and ends after them', async () => {
    const { reader, firstRead, sink, release } = await slowToUnsubscribe();
    sink.send('state', { state: 'graded' });
    sink.end();
    release();
    const decoder = new TextDecoder();
    expect(decoder.decode((await firstRead).value)).toBe('event: state\ndata: {"state":"graded"}\n\n');
    await expect(reader.read()).resolves.toEqual({ done: true, value: undefined });
  });

  it('ends quietly when the reader goes away while it is ending', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const { reader, sink, release } = await slowToUnsubscribe();
      sink.end();
      await reader.cancel();
      release();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
