import { releaseResults } from '@/lib/assignments';
import { json, requireActor, route } from '@/lib/http';

/** Shows students the hidden tests' messages of an assignment whose results wait for release. */
export const POST = route(async (request, { params }: { params: Promise<{ courseId: string; slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { courseId, slug } = await params;
  return json(await releaseResults(actor, courseId, slug));
});
