import { json, requireActor, route } from '@/lib/http';
import { listSubmissions } from '@/lib/submissions';

export const GET = route(async (request, { params }: { params: Promise<{ courseId: string; slug: string }> }) => {
  const actor = await requireActor(request, { changes: false });
  const { courseId, slug } = await params;
  const student = new URL(request.url).searchParams.get('student') ?? undefined;
  return json({ submissions: await listSubmissions(actor, courseId, slug, student) });
});
