import { json, readJson, requireActor, route } from '@/lib/http';
import { HttpError } from '@/lib/errors';
import { fullTraceRequestSchema, readFullTrace, requestFullTrace } from '@/lib/traces';

type Context = { params: Promise<{ id: string }> };

/** Asks the worker to rebuild a test's whole trace: 202 while it waits, 200 once it is ready. */
export const POST = route(async (request, { params }: Context) => {
  const actor = await requireActor(request, { changes: true });
  const { test } = await readJson(request, fullTraceRequestSchema);
  const view = await requestFullTrace(actor, (await params).id, test);
  return json(view, view.state === 'ready' ? 200 : 202);
});

/** The rebuilt trace of `?test=<name>`, or where its rebuilding stands. */
export const GET = route(async (request, { params }: Context) => {
  const actor = await requireActor(request, { changes: false });
  const parsed = fullTraceRequestSchema.safeParse({ test: new URL(request.url).searchParams.get('test') });
  if (!parsed.success) throw new HttpError(400, 'Name the test whose trace you want with ?test=<name>.');
  return json(await readFullTrace(actor, (await params).id, parsed.data.test));
});
