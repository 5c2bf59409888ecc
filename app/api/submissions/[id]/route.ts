import { json, requireActor, route } from '@/lib/http';
import { findVisibleSubmission, submissionJson } from '@/lib/submissions';

export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await requireActor(request, { changes: false });
  const { submission, role } = await findVisibleSubmission(actor, (await params).id);
  return json(submissionJson(submission, role));
});
