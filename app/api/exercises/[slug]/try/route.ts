import { z } from 'zod';
import { startDraftRun } from '@/lib/authoring';
import { json, readJson, requireActor, route } from '@/lib/http';

const trySchema = z.object({ file: z.string().min(1) });

/** Queues one file of the draft (starter, reference, a known-wrong) against its visible tests, as a student's run. */
export const POST = route(async (request, { params }: { params: Promise<{ slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { file } = await readJson(request, trySchema);
  return json(await startDraftRun(actor, (await params).slug, { kind: 'try', file }), 202);
});
