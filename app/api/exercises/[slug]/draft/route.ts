import { z } from 'zod';
import { saveDraft } from '@/lib/authoring';
import { json, readJson, requireActor, route } from '@/lib/http';
import { PACKAGE_LIMITS } from '@/lib/packages';

// The files are checked (paths, count, sizes) by saveDraft; the body only has to be an object of strings.
const draftSchema = z.object({ files: z.record(z.string(), z.string()) });

/** Autosave of the authoring page: the package's files as the author left them. */
export const PUT = route(async (request, { params }: { params: Promise<{ slug: string }> }) => {
  const actor = await requireActor(request, { changes: true });
  // Room for a whole package, JSON escapes included; saveDraft holds each file to its own limit.
  const { files } = await readJson(request, draftSchema, 2 * PACKAGE_LIMITS.totalBytes);
  const { savedAt } = await saveDraft(actor, (await params).slug, files);
  return json({ savedAt: savedAt.toISOString() });
});
