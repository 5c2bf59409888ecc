import { json, readJson, requireActor, route } from '@/lib/http';
import { createSubmission, submissionInputSchema } from '@/lib/submissions';

export const POST = route(async (request) => {
  const actor = await requireActor(request, { changes: true });
  const input = await readJson(request, submissionInputSchema);
  return json(await createSubmission(actor, input), 202);
});
