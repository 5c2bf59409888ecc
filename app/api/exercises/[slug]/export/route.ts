import { exportPackage } from '@/lib/authoring';
import { requireActor, route } from '@/lib/http';

/** The package folder as a zip: the draft, or the latest version when nothing is drafted. */
export const GET = route(async (request, { params }: { params: Promise<{ slug: string }> }) => {
  const actor = await requireActor(request, { changes: false });
  const { fileName, zip } = await exportPackage(actor, (await params).slug);
  return new Response(Buffer.from(zip), {
    headers: { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${fileName}"`, 'Cache-Control': 'no-store' },
  });
});
