import { z } from 'zod';
import { saveDraft } from '@/lib/authoring';
import { json, readJson, requireActor, route } from '@/lib/http';

// The files are checked (paths, count, sizes) by saveDraft; the body only has to be an object of strings.
const draftSchema = z.object({ files: z.record(z.string(), z.string()) });

/** Autosave of the authoring page: the package's files as the author left them. */
export const PUT = route(async (request, { params }: { params: Promise<{ slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  const { files } = await readJson(request, draftSchema);
  const { savedAt } = await saveDraft(actor, (await params).slug, files);
  return json({ savedAt: savedAt.toISOString() });
});
