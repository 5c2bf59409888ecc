import { importPackage } from '@/lib/authoring';
import { json, readBytes, requireActor, route } from '@/lib/http';
import { PACKAGE_LIMITS } from '@/lib/packages';

/** Import: the request's body is a zip of the package folder; `?slug=` names the exercise when the zip does not. */
export const POST = route(async (request) => {
  const actor = await requireActor(request, { changes: true });
  const upload = await readBytes(request, PACKAGE_LIMITS.zipBytes, 'zip');
  const slug = new URL(request.url).searchParams.get('slug') || null;
  return json(await importPackage(actor, upload, slug), 201);
});
