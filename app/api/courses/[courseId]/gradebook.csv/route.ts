import { gradebookCsv } from '@/lib/gradebook';
import { requireActor, route } from '@/lib/http';

/** web.md: one row per student, `email`, `name`, then one column per assignment slug. */
export const GET = route(async (request, { params }: { params: Promise<{ courseId: string }> }) => {
  const actor = await requireActor(request, { changes: false });
  const { courseId } = await params;
  return new Response(await gradebookCsv(actor, courseId), {
    headers: { 'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': `attachment; filename="gradebook-${courseId}.csv"` },
  });
});
