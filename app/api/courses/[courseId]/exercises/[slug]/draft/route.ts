import { z } from 'zod';
import { saveDraft } from '@/lib/assignments';
import { json, readJson, requireActor, route } from '@/lib/http';
import { MAX_CODE_BYTES } from '@/lib/submissions';
import { HttpError } from '@/lib/errors';

const draftSchema = z.object({ code: z.string() });

/** Autosave: the editor's text, kept per student and exercise. */
export const PUT = route(async (request, { params }: { params: Promise<{ courseId: string; slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { code } = await readJson(request, draftSchema);
  if (Buffer.byteLength(code) > MAX_CODE_BYTES) throw new HttpError(413, `The draft is over ${MAX_CODE_BYTES / 1024} KiB and was not saved.`);
  const { courseId, slug } = await params;
  const { savedAt } = await saveDraft(actor, courseId, slug, code);
  return json({ savedAt: savedAt.toISOString() });
});
